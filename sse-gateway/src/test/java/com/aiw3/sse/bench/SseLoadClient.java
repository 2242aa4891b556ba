package com.aiw3.sse.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The benchmark's load client: one process holding many SSE connections on one selector thread, with no
 * dependency beyond the JDK so it costs the same against every server. It counts the events carrying
 * the marker {@code bench|<seq>|<publishedAtMicros>} (the first in each event): per connection in order
 * (a lower or equal sequence is a duplicate) and their publish-to-receipt latency.
 *
 * <p>{@code java -cp test-classes com.aiw3.sse.bench.SseLoadClient <host> <port> <path> <connections>
 * <firstUser> <sourceAddress> <identitiesFile>} (the signed identity of user {@code n} on line {@code n}); then commands on stdin, one line each: {@code stats} prints a
 * {@code STATS ...} line, {@code reset <firstSeq>} zeroes the counters and counts only
 * events from that sequence on, {@code exit} closes everything.
 */
public final class SseLoadClient {

    private static final byte[] MARKER = "bench|".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CONNECTING = 200;

    private final List<Connection> connections = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    private final Histogram latency = new Histogram();
    private long received;
    private long duplicates;
    private long gaps;
    private int open;
    private int failed;
    private int closed;
    private long maxSeq = -1;
    /** Events before this sequence belong to an earlier phase (or a replay) and are not counted. */
    private long floor;

    public static void main(String[] args) throws Exception {
        new SseLoadClient().run(args);
    }

    private void run(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int count = Integer.parseInt(args[3]);
        int firstUser = Integer.parseInt(args[4]);
        String source = args[5];
        List<String> identities = java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[6]));
        Selector selector = Selector.open();
        Thread.ofPlatform().daemon().start(() -> ClientProcesses.readCommands(commands, selector));
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        int started = 0;
        while (true) {
            while (started < count && started - open - failed - closed < MAX_CONNECTING) {
                String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + "\r\nAccept: text/event-stream\r\nX-AIW3-Identity: " + identities.get(firstUser + started)
                        + "\r\n\r\n";
                Connection connection = new Connection(request.getBytes(StandardCharsets.US_ASCII));
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.bind(new InetSocketAddress(source, 0));
                channel.connect(new InetSocketAddress(host, port));
                channel.register(selector, SelectionKey.OP_CONNECT, connection);
                connections.add(connection);
                started++;
            }
            selector.select(50);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection connection = (Connection) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        channel.write(ByteBuffer.wrap(connection.request));
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        buffer.clear();
                        int n = channel.read(buffer);
                        if (n < 0) {
                            close(key, connection);
                            continue;
                        }
                        buffer.flip();
                        connection.accept(buffer);
                        if (connection.refused) {
                            close(key, connection);
                        }
                    }
                } catch (IOException e) {
                    close(key, connection);
                }
            }
            String command;
            while ((command = commands.poll()) != null) {
                String[] words = command.trim().split(" ");
                switch (words[0]) {
                    case "stats" -> System.out.println(stats());
                    case "reset" -> {
                        floor = words.length > 1 ? Long.parseLong(words[1]) : 0;
                        received = 0;
                        duplicates = 0;
                        gaps = 0;
                        latency.clear();
                        connections.forEach(c -> c.count = 0);
                        // acknowledged, so the orchestrator publishes only once every client counts afresh
                        System.out.println("RESET " + floor);
                    }
                    case "exit" -> {
                        selector.keys().forEach(k -> ClientProcesses.closeQuietly(k));
                        System.out.println("BYE");
                        System.exit(0);
                    }
                    default -> System.out.println("ERROR unknown command " + command);
                }
                System.out.flush();
            }
        }
    }

    private String stats() {
        long fewest = connections.stream()
                .filter(c -> c.status == 200 && !c.closed)
                .mapToLong(c -> c.count)
                .min()
                .orElse(0);
        return "STATS open=" + open + " failed=" + failed + " closed=" + closed + " received=" + received
                + " duplicates=" + duplicates + " gaps=" + gaps + " fewest=" + fewest + " maxSeq=" + maxSeq
                + " latency="
                + latency.encode();
    }

    private void close(SelectionKey key, Connection connection) {
        if (!connection.closed) {
            connection.closed = true;
            if (connection.status == 200) {
                open--;
                closed++;
            } else {
                failed++;
            }
        }
        ClientProcesses.closeQuietly(key);
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * One connection's parser: the body {@link HttpSseDecoder} passes on, in which it finds each marker and reads
     * its sequence and publish time. Frames need not be split at any boundary.
     */
    private final class Connection {
        final byte[] request;
        int status;
        boolean refused;
        boolean closed;
        long count;
        private long lastSeq = -1;
        private final HttpSseDecoder decoder = new HttpSseDecoder();
        // marker matching: how many marker bytes matched, then the two numbers
        private int matched;
        private int field;
        private long seq;
        private long micros;
        // an event may carry the marker twice (the event's message and data.message): the first counts
        private boolean counted;
        private byte previous;

        Connection(byte[] request) {
            this.request = request;
        }

        void accept(ByteBuffer in) {
            int n;
            while ((n = decoder.next(in)) != HttpSseDecoder.INPUT_USED) {
                if (n == HttpSseDecoder.HEAD_READ) {
                    status = decoder.status();
                    if (status != 200) {
                        refused = true;
                        return;
                    }
                    open++;
                } else if (n >= 0) {
                    // body bytes; the last chunk (LAST_CHUNK) needs nothing, the connection's end follows it
                    for (int i = 0; i < n; i++) {
                        body(in.get());
                    }
                }
            }
        }

        private void body(byte b) {
            if (b == '\n' && previous == '\n') {
                counted = false;
            }
            previous = b;
            if (matched < MARKER.length) {
                matched = b == MARKER[matched] ? matched + 1 : (b == MARKER[0] ? 1 : 0);
                if (matched == MARKER.length) {
                    field = 0;
                    seq = 0;
                    micros = 0;
                }
                return;
            }
            if (b >= '0' && b <= '9') {
                if (field == 0) {
                    seq = seq * 10 + (b - '0');
                } else {
                    micros = micros * 10 + (b - '0');
                }
            } else if (b == '|' && field == 0) {
                field = 1;
            } else {
                event(seq, micros);
                matched = b == MARKER[0] ? 1 : 0;
            }
        }

        private void event(long sequence, long publishedAt) {
            if (counted) {
                return;
            }
            counted = true;
            if (sequence <= lastSeq) {
                duplicates++;
                return;
            }
            if (sequence >= floor && lastSeq >= floor - 1 && sequence > lastSeq + 1) {
                // events missing in the middle of a connection's stream (not just not arrived yet)
                gaps += sequence - lastSeq - 1;
            }
            lastSeq = sequence;
            if (sequence < floor) {
                return;
            }
            count++;
            received++;
            maxSeq = Math.max(maxSeq, sequence);
            latency.record(Math.max(0, nowMicros() - publishedAt));
        }
    }

    /** Log-linear buckets (about 1.5 % wide) of microseconds; merged across processes by addition. */
    public static final class Histogram {
        private final long[] counts = new long[128 + 64 * 40];

        static int index(long value) {
            if (value < 128) {
                return (int) value;
            }
            int shift = 63 - Long.numberOfLeadingZeros(value) - 6;
            return 128 + (shift - 1) * 64 + (int) ((value >> shift) - 64);
        }

        static long lowerBound(int index) {
            if (index < 128) {
                return index;
            }
            int shift = (index - 128) / 64 + 1;
            return ((index - 128) % 64 + 64L) << shift;
        }

        public void record(long micros) {
            counts[Math.min(counts.length - 1, index(micros))]++;
        }

        public void clear() {
            java.util.Arrays.fill(counts, 0);
        }

        public long total() {
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            return total;
        }

        /** The value at quantile {@code q} (0..1), in microseconds. */
        public long quantile(double q) {
            long total = total();
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= Math.max(1, rank)) {
                    return lowerBound(i);
                }
            }
            return lowerBound(counts.length - 1);
        }

        public void add(Histogram other) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += other.counts[i];
            }
        }

        String encode() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    out.append(out.isEmpty() ? "" : ",").append(i).append(':').append(counts[i]);
                }
            }
            return out.isEmpty() ? "-" : out.toString();
        }

        public static Histogram decode(String text) {
            Histogram histogram = new Histogram();
            if (!text.equals("-")) {
                for (String pair : text.split(",")) {
                    int colon = pair.indexOf(':');
                    histogram.counts[Integer.parseInt(pair.substring(0, colon))] +=
                            Long.parseLong(pair.substring(colon + 1));
                }
            }
            return histogram;
        }
    }
}
