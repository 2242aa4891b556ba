package com.aiw3.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One person using the platform: everything goes through api-gateway with their token, except what a
 * browser wallet does (signing and sending the burn), which the local node's development wallet stands
 * in for.
 */
final class User {

    static final JsonMapper JSON = JsonMapper.shared();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    final String id;
    final String token;
    private final Platform platform;

    private User(Platform platform, String id, String token) {
        this.platform = platform;
        this.id = id;
        this.token = token;
    }

    /** A new user with a development token from the gateway. */
    static User signIn(Platform platform, String id) throws IOException, InterruptedException {
        return signIn(platform, id, null, "user");
    }

    /** A new user who signed in with their own wallet: the token carries its address. */
    static User signIn(Platform platform, String id, Wallet wallet) throws IOException, InterruptedException {
        return signIn(platform, id, wallet.address, "user");
    }

    static User operator(Platform platform) throws IOException, InterruptedException {
        return signIn(platform, "ops-1", null, "user", "operator");
    }

    private static User signIn(Platform platform, String id, @Nullable String wallet, String... roles)
            throws IOException, InterruptedException {
        String roleList = String.join("\",\"", roles);
        String walletClaim = wallet == null ? "" : ",\"wallet\":\"" + wallet + "\"";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(platform.gateway() + "/dev/token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"userId\":\"" + id + "\"" + walletClaim + ",\"roles\":[\"" + roleList + "\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("dev token: " + response.statusCode() + " " + response.body());
        }
        return new User(
                platform,
                id,
                JSON.readTree(response.body()).path("access_token").asString());
    }

    /** Sets an email address in the user's notification preferences (the offline channel); returns it. */
    String giveEmailAddress() throws IOException, InterruptedException {
        String email = id + "@aiw3.test";
        Reply saved = send("PUT", "/api/v1/notifications/preferences", "{\"email\":\"" + email + "\"}");
        if (saved.status() != 200) {
            throw new IllegalStateException("preferences: " + saved);
        }
        return email;
    }

    /** Gives the user a fresh tier-1 NFT in the development wallet, registered as theirs. */
    String receiveTierOneNft() throws IOException, InterruptedException {
        return receiveTierOneNft(HttpRequest.BodyPublishers.noBody());
    }

    /** Gives the user a fresh tier-1 NFT in their own wallet, registered as theirs (qualified for tier 2). */
    String receiveTierOneNft(Wallet wallet) throws IOException, InterruptedException {
        return receiveTierOneNft(HttpRequest.BodyPublishers.ofString("{\"wallet\":\"" + wallet.address + "\"}"));
    }

    private String receiveTierOneNft(HttpRequest.BodyPublisher into) throws IOException, InterruptedException {
        JsonNode nft = JSON.readTree(HTTP.send(
                        HttpRequest.newBuilder(URI.create(platform.nodeUrl() + "/dev/wallet/nfts"))
                                .POST(into)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        String mint = nft.path("mint").asString();
        Reply registered = send(
                "POST",
                "/api/v1/nft/dev/holders",
                "{\"wallet\":\"" + nft.path("wallet").asString() + "\",\"mint\":\"" + mint + "\"}");
        // 409: a retry of this very registration (the mint is brand new) after its answer was lost.
        if (registered.status() != 201 && registered.status() != 409) {
            throw new IllegalStateException("holder registration: " + registered);
        }
        return mint;
    }

    /** A JSON request as the app sends it: retried on 503 and 429 (see {@link #sendRetrying}). */
    Reply send(String method, String path, String json) throws IOException, InterruptedException {
        return sendRetrying(method, path, json);
    }

    Reply send(String method, String path, String body, String contentType) throws IOException, InterruptedException {
        return send(method, path, body, contentType, UUID.randomUUID().toString());
    }

    /**
     * What the frontend client does with a write: on 503 (a breaker open, a database busy), 429 or a broken
     * connection it waits ({@code Retry-After}, else a second) and sends the same request again with the
     * same Idempotency-Key, so a retry of something that did happen returns the first result instead of
     * doing it twice.
     */
    Reply sendRetrying(String method, String path, String json) throws IOException, InterruptedException {
        String key = UUID.randomUUID().toString();
        long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Reply reply;
            try {
                reply = send(method, path, json, "application/json", key);
            } catch (IOException e) {
                // A connection closed under the request (a pooled keep-alive connection the server had
                // just closed): the same key makes resending safe.
                if (System.nanoTime() > giveUp) {
                    throw e;
                }
                retries.incrementAndGet();
                brokenConnections.incrementAndGet();
                Thread.sleep(Duration.ofSeconds(1));
                continue;
            }
            if ((reply.status() != 503 && reply.status() != 429) || System.nanoTime() > giveUp) {
                return reply;
            }
            retries.incrementAndGet();
            (reply.status() == 503 ? answered503 : answered429).incrementAndGet();
            Thread.sleep(retryDelay(Long.parseLong(reply.retryAfter().orElse("1"))));
        }
    }

    /**
     * {@code Retry-After} plus up to half of it at random, as the TypeScript client waits, so users refused
     * together do not come back together.
     */
    static Duration retryDelay(long retryAfterSeconds) {
        long millis = Math.min(60, retryAfterSeconds) * 1000;
        return Duration.ofMillis(
                millis + java.util.concurrent.ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    /** Retries done by every user's {@link #sendRetrying}: reported by the load test. */
    static final java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();

    /** Of {@link #retries}: those after a 503, after a 429, after a broken connection (the benchmark's split). */
    static final java.util.concurrent.atomic.AtomicInteger answered503 =
            new java.util.concurrent.atomic.AtomicInteger();

    static final java.util.concurrent.atomic.AtomicInteger answered429 =
            new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger brokenConnections =
            new java.util.concurrent.atomic.AtomicInteger();

    private Reply send(String method, String path, String body, String contentType, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gateway() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", idempotencyKey);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Retry-After").orElse(null),
                response.body());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** Requests the upgrade to tier 2; returns the created upgrade (awaiting its burn). */
    JsonNode requestUpgrade() throws IOException, InterruptedException {
        Reply reply = sendRetrying("POST", "/api/v1/nft/upgrade", "{\"targetTierId\":2}");
        if (reply.status() / 100 != 2) {
            throw new IllegalStateException("upgrade request: " + reply);
        }
        return reply.json();
    }

    /** What the wallet does: signs the burn transaction and sends it to the chain; returns its signature. */
    String signAndSendBurn(JsonNode upgrade) throws IOException, InterruptedException {
        HttpResponse<String> sent = HTTP.send(
                HttpRequest.newBuilder(URI.create(platform.nodeUrl() + "/dev/wallet/sign-and-send"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"transaction\":\""
                                + upgrade.path("burnTransaction").asString() + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (sent.statusCode() != 200) {
            throw new IllegalStateException("sign-and-send: " + sent.statusCode() + " " + sent.body());
        }
        return JSON.readTree(sent.body()).path("signature").asString();
    }

    Reply confirmBurn(String upgradeId, String signature) throws IOException, InterruptedException {
        return sendRetrying(
                "PATCH",
                "/api/v1/nft/upgrade/" + upgradeId + "/confirm-burn",
                "{\"burnTxSignature\":\"" + signature + "\"}");
    }

    String upgradeStatus(String upgradeId) throws IOException, InterruptedException {
        return get("/api/v1/nft/upgrade/" + upgradeId).json().path("status").asString();
    }

    /** One HTTP answer. */
    record Reply(int status, String contentType, String retryAfterHeader, String body) {
        java.util.Optional<String> retryAfter() {
            return java.util.Optional.ofNullable(retryAfterHeader).filter(v -> v.matches("\\d+"));
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }
    }
}
