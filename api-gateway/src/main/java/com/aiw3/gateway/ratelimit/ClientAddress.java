package com.aiw3.gateway.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.server.ServerWebExchange;

/**
 * The client's IP for the per-address limits. With no trusted proxy it is the connection's peer. Behind proxies
 * that each append the address they were reached from to {@code X-Forwarded-For} (the ingress controller), it is
 * the entry {@code trustedProxyHops} from the right: the address the outermost trusted proxy saw. Entries further
 * left were written by whoever sent the request, so a client that sends its own header cannot choose the address
 * its requests are counted under.
 */
final class ClientAddress {

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private ClientAddress() {}

    static String of(ServerWebExchange exchange, int trustedProxyHops) {
        if (trustedProxyHops > 0) {
            List<String> entries = forwardedFor(exchange);
            if (!entries.isEmpty()) {
                String entry = entries.get(Math.max(0, entries.size() - trustedProxyHops));
                try {
                    // A literal only: a name would be looked up in DNS, for every request, on a client's say-so.
                    return InetAddress.ofLiteral(entry).getHostAddress();
                } catch (IllegalArgumentException notAnAddress) {
                    // Not what a trusted proxy writes: fall back to the peer rather than to a client's text.
                }
            }
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null
                ? "unknown"
                : remote.getAddress().getHostAddress();
    }

    /** Every entry of every X-Forwarded-For header, in order (several headers are one comma-separated list). */
    private static List<String> forwardedFor(ServerWebExchange exchange) {
        List<String> entries = new ArrayList<>();
        for (String header : exchange.getRequest().getHeaders().getOrEmpty(X_FORWARDED_FOR)) {
            for (String entry : header.split(",", -1)) {
                entries.add(entry.strip());
            }
        }
        return entries;
    }
}
