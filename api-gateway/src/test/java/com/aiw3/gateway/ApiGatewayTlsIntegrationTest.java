package com.aiw3.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** h2 over TLS (ALPN) beside h2c: the gateway with a PKCS12 keystore, as production terminates TLS. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiGatewayTlsIntegrationTest {

    private static final String PASSWORD = "changeit-test";
    private static Path keystore;

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws IOException, InterruptedException {
        Downstreams.start();
        ApiGatewayIntegrationTest.gatewayProperties().forEach((key, value) -> registry.add(key, () -> value));
        keystore = Files.createTempDirectory("tls").resolve("gateway.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "gateway",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD)
                .inheritIO()
                .start();
        assertThat(keytool.waitFor()).isZero();
        registry.add("server.ssl.enabled", () -> "true");
        registry.add("server.ssl.key-store", () -> keystore.toUri().toString());
        registry.add("server.ssl.key-store-type", () -> "PKCS12");
        registry.add("server.ssl.key-store-password", () -> PASSWORD);
        registry.add("server.ssl.key-alias", () -> "gateway");
    }

    @LocalServerPort
    int port;

    private HttpClient trustingTheTestCertificate() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(tls)
                .build();
    }

    @Test
    void aRoutedCallAndAStreamNegotiateHttp2OverTls() throws Exception {
        Downstreams.REST.stubFor(get(urlPathEqualTo("/api/v1/nft/tiers"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("[]")));
        HttpClient client = trustingTheTestCertificate();
        String token = Tokens.valid("tls-user", "user");

        HttpResponse<String> rest = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/nft/tiers"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<java.util.stream.Stream<String>> stream = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/events/stream?events=3&every=50"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());

        assertThat(rest.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(rest.statusCode()).isEqualTo(200);
        assertThat(stream.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(stream.headers().map()).doesNotContainKey("connection");
        List<String> data =
                stream.body().filter(line -> line.startsWith("data:")).toList();
        assertThat(data).hasSize(3);
    }
}
