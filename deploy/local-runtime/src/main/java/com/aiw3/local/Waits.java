package com.aiw3.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Start-up checks of the launcher: a person waits for the suite, so it polls what the suite exposes. */
public final class Waits {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Waits() {}

    public static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void untilPortOpen(String what, int port, int seconds) throws InterruptedException {
        long begun = System.nanoTime();
        long deadline = begun + Duration.ofSeconds(seconds).toNanos();
        System.out.printf("  waiting for %s on 127.0.0.1:%d (up to %d s) ...", what, port, seconds);
        System.out.flush();
        while (!portOpen(port)) {
            if (System.nanoTime() > deadline) {
                System.out.println();
                throw new IllegalStateException(what + " did not open port " + port + " within " + seconds + "s");
            }
            Thread.sleep(200);
        }
        System.out.printf(" open after %.1f s%n", (System.nanoTime() - begun) / 1e9);
    }

    public static boolean ready(String baseUrl) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
