package com.aiw3.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalServiceTest {

    private static final LocalService GATEWAY = LocalService.ALL.stream()
            .filter(s -> s.name().equals("api-gateway"))
            .findFirst()
            .orElseThrow();

    @Test
    void theGatewayGetsDevTokensWithAKeyMadeOnceAndKept(@TempDir Path work) throws Exception {
        Map<String, String> first = GATEWAY.devTokenEnv(work);
        Path key = work.resolve(LocalService.DEV_TOKEN_KEY_FILE);
        String pem = Files.readString(key);
        Map<String, String> second = GATEWAY.devTokenEnv(work);

        assertThat(first)
                .containsEntry("AIW3_GATEWAY_JWT_DEVTOKENS_ENABLED", "true")
                .containsEntry("AIW3_GATEWAY_JWT_DEVTOKENS_SIGNINGKEY", "file:" + key.toAbsolutePath());
        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(key)).isEqualTo(pem);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
        assertThat(KeyFactory.getInstance("RSA")
                        .generatePrivate(new PKCS8EncodedKeySpec(der))
                        .getAlgorithm())
                .isEqualTo("RSA");
        assertThat(Files.getPosixFilePermissions(key)).hasSize(2);
    }

    @Test
    void noOtherServiceGetsDevTokens(@TempDir Path work) {
        LocalService.ALL.stream()
                .filter(s -> !s.name().equals("api-gateway"))
                .forEach(s -> assertThat(s.devTokenEnv(work)).isEmpty());
        assertThat(work.resolve(LocalService.DEV_TOKEN_KEY_FILE)).doesNotExist();
    }
}
