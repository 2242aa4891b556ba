package com.aiw3.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class ClientAddressTest {

    private static final InetSocketAddress INGRESS = new InetSocketAddress("10.0.0.7", 41000);

    private static MockServerWebExchange from(String... forwardedFor) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/events/stream")
                .remoteAddress(INGRESS)
                .header("X-Forwarded-For", forwardedFor));
    }

    @Test
    void withoutTrustedProxiesTheConnectionsPeerCountsAndTheHeaderIsIgnored() {
        assertThat(ClientAddress.of(from("203.0.113.9"), 0)).isEqualTo("10.0.0.7");
    }

    @Test
    void behindOneTrustedProxyTheEntryItAppendedCountsWhateverTheClientSentBeforeIt() {
        assertThat(ClientAddress.of(from("198.51.100.1"), 1)).isEqualTo("198.51.100.1");
        // The client forged two entries; the ingress appended the address it was reached from.
        assertThat(ClientAddress.of(from("1.2.3.4, 5.6.7.8, 198.51.100.1"), 1)).isEqualTo("198.51.100.1");
        // Several headers are one list, in order.
        assertThat(ClientAddress.of(from("1.2.3.4", "198.51.100.1"), 1)).isEqualTo("198.51.100.1");
    }

    @Test
    void behindTwoTrustedProxiesTheSecondEntryFromTheRightCounts() {
        assertThat(ClientAddress.of(from("1.2.3.4, 198.51.100.1, 10.1.2.3"), 2)).isEqualTo("198.51.100.1");
        assertThat(ClientAddress.of(from("2001:db8::1, 10.1.2.3"), 2)).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void anEntryThatIsNoAddressIsNeverLookedUpAndThePeerCountsInstead() {
        assertThat(ClientAddress.of(from("evil.example"), 1)).isEqualTo("10.0.0.7");
        assertThat(ClientAddress.of(from(""), 1)).isEqualTo("10.0.0.7");
    }

    @Test
    void aRequestWithoutTheHeaderCountsUnderItsPeer() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/events/stream").remoteAddress(INGRESS));
        assertThat(ClientAddress.of(exchange, 1)).isEqualTo("10.0.0.7");
    }
}
