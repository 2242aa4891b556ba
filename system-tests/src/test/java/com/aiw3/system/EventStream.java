package com.aiw3.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A client's Server-Sent Events stream through api-gateway, read as a browser's EventSource does: when
 * the stream breaks it reconnects after a moment with the last id it saw as {@code Last-Event-ID}.
 */
final class EventStream implements AutoCloseable {

    /** One event as received. */
    record Event(String id, JsonNode data) {
        String type() {
            return data.path("type").asString();
        }
    }

    private final String url;
    private final String token;
    private final boolean reconnect;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    /** Notified on each event, for {@link #awaitEvent}. */
    private final Object arrived = new Object();

    private final AtomicInteger connects = new AtomicInteger();
    private final Thread reader;
    private volatile String lastEventId;
    private volatile boolean closed;
    private volatile boolean ended;
    private volatile InputStream body;
    private volatile int lastStatus;

    private EventStream(String url, String token, boolean reconnect) {
        this.url = url;
        this.token = token;
        this.reconnect = reconnect;
        this.reader = Thread.ofVirtual().name("sse " + url).start(this::run);
    }

    /** The user's stream of every real-time event ({@code /api/events/stream}), resuming after breaks. */
    static EventStream open(Platform platform, User user) {
        return new EventStream(platform.gateway() + "/api/events/stream", user.token, true);
    }

    /** One upgrade's progress; it ends after a terminal status. */
    static EventStream upgrade(Platform platform, User user, String upgradeId) {
        return process(platform, user, "/api/v1/nft/upgrade/" + upgradeId + "/events");
    }

    /**
     * One multi-step process's progress (an upgrade, a claim, a badge activation) at the events URL its POST
     * answered with; it ends after a terminal step.
     */
    static EventStream process(Platform platform, User user, String eventsUrl) {
        return new EventStream(platform.gateway() + eventsUrl, user.token, false);
    }

    private void run() {
        while (!closed) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream");
                if (lastEventId != null) {
                    request.header("Last-Event-ID", lastEventId);
                }
                HttpResponse<InputStream> response =
                        User.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                lastStatus = response.statusCode();
                body = response.body();
                if (response.statusCode() == 200) {
                    connects.incrementAndGet();
                    read(response.body());
                } else {
                    response.body().close();
                }
            } catch (IOException e) {
                // the server went away: reconnect like EventSource
            } catch (InterruptedException e) {
                return;
            }
            if (!reconnect) {
                ended = true;
                return;
            }
            try {
                Thread.sleep(Duration.ofMillis(500)); // EventSource's reconnection delay (the server's retry: hint)
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(InputStream in) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    if (id != null) {
                        lastEventId = id;
                    }
                    events.add(new Event(id, User.JSON.readTree(data.toString())));
                    synchronized (arrived) {
                        arrived.notifyAll();
                    }
                }
                id = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /**
     * Waits for an event that {@code wanted} accepts (one that came earlier counts) and returns it, or empty
     * after {@code within}. Woken by each event, not polling: a load client with many streams measures the
     * moment of arrival without spending its CPU on looking.
     */
    Optional<Event> awaitEvent(Predicate<Event> wanted, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (arrived) {
            while (true) {
                for (Event event : events) {
                    if (wanted.test(event)) {
                        return Optional.of(event);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(arrived, left);
            }
        }
    }

    List<Event> ofType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    int connects() {
        return connects.get();
    }

    boolean ended() {
        return ended;
    }

    int lastStatus() {
        return lastStatus;
    }

    @Override
    public void close() {
        closed = true;
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        reader.interrupt();
    }
}
