package com.aiw3.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every public endpoint, fed what an attacker or a broken client sends: each answer is a 4xx
 * problem+json, none is a 5xx, and no row of any service changes.
 */
class BadInputSweepIntegrationTest {

    private static final String HUGE = "{\"targetTierId\":2,\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

    private final Platform platform = Platform.get();

    /** One request of the sweep. */
    record Probe(String name, String method, String path, String body, String contentType, String token) {}

    @Test
    void everyBadRequestGetsAProblemAndChangesNothing() throws Exception {
        User victim = Journeys.holder(platform, "victim");
        String victimUpgrade = victim.requestUpgrade().path("upgradeId").asString();
        User mallory = Journeys.holder(platform, "mallory");
        String valid = mallory.token;
        String forged = forge(valid);
        String expired = expiredLookalike(valid);

        List<Probe> probes = new ArrayList<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("garbage token", "not-a-jwt");
        tokens.put("forged signature", forged);
        tokens.put("expired", expired);
        String[][] endpoints = {
            {"GET", "/api/v1/nft/tiers"},
            {"GET", "/api/v1/nft/qualification?targetTierId=2"},
            {"GET", "/api/v1/nft/mine"},
            {"POST", "/api/v1/nft/upgrade"},
            {"GET", "/api/v1/nft/upgrades"},
            {"GET", "/api/v1/nft/upgrade/" + victimUpgrade},
            {"PATCH", "/api/v1/nft/upgrade/" + victimUpgrade + "/confirm-burn"},
            {"POST", "/api/v1/nft/upgrade/" + victimUpgrade + "/cancel"},
            {"GET", "/api/v1/notifications/preferences"},
            {"PUT", "/api/v1/notifications/preferences"},
            {"POST", "/api/v1/notifications/broadcasts"},
            {"GET", "/api/v1/analytics/users/" + victim.id + "/stats"},
            {"GET", "/api/v1/analytics/levels"},
            {"GET", "/api/v1/audit/events"},
            {"GET", "/api/v1/audit/verify"},
            {"GET", "/api/events/stream"},
            {"GET", "/api/v1/nft/upgrade/" + victimUpgrade + "/events"},
            {"POST", "/api/v1/nft/admin/upgrades/" + victimUpgrade + "/retry-mint"},
        };
        for (String[] endpoint : endpoints) {
            tokens.forEach((name, token) -> probes.add(
                    new Probe(name, endpoint[0], endpoint[1], jsonBody(endpoint[0]), "application/json", token)));
        }
        // Authenticated, but another user's resources or an operator's API.
        probes.add(new Probe("other user's upgrade", "GET", "/api/v1/nft/upgrade/" + victimUpgrade, null, null, valid));
        probes.add(new Probe(
                "other user's progress", "GET", "/api/v1/nft/upgrade/" + victimUpgrade + "/events", null, null, valid));
        probes.add(new Probe(
                "confirm other user's burn",
                "PATCH",
                "/api/v1/nft/upgrade/" + victimUpgrade + "/confirm-burn",
                "{\"burnTxSignature\":\"5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW\"}",
                "application/json",
                valid));
        probes.add(new Probe(
                "cancel other user's upgrade",
                "POST",
                "/api/v1/nft/upgrade/" + victimUpgrade + "/cancel",
                null,
                null,
                valid));
        probes.add(new Probe(
                "other user's stats", "GET", "/api/v1/analytics/users/" + victim.id + "/stats", null, null, valid));
        probes.add(new Probe("audit without operator role", "GET", "/api/v1/audit/events", null, null, valid));
        probes.add(new Probe(
                "broadcast without operator role",
                "POST",
                "/api/v1/notifications/broadcasts",
                "{\"kind\":\"feature\",\"message\":\"Free NFTs for everyone\"}",
                "application/json",
                valid));
        probes.add(new Probe(
                "retry-mint without operator role",
                "POST",
                "/api/v1/nft/admin/upgrades/" + victimUpgrade + "/retry-mint",
                null,
                null,
                valid));
        // Authenticated, malformed input.
        String[][] bodies = {
            {"malformed JSON", "{\"targetTierId\":"},
            {"wrong type", "{\"targetTierId\":\"two\"}"},
            {"array instead of object", "[1,2,3]"},
            {"unknown tier", "{\"targetTierId\":999}"},
            {"negative tier", "{\"targetTierId\":-1}"},
            {"missing field", "{}"},
            {"null", "null"},
            {"huge body", HUGE},
        };
        for (String[] body : bodies) {
            probes.add(new Probe(body[0], "POST", "/api/v1/nft/upgrade", body[1], "application/json", valid));
        }
        probes.add(new Probe(
                "not JSON",
                "POST",
                "/api/v1/nft/upgrade",
                "targetTierId=2",
                "application/x-www-form-urlencoded",
                valid));
        probes.add(new Probe(
                "malformed JSON",
                "PUT",
                "/api/v1/notifications/preferences",
                "{\"email\":",
                "application/json",
                valid));
        probes.add(new Probe(
                "wrong type",
                "PUT",
                "/api/v1/notifications/preferences",
                "{\"email\":42,\"optOut\":\"yes\"}",
                "application/json",
                valid));
        probes.add(new Probe(
                "invalid email",
                "PUT",
                "/api/v1/notifications/preferences",
                "{\"email\":\"not an address\"}",
                "application/json",
                valid));
        probes.add(new Probe("huge body", "PUT", "/api/v1/notifications/preferences", HUGE, "application/json", valid));
        probes.add(new Probe("not a uuid", "GET", "/api/v1/nft/upgrade/not-a-uuid", null, null, valid));
        probes.add(new Probe(
                "unknown upgrade",
                "GET",
                "/api/v1/nft/upgrade/00000000-0000-0000-0000-000000000000",
                null,
                null,
                valid));
        probes.add(new Probe(
                "bad signature",
                "PATCH",
                "/api/v1/nft/upgrade/00000000-0000-0000-0000-000000000000/confirm-burn",
                "{\"burnTxSignature\":\"!!!\"}",
                "application/json",
                valid));
        probes.add(new Probe("wrong type", "GET", "/api/v1/nft/qualification?targetTierId=abc", null, null, valid));
        probes.add(new Probe("out of range", "GET", "/api/v1/analytics/leaderboard?size=100000", null, null, valid));

        Map<String, Long> before = quietRowCounts();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Probe probe : probes) {
            HttpResponse<String> response = send(probe);
            byStatus.merge(response.statusCode(), 1, Integer::sum);
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() < 400
                    || response.statusCode() >= 500
                    || !type.startsWith("application/problem+json")) {
                wrong.add(probe.method() + " " + probe.path() + " (" + probe.name() + ") -> " + response.statusCode()
                        + " " + type);
            }
        }
        Map<String, Long> after = quietRowCounts();

        System.out.printf(
                "[system] bad-input sweep: %d requests, by status %s, 5xx %d, rows changed %s%n",
                probes.size(),
                byStatus,
                byStatus.entrySet().stream()
                        .filter(e -> e.getKey() >= 500)
                        .mapToInt(Map.Entry::getValue)
                        .sum(),
                !after.equals(before));
        assertThat(wrong).as("answers that are not 4xx problem+json").isEmpty();
        assertThat(after).as("row counts of every service's tables").isEqualTo(before);
        assertThat(victim.upgradeStatus(victimUpgrade)).isEqualTo("awaiting_burn");
    }

    private HttpResponse<String> send(Probe probe) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gateway() + probe.path()))
                .timeout(Duration.ofSeconds(10));
        if (probe.token() != null) {
            request.header("Authorization", "Bearer " + probe.token());
        }
        if (probe.body() != null) {
            request.header("Content-Type", probe.contentType())
                    .method(probe.method(), HttpRequest.BodyPublishers.ofString(probe.body()));
        } else {
            request.method(probe.method(), HttpRequest.BodyPublishers.noBody());
        }
        return User.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String jsonBody(String method) {
        return method.equals("GET") ? null : "{\"targetTierId\":2,\"email\":\"x@y.z\"}";
    }

    /** The valid token with its last signature bytes changed. */
    private static String forge(String token) {
        char last = token.charAt(token.length() - 5);
        return token.substring(0, token.length() - 5) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);
    }

    /** The valid token's header and signature around a payload whose exp is in the past (so also forged). */
    private static String expiredLookalike(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String expired = payload.replaceAll("\"exp\":\\d+", "\"exp\":1000000000");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(expired.getBytes()) + "."
                + parts[2];
    }

    /** Row counts once the platform has settled (the set-up's own events consumed): equal twice in a row. */
    private Map<String, Long> quietRowCounts() {
        List<Map<String, Long>> last = new ArrayList<>(List.of(Map.of()));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Map<String, Long> now = rowCounts();
                    boolean settled = now.equals(last.getFirst());
                    last.set(0, now);
                    return settled;
                });
        return last.getFirst();
    }

    /** Rows in every table of every service's schema: nothing may change. */
    private Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection db = platform.jdbc()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = db.createStatement().executeQuery("""
                    select table_schema || '.' || table_name from information_schema.tables
                    where table_schema in ('upgrade','notification','analytics','audit') and table_type = 'BASE TABLE'
                      and table_name not like 'flyway%' and table_name not in ('shedlock')""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                // sse-gateway's instance heartbeats arrive on a timer, whatever the requests do.
                String where = table.equals("audit.audit_record") ? " where topic <> 'sse-gateway-instances'" : "";
                try (ResultSet rs = db.createStatement().executeQuery("select count(*) from " + table + where)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
