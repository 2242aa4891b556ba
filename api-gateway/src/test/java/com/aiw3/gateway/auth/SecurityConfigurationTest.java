package com.aiw3.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

class SecurityConfigurationTest {

    @Test
    void aBearerHeaderGivesItsTokenWhateverTheSchemesCase() {
        for (String header :
                new String[] {"Bearer abc.DEF-_~+/9==", "bearer abc.DEF-_~+/9==", "BEARER abc.DEF-_~+/9=="}) {
            var token = (BearerTokenAuthenticationToken)
                    SecurityConfiguration.bearerHeader(header).block();
            assertThat(token.getToken()).isEqualTo("abc.DEF-_~+/9==");
        }
    }

    @Test
    void anotherSchemeOrNoHeaderIsNoBearerToken() {
        assertThat(SecurityConfiguration.bearerHeader(null).blockOptional()).isEmpty();
        assertThat(SecurityConfiguration.bearerHeader("Basic dXNlcjpwYXNz").blockOptional())
                .isEmpty();
    }

    @Test
    void aMalformedBearerTokenIsRefusedAsSpringSecurityRefusesIt() {
        for (String header : new String[] {
            "Bearer", "Bearer ", "Bearer  abc", "Bearer ===", "Bearer a b", "Bearer a=b", "Bearerabc", "Bearer a\"b"
        }) {
            assertThatThrownBy(() -> SecurityConfiguration.bearerHeader(header).block())
                    .as(header)
                    .isInstanceOf(OAuth2AuthenticationException.class)
                    .hasMessageContaining("malformed");
        }
    }

    /** The regular expression Spring Security's converter matches with, as the reference. */
    private static final Pattern SPRING =
            Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$", Pattern.CASE_INSENSITIVE);

    @Test
    void acceptsExactlyWhatSpringSecuritysExpressionAccepts() {
        randomStrings("aZ09-._~+/= \t\"é", 12).forEach(tail -> {
            String header = "Bearer " + tail;
            boolean accepted = SecurityConfiguration.bearerHeader(header)
                    .onErrorResume(OAuth2AuthenticationException.class, e -> reactor.core.publisher.Mono.empty())
                    .blockOptional()
                    .isPresent();
            assertThat(accepted)
                    .as("'%s'", header)
                    .isEqualTo(SPRING.matcher(header).matches());
        });
    }

    @Test
    void aHeaderWithoutAValuePassesTheFirewallAsItDoesInSpringSecurity() {
        assertThat(EagerFirewall.allowed(null, true)).isTrue();
    }

    @Test
    void headerChecksMatchTheStrictFirewallsExpressions() {
        Pattern names = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
        Pattern values = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");
        StringBuilder alphabet = new StringBuilder("\u0378\uD800\uFFFF\u2028");
        for (char c = 0; c < 0x100; c++) {
            alphabet.append(c);
        }
        randomStrings(alphabet.toString(), 8).forEach(sample -> {
            assertThat(EagerFirewall.allowed(sample, false))
                    .as("name %s", sample.chars().boxed().toList())
                    .isEqualTo(names.matcher(sample).matches());
            assertThat(EagerFirewall.allowed(sample, true))
                    .as("value %s", sample.chars().boxed().toList())
                    .isEqualTo(values.matcher(sample).matches());
        });
    }

    /** 20,000 strings of up to {@code maxLength} characters of {@code alphabet}, the same on every run. */
    private static Stream<String> randomStrings(String alphabet, int maxLength) {
        Random random = new Random(20261123L);
        return Stream.generate(() -> {
                    char[] chars = new char[random.nextInt(maxLength + 1)];
                    for (int i = 0; i < chars.length; i++) {
                        chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
                    }
                    return new String(chars);
                })
                .limit(20_000);
    }
}
