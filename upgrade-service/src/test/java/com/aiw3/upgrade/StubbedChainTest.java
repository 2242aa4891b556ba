package com.aiw3.upgrade;

import static org.awaitility.Awaitility.await;

import com.aiw3.testing.TestHttp;
import com.aiw3.testing.TestPostgres;
import com.aiw3.upgrade.support.Holders;
import com.aiw3.upgrade.support.KuboStub;
import com.aiw3.upgrade.support.SolanaRpcStub;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import com.aiw3.upgrade.tier.TierArtwork;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service under test wired to a fresh schema and to the Solana RPC and Kubo stubs. The stubs live as
 * long as the test JVM (WireMock's threads are daemons); each test resets them, once every tier's artwork
 * is pinned, and gets a client ({@link #http}) and the holders it seeds ({@link #holders}).
 */
abstract class StubbedChainTest {

    static final SolanaRpcStub RPC = new SolanaRpcStub();
    static final KuboStub KUBO = new KuboStub();

    @DynamicPropertySource
    static void stubbedInfrastructure(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry, "upgrade");
        registry.add("aiw3.upgrade.solana.rpc-url", RPC::url);
        registry.add("aiw3.upgrade.solana.system-wallet-key", () -> UpgradeTestSupport.SYSTEM_WALLET_KEY);
        registry.add("aiw3.upgrade.solana.metadata-update-authority", () -> UpgradeTestSupport.UPDATE_AUTHORITY);
        registry.add("aiw3.upgrade.ipfs.api-url", KUBO::url);
    }

    @LocalServerPort
    int port;

    // The broker of this context, not the spring.embedded.kafka.brokers system property: every embedded
    // broker that starts later in the JVM overwrites that property, and this context may be a cached one.
    @Autowired
    EmbeddedKafkaBroker embeddedKafka;

    String brokers;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TierArtwork tierArtwork;

    TestHttp http;
    Holders holders;

    @BeforeEach
    void stubbedChainOfThisContext() {
        brokers = embeddedKafka.getBrokersAsString();
        // Every tier's artwork is pinned at start-up; upgrades and claims to a tier wait for it otherwise.
        await().atMost(Duration.ofSeconds(30)).until(() -> tierArtwork.unpinned() == 0);
        RPC.reset();
        KUBO.reset();
        http = new TestHttp(port);
        holders = new Holders(jdbc);
    }
}
