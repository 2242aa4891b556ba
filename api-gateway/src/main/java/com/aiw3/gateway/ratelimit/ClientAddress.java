package com.aiw3.gateway.ratelimit;

import java.net.InetSocketAddress;
import org.springframework.web.server.ServerWebExchange;

/**
 * The client's IP. Behind a load balancer set {@code server.forward-headers-strategy=framework} so the
 * trusted proxy's X-Forwarded-For becomes the remote address; never trust the header otherwise.
 */
final class ClientAddress {

    private ClientAddress() {}

    static String of(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null
                ? "unknown"
                : remote.getAddress().getHostAddress();
    }
}
