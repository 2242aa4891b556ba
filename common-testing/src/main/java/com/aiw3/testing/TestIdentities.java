package com.aiw3.testing;

import com.aiw3.web.IdentityKeys;
import com.aiw3.web.IdentitySigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The identity keys of a test JVM: one key pair made at first use, the signing key given to every Spring
 * application started in this JVM as {@code aiw3.identity.signing-key} (api-gateway) and its public key as
 * {@code aiw3.identity.verification-keys} (the services), as defaults a test may override. Tests call the
 * services as api-gateway does with {@link #identityOf}; {@link #foreignKeys()} is another pair for
 * identities the services must refuse.
 */
public final class TestIdentities implements EnvironmentPostProcessor {

    public static final IdentityKeys KEYS = IdentityKeys.generate("aiw3-test");

    private static final IdentitySigner SIGNER =
            IdentitySigner.fromJwk(KEYS.signingKey(), Duration.ofMinutes(5), Clock.systemUTC());

    /** The signed identity api-gateway would set for {@code userId} with comma-separated {@code roles}. */
    public static String identityOf(String userId, @Nullable String roles) {
        return identityOf(userId, null, roles);
    }

    /** The signed identity of {@code userId} who signed in with {@code wallet}. */
    public static String identityOf(String userId, @Nullable String wallet, @Nullable String roles) {
        return SIGNER.sign(
                        userId,
                        wallet,
                        roles == null || roles.isBlank() ? List.of() : Arrays.asList(roles.split(",")),
                        Instant.now().plus(Duration.ofHours(1)),
                        "test-session-" + userId)
                .value();
    }

    /**
     * The signed identity of {@code userId} in the sign-in {@code sessionId}, whose token expires at
     * {@code tokenExpiresAt}: what api-gateway signs for a short-lived token.
     */
    public static String identityOf(String userId, String sessionId, Instant tokenExpiresAt) {
        return SIGNER.sign(userId, null, List.of("user"), tokenExpiresAt, sessionId)
                .value();
    }

    /** A key pair of its own: what a pod that is not api-gateway could sign with. */
    public static IdentityKeys foreignKeys() {
        return IdentityKeys.generate("aiw3-test");
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "aiw3-test-identity-keys",
                        Map.of(
                                "aiw3.identity.signing-key",
                                KEYS.signingKey(),
                                "aiw3.identity.verification-keys",
                                KEYS.verificationKeys())));
    }
}
