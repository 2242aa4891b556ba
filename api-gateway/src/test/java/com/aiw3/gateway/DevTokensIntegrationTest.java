package com.aiw3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/** {@code POST /dev/token} exists only when dev tokens are enabled, and then only with a signing key given at start. */
class DevTokensIntegrationTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theDevTokenEndpointIsA404WhenDevTokensAreNotEnabled() throws Exception {
        Map<String, String> properties = withoutDevTokens();
        // A JWKS is what a gateway without dev tokens validates with; nothing is fetched before a token arrives.
        properties.put("aiw3.gateway.jwt.jwk-set-uri", "http://127.0.0.1:9/jwks");
        try (ConfigurableApplicationContext gateway = start(properties)) {
            HttpResponse<String> response =
                    HTTP.send(tokenRequest(gateway, "{\"userId\":\"dev-1\"}"), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(gateway.getBeanNamesForType(org.springframework.security.oauth2.jwt.JwtEncoder.class))
                    .isEmpty();
        }
    }

    @Test
    void enabledWithASigningKeyTheGatewayIssuesTokensItVerifies() throws Exception {
        Map<String, String> properties = withoutDevTokens();
        properties.put("aiw3.gateway.jwt.dev-tokens.enabled", "true");
        properties.put("aiw3.gateway.jwt.dev-tokens.signing-key", Tokens.DEV_KEY_FILE);
        properties.put("aiw3.gateway.jwt.dev-tokens.ttl", "15m");
        try (ConfigurableApplicationContext gateway = start(properties)) {
            HttpResponse<String> issued = HTTP.send(
                    tokenRequest(gateway, "{\"userId\":\"dev-1\",\"roles\":[\"user\"]}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).isEqualTo(200);
            assertThat(issued.body()).contains("\"expires_in\":900");
            String token = issued.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");

            Jwt verified =
                    gateway.getBean(ReactiveJwtDecoder.class).decode(token).block(Duration.ofSeconds(5));
            assertThat(verified.getSubject()).isEqualTo("dev-1");
            // Signed with the configured key: the tests' own signer makes tokens the gateway accepts too.
            assertThat(gateway.getBean(ReactiveJwtDecoder.class)
                            .decode(Tokens.valid("dev-2", "user"))
                            .block(Duration.ofSeconds(5))
                            .getSubject())
                    .isEqualTo("dev-2");
        }
    }

    @Test
    void enabledWithoutASigningKeyTheGatewayDoesNotStart() {
        Map<String, String> properties = withoutDevTokens();
        properties.put("aiw3.gateway.jwt.dev-tokens.enabled", "true");

        assertThatThrownBy(() -> start(properties).close())
                .rootCause()
                .hasMessageContaining("aiw3.gateway.jwt.dev-tokens.signing-key");
    }

    private static Map<String, String> withoutDevTokens() {
        Downstreams.start();
        Map<String, String> properties = new HashMap<>(ApiGatewayIntegrationTest.gatewayProperties());
        properties.remove("aiw3.gateway.jwt.dev-tokens.enabled");
        properties.remove("aiw3.gateway.jwt.dev-tokens.signing-key");
        return properties;
    }

    private static ConfigurableApplicationContext start(Map<String, String> properties) {
        return new SpringApplicationBuilder(ApiGatewayApplication.class)
                .run(java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("--server.port=0"),
                                properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()))
                        .toArray(String[]::new));
    }

    private static HttpRequest tokenRequest(ConfigurableApplicationContext gateway, String body) {
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dev/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
