package com.aiw3.upgrade;

import com.aiw3.testing.TestPostgres;
import com.aiw3.upgrade.support.KuboStub;
import com.aiw3.upgrade.support.SolanaRpcStub;
import com.aiw3.upgrade.support.UpgradeTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service under test wired to a fresh schema and to the Solana RPC and Kubo stubs. The stubs live as
 * long as the test JVM (WireMock's threads are daemons); each test resets them.
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

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    JdbcClient jdbc;
}
