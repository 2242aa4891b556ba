package com.aiw3.upgrade;

import static com.aiw3.upgrade.support.UpgradeTestSupport.confirmBurn;
import static com.aiw3.upgrade.support.UpgradeTestSupport.json;
import static com.aiw3.upgrade.support.UpgradeTestSupport.signAndLand;
import static com.aiw3.upgrade.support.UpgradeTestSupport.start;
import static com.aiw3.upgrade.support.UpgradeTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aiw3.upgrade.support.Holders.Holder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The service's calls to the Solana node and to IPFS are timed as {@code http.client.requests}, tagged
 * with the host they went to, with the same tag keys (Prometheus keeps one set of tag keys per name).
 */
@StubbedChainService
class HttpClientMetricsIntegrationTest extends StubbedChainTest {

    private static final String IPFS_ADD = "/api/v0/add?cid-version=1&pin=true&quieter=true";

    @Autowired
    MeterRegistry meters;

    @Test
    void anUpgradeTimesItsRpcCallsAndItsIpfsAddsAsHttpClientRequestsByHost() {
        String rpcHost = URI.create(RPC.url()).getHost();
        String ipfsHost = URI.create(KUBO.url()).getHost();
        long rpcBefore = count(rpcHost, "none");
        long ipfsBefore = count(ipfsHost, IPFS_ADD);

        Holder holder = holders.qualifiedForTier2();
        HttpResponse<String> started = start(http, holder.userId(), 2);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode body = json(started);
        String id = body.get("upgradeId").asString();
        String signature = signAndLand(RPC, holder, body.get("burnTransaction").asString());
        assertThat(confirmBurn(http, holder.userId(), id, signature).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(http, holder.userId(), id), "completed"::equals);

        assertThat(count(rpcHost, "none"))
                .as("RPC calls (blockhash, burn lookup, mint, confirmation) timed against the node's host")
                .isGreaterThan(rpcBefore);
        assertThat(count(ipfsHost, IPFS_ADD))
                .as("the metadata's add timed against the IPFS host")
                .isGreaterThan(ipfsBefore);

        Timer rpc = meters.get("http.client.requests")
                .tag("client.name", rpcHost)
                .tag("uri", "none")
                .tag("method", "POST")
                .tag("status", "200")
                .tag("outcome", "SUCCESS")
                .timer();
        Timer ipfs = meters.get("http.client.requests")
                .tag("client.name", ipfsHost)
                .tag("uri", IPFS_ADD)
                .tag("method", "POST")
                .tag("status", "200")
                .tag("outcome", "SUCCESS")
                .timer();
        assertThat(tagKeys(rpc)).isEqualTo(tagKeys(ipfs));
    }

    private long count(String host, String uri) {
        return meters.find("http.client.requests").tag("client.name", host).tag("uri", uri).timers().stream()
                .mapToLong(Timer::count)
                .sum();
    }

    private static Set<String> tagKeys(Meter meter) {
        return meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
    }
}
