package com.aiw3.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.web.server.ServerWebExchange;

class EagerFirewallTest {

    private final EagerFirewall firewall = new EagerFirewall();

    @Test
    void aCleanRequestGoesOnAsItCameWithoutAWrapper() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/nft/tiers?x=1")
                .header("Authorization", "Bearer abc")
                .header("X-Note", "caf\u00e9\tbar"));

        assertThat(firewall.getFirewalledExchange(exchange).block()).isSameAs(exchange);
    }

    @Test
    void aHeaderValueWithAControlCharacterIsRefusedEvenIfNothingWouldReadIt() {
        assertRejected(MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/v1/nft/tiers").header("X-Unread", "a\u0007b")));
    }

    @Test
    void aHeaderNameWithAnUnassignedCharacterIsRefused() {
        assertRejected(MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/v1/nft/tiers").header("X-\u0378", "b")));
    }

    @Test
    void aQueryParameterNameWithAControlCharacterIsRefused() {
        assertRejected(MockServerWebExchange.from(
                MockServerHttpRequest.method(HttpMethod.GET, URI.create("/api/events/subscribe?%01streams=nft"))
                        .build()));
    }

    @Test
    void theStrictFirewallsPathChecksStillApply() {
        assertRejected(MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/nft/%2e%2e/audit")));
        assertRejected(MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/nft;jsessionid=1/tiers")));
    }

    private void assertRejected(ServerWebExchange exchange) {
        assertThatThrownBy(() -> firewall.getFirewalledExchange(exchange).block())
                .isInstanceOf(ServerExchangeRejectedException.class);
    }
}
