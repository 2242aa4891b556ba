package com.aiw3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.ServerProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** What is shipped: the jar carries no private key, and production configuration cannot mint tokens. */
class ProductionArtifactsIntegrationTest {

    /** A PEM private key of any kind: PKCS#8, PKCS#1 (RSA), SEC 1 (EC), encrypted. */
    private static final java.util.regex.Pattern PRIVATE_KEY =
            java.util.regex.Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");

    @Test
    void theJarContainsNoPrivateKeyInAnyOfItsOwnResources() throws IOException {
        Path jar = ServerProcesses.bootJar("api-gateway");
        List<String> offending = new ArrayList<>();
        List<String> scanned = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            scan(zip, "", offending, scanned);
        }

        assertThat(scanned)
                .as("the gateway's own classes and resources were read")
                .contains("BOOT-INF/classes/application.yml");
        assertThat(offending).as("entries holding a private key or a .pem file").isEmpty();
    }

    @Test
    void productionConfigurationHasDevTokensOff() throws IOException {
        Downstreams.start();
        Map<String, String> properties = new HashMap<>();
        ApiGatewayIntegrationTest.gatewayProperties().forEach((key, value) -> {
            if (!key.startsWith("aiw3.gateway.jwt.")) {
                properties.put(key, value);
            }
        });
        // Production: application.yml and the identity provider's JWKS, nothing else about tokens.
        properties.put("aiw3.gateway.jwt.jwk-set-uri", "http://127.0.0.1:9/jwks");
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(ApiGatewayApplication.class)
                .run(Stream.concat(
                                Stream.of("--server.port=0"),
                                properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()))
                        .toArray(String[]::new))) {
            GatewayProperties.DevTokens devTokens =
                    gateway.getBean(GatewayProperties.class).jwt().devTokens();
            assertThat(devTokens.enabled()).isFalse();
            assertThat(devTokens.signingKey()).isNull();
            assertThat(gateway.getBeanNamesForType(org.springframework.security.oauth2.jwt.JwtEncoder.class))
                    .isEmpty();
        }
        // Nor do the deployment manifests turn them on.
        try (Stream<Path> manifests = Files.walk(Path.of("../deploy/k8s"))) {
            for (Path manifest :
                    manifests.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                assertThat(Files.readString(manifest))
                        .as(manifest.toString())
                        .doesNotContainIgnoringCase("DEVTOKENS")
                        .doesNotContainIgnoringCase("dev-tokens");
            }
        }
    }

    /** Every entry of the gateway's own classes and of the platform's libraries nested in the jar. */
    private static void scan(ZipInputStream zip, String prefix, List<String> offending, List<String> scanned)
            throws IOException {
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            String name = prefix + entry.getName();
            if (entry.isDirectory()) {
                continue;
            }
            boolean ownLibrary = entry.getName().matches("BOOT-INF/lib/common-[a-z-]+-[0-9].*\\.jar");
            if (ownLibrary) {
                scan(new ZipInputStream(new NonClosing(zip)), name + "!/", offending, scanned);
                continue;
            }
            if (!prefix.isEmpty() || entry.getName().startsWith("BOOT-INF/classes/")) {
                scanned.add(name);
                String text = new String(zip.readAllBytes(), StandardCharsets.ISO_8859_1);
                if (PRIVATE_KEY.matcher(text).find() || name.endsWith(".pem") || name.endsWith(".key")) {
                    offending.add(name);
                }
            }
        }
    }

    /** Reading a nested jar must not close the outer one. */
    private static final class NonClosing extends InputStream {
        private final InputStream in;

        NonClosing(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() {}
    }
}
