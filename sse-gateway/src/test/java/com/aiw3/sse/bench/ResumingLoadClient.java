package com.aiw3.sse.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A load client whose streams behave as browsers' {@code EventSource}s behind a load balancer: each stream is one
 * user's ({@code /api/events/stream}), keeps the last {@code id:} it received and the last {@code retry:} hint,
 * and when its response ends (a {@code reconnect} event and the end of the response, or the connection lost)
 * reconnects after that hint with {@code Last-Event-ID}. Each connection goes to an instance chosen round-robin,
 * as a balancer with passive health checks does: an instance that refused a connection or answered other than
 * 200 (a draining one answers 503) is passed over for {@value #DOWN_MILLIS} ms, and the connection is tried at once
 * on the next; only when every instance refused does the stream wait for its {@code retry:} hint. Streams start
 * spread evenly over the instances.
 *
 * <p>Events carry {@code bench|<seq>|<publishedAtMicros>} (the first occurrence in an event counts), {@code seq}
 * numbering that user's events from 1: a sequence at or below the last one received is a duplicate, and what a
 * stream lacks of its user's published events at the end is lost.
 *
 * <p>{@code java -cp test-classes com.aiw3.sse.bench.ResumingLoadClient <host> <port,port,...> <path> <streams>
 * <firstUser> <sourceAddress> <identitiesFile>} (the signed identity of user {@code n} on line {@code n}); then
 * commands on stdin, one line each: {@code stats} prints {@code STATS ...}; {@code timeline} prints {@code TIMELINE
 * <epochSecond>:<ended>:<reopened>:<refused>,...}; {@code check <published> <users>} prints {@code CHECKED ...} (loss
 * and duplicates per stream, given that event {@code i} of {@code published} went to user {@code i % users} with
 * sequence {@code i / users + 1}); {@code identities <file>} reads newly signed identities for the reconnections
 * to come; {@code exit} closes everything. No dependency beyond the JDK.
 */
public final class ResumingLoadClient {

    private static final byte[] MARKER = "bench|".getBytes(StandardCharsets.US_ASCII);
    /** Streams opening for the first time at once; reconnections are not held back. */
    private static final int MAX_CONNECTING = 200;

    private static final long DOWN_MILLIS = 2_000;
    private static final long DEFAULT_RETRY_MILLIS = 3_000;

    private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    private volatile Selector selector;
    private String host;
    private String path;
    private int[] ports;
    private long[] downUntil;
    private int[] openByPort;
    private int nextPort;
    private String source;
    private List<String> identities;
    private User[] users;
    private final PriorityQueue<User> waiting = new PriorityQueue<>(Comparator.comparingLong(u -> u.dueAt));
    private int connecting;
    private int open;
    private long reconnections;
    private long refusals;
    private long lastReopenMillis;
    private final Map<Integer, Integer> refusedByStatus = new TreeMap<>();
    /** Per epoch second: streams ended, streams reopened (reconnections), connections refused. */
    private final TreeMap<Long, long[]> timeline = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        new ResumingLoadClient().run(args);
    }

    private void run(String[] args) throws Exception {
        host = args[0];
        ports = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        downUntil = new long[ports.length];
        openByPort = new int[ports.length];
        path = args[2];
        int count = Integer.parseInt(args[3]);
        int firstUser = Integer.parseInt(args[4]);
        source = args[5];
        identities = Files.readAllLines(Path.of(args[6]));
        users = new User[count];
        for (int i = 0; i < count; i++) {
            users[i] = new User(firstUser + i);
        }
        nextPort = firstUser % ports.length;
        selector = Selector.open();
        Thread.ofPlatform().daemon().start(() -> ClientProcesses.readCommands(commands, selector));
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        int started = 0;
        while (true) {
            while (started < count && connecting < MAX_CONNECTING) {
                User user = users[started++];
                connect(user, user.index % ports.length);
            }
            long now = System.currentTimeMillis();
            while (!waiting.isEmpty() && waiting.peek().dueAt <= now) {
                User user = waiting.poll();
                user.tries = 0;
                connect(user, choosePort(now));
            }
            long timeout = waiting.isEmpty() ? 50 : Math.clamp(waiting.peek().dueAt - now, 1, 50);
            selector.select(timeout);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection connection = (Connection) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        ByteBuffer request = ByteBuffer.wrap(connection.request);
                        while (request.hasRemaining()) {
                            channel.write(request);
                        }
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        buffer.clear();
                        int n = channel.read(buffer);
                        if (n < 0) {
                            ended(connection);
                            continue;
                        }
                        buffer.flip();
                        connection.accept(buffer);
                    }
                } catch (IOException e) {
                    ended(connection);
                }
            }
            String command;
            while ((command = commands.poll()) != null) {
                command(command.trim().split(" "));
                System.out.flush();
            }
        }
    }

    private void command(String[] words) throws IOException {
        switch (words[0]) {
            case "stats" -> System.out.println(stats());
            case "timeline" -> {
                StringBuilder out = new StringBuilder("TIMELINE ");
                timeline.forEach((second, counts) -> out.append(second)
                        .append(':')
                        .append(counts[0])
                        .append(':')
                        .append(counts[1])
                        .append(':')
                        .append(counts[2])
                        .append(','));
                System.out.println(timeline.isEmpty() ? "TIMELINE -" : out.substring(0, out.length() - 1));
            }
            case "check" -> System.out.println(check(Long.parseLong(words[1]), Integer.parseInt(words[2])));
            case "identities" -> {
                identities = Files.readAllLines(Path.of(words[1]));
                System.out.println("IDENTITIES " + identities.size());
            }
            case "exit" -> {
                selector.keys().forEach(ClientProcesses::closeQuietly);
                System.out.println("BYE");
                System.out.flush();
                System.exit(0);
            }
            default -> System.out.println("ERROR unknown command " + String.join(" ", words));
        }
    }

    private String stats() {
        long received = 0, duplicates = 0, gaps = 0;
        for (User user : users) {
            received += user.received;
            duplicates += user.duplicates;
            gaps += user.gaps;
        }
        StringBuilder byPort = new StringBuilder();
        for (int i = 0; i < ports.length; i++) {
            byPort.append(i == 0 ? "" : "/").append(openByPort[i]);
        }
        StringBuilder statuses = new StringBuilder();
        refusedByStatus.forEach((status, n) -> statuses.append(statuses.isEmpty() ? "" : ",")
                .append(status)
                .append(':')
                .append(n));
        return "STATS open=" + open + " connecting=" + connecting + " waiting=" + waiting.size() + " reconnections="
                + reconnections + " refusals=" + refusals + " lastReopen=" + lastReopenMillis + " byPort=" + byPort
                + " received=" + received + " duplicates=" + duplicates + " gaps=" + gaps + " refusedByStatus="
                + (statuses.isEmpty() ? "-" : statuses);
    }

    private String check(long published, int userCount) {
        long expected = 0, received = 0, lost = 0, lostStreams = 0, maxLost = 0;
        long duplicates = 0, duplicateStreams = 0, maxDuplicates = 0;
        StringBuilder sample = new StringBuilder();
        for (User user : users) {
            if (user.duplicates > 0 && duplicateStreams < 3) {
                sample.append(sample.isEmpty() ? "" : ";")
                        .append("user")
                        .append(user.index)
                        .append(':')
                        .append(user.firstDuplicate);
            }
            long mine = published > user.index ? (published - user.index - 1) / userCount + 1 : 0;
            long missing = Math.max(0, mine - user.received);
            expected += mine;
            received += user.received;
            lost += missing;
            lostStreams += missing > 0 ? 1 : 0;
            maxLost = Math.max(maxLost, missing);
            duplicates += user.duplicates;
            duplicateStreams += user.duplicates > 0 ? 1 : 0;
            maxDuplicates = Math.max(maxDuplicates, user.duplicates);
        }
        return "CHECKED expected=" + expected + " received=" + received + " lost=" + lost + " lostStreams="
                + lostStreams + " maxLost=" + maxLost + " duplicates=" + duplicates + " duplicateStreams="
                + duplicateStreams + " maxDuplicates=" + maxDuplicates + " duplicateSample="
                + (sample.isEmpty() ? "-" : sample);
    }

    /** The next instance round-robin that has not refused within {@link #DOWN_MILLIS}; any, if all have. */
    private int choosePort(long now) {
        for (int i = 0; i < ports.length; i++) {
            int port = nextPort++ % ports.length;
            if (downUntil[port] <= now) {
                return port;
            }
        }
        return nextPort++ % ports.length;
    }

    private void connect(User user, int port) {
        StringBuilder request = new StringBuilder("GET ")
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(ports[port])
                .append("\r\nAccept: text/event-stream\r\nX-AIW3-Identity: ")
                .append(identities.get(user.index))
                .append("\r\n");
        if (user.lastEventId != null) {
            request.append("Last-Event-ID: ").append(user.lastEventId).append("\r\n");
        }
        request.append("\r\n");
        Connection connection = new Connection(user, port, request.toString().getBytes(StandardCharsets.US_ASCII));
        connecting++;
        try {
            SocketChannel channel = SocketChannel.open();
            connection.channel = channel;
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(source, 0));
            channel.connect(new InetSocketAddress(host, ports[port]));
            channel.register(selector, SelectionKey.OP_CONNECT, connection);
        } catch (IOException e) {
            ended(connection);
        }
    }

    /** The connection is over: before its response head a refusal, after it the end of the stream. */
    private void ended(Connection connection) {
        if (connection.over) {
            return;
        }
        connection.over = true;
        if (connection.channel != null) {
            try {
                connection.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        User user = connection.user;
        long now = System.currentTimeMillis();
        if (connection.status == 200) {
            open--;
            openByPort[connection.port]--;
            bucket(now)[0]++;
            wait(user, now + user.retryMillis);
            return;
        }
        connecting--;
        refusals++;
        bucket(now)[2]++;
        refusedByStatus.merge(connection.status, 1, Integer::sum);
        downUntil[connection.port] = now + DOWN_MILLIS;
        if (++user.tries < ports.length) {
            connect(user, choosePort(now));
        } else {
            wait(user, now + user.retryMillis);
        }
    }

    private void wait(User user, long at) {
        user.dueAt = at;
        waiting.add(user);
    }

    private void opened(Connection connection) {
        connecting--;
        open++;
        openByPort[connection.port]++;
        User user = connection.user;
        if (user.everOpened) {
            long now = System.currentTimeMillis();
            reconnections++;
            lastReopenMillis = now;
            bucket(now)[1]++;
        }
        user.everOpened = true;
    }

    private long[] bucket(long millis) {
        return timeline.computeIfAbsent(millis / 1000, s -> new long[3]);
    }

    /** One user's stream across its connections: what it resumes from, and what it received. */
    private static final class User {
        final int index;
        String lastEventId;
        long retryMillis = DEFAULT_RETRY_MILLIS;
        long lastSeq;
        long received;
        long duplicates;
        long gaps;
        /** The first duplicate's sequence and the last sequence received before it. */
        String firstDuplicate;

        boolean everOpened;
        int tries;
        long dueAt;

        User(int index) {
            this.index = index;
        }
    }

    /**
     * One connection of a stream: response head, then a chunked (or identity) body read as SSE lines. The end of a
     * chunked response (its zero-size chunk) ends the stream as the connection's end does.
     */
    private final class Connection {
        final User user;
        final int port;
        final byte[] request;
        SocketChannel channel;
        int status;
        boolean over;
        private final HttpSseDecoder decoder = new HttpSseDecoder();
        private byte[] line = new byte[256];
        private int length;
        private String pendingId;
        private long eventSeq = -1;

        Connection(User user, int port, byte[] request) {
            this.user = user;
            this.port = port;
            this.request = request;
        }

        void accept(ByteBuffer in) {
            while (!over) {
                int n = decoder.next(in);
                if (n == HttpSseDecoder.INPUT_USED) {
                    return;
                } else if (n == HttpSseDecoder.HEAD_READ) {
                    status = decoder.status();
                    if (status != 200) {
                        ended(this);
                        return;
                    }
                    opened(this);
                } else if (n == HttpSseDecoder.LAST_CHUNK) {
                    // the server ended the response
                    ended(this);
                    return;
                } else {
                    for (int i = 0; i < n; i++) {
                        body(in.get());
                    }
                }
            }
        }

        private void body(byte b) {
            if (b != '\n') {
                if (length == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[length++] = b;
                return;
            }
            int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            length = 0;
            if (end == 0) {
                dispatch();
            } else if (startsWith("id:", end)) {
                pendingId = value(3, end);
            } else if (startsWith("retry:", end)) {
                try {
                    user.retryMillis = Long.parseLong(value(6, end));
                } catch (NumberFormatException ignored) {
                    // ignored, as EventSource ignores it
                }
            } else if (startsWith("data:", end) && eventSeq < 0) {
                eventSeq = marker(end);
            }
        }

        /** The end of an event: its id becomes the stream's Last-Event-ID, and its sequence is counted. */
        private void dispatch() {
            if (pendingId != null) {
                user.lastEventId = pendingId;
                pendingId = null;
            }
            long seq = eventSeq;
            eventSeq = -1;
            if (seq < 0) {
                return;
            }
            if (seq <= user.lastSeq) {
                if (user.duplicates++ == 0) {
                    user.firstDuplicate = seq + "<=" + user.lastSeq;
                }
                return;
            }
            if (seq > user.lastSeq + 1) {
                user.gaps += seq - user.lastSeq - 1;
            }
            user.lastSeq = seq;
            user.received++;
        }

        private boolean startsWith(String field, int end) {
            if (end < field.length()) {
                return false;
            }
            for (int i = 0; i < field.length(); i++) {
                if (line[i] != field.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String value(int from, int end) {
            int start = from < end && line[from] == ' ' ? from + 1 : from;
            return new String(line, start, end - start, StandardCharsets.UTF_8);
        }

        /** The sequence after the first marker of a data line, or -1 without one. */
        private long marker(int end) {
            outer:
            for (int i = 0; i + MARKER.length <= end; i++) {
                for (int j = 0; j < MARKER.length; j++) {
                    if (line[i + j] != MARKER[j]) {
                        continue outer;
                    }
                }
                long seq = 0;
                int k = i + MARKER.length;
                while (k < end && line[k] >= '0' && line[k] <= '9') {
                    seq = seq * 10 + (line[k++] - '0');
                }
                return seq;
            }
            return -1;
        }
    }
}
