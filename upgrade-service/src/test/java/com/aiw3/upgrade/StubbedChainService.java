package com.aiw3.upgrade;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The service on a random port with an embedded broker, short retries, leases and sweeps: one set of
 * properties, so every {@link StubbedChainTest} with it shares one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "aiw3.messaging.topics.max-partitions=1",
            "aiw3.upgrade.sweep-interval=200ms",
            "aiw3.upgrade.lease=5s",
            "aiw3.upgrade.metadata-retry.max-attempts=3",
            "aiw3.upgrade.metadata-retry.initial-backoff=20ms",
            "aiw3.upgrade.mint-retry.max-attempts=3",
            "aiw3.upgrade.mint-retry.initial-backoff=20ms",
            "aiw3.upgrade.solana.confirm-poll-interval=20ms",
            "aiw3.upgrade.solana.confirm-timeout=1s",
            "aiw3.upgrade.solana.burn-lookup-wait=200ms",
            "aiw3.upgrade.solana.request-timeout=2s",
            "aiw3.upgrade.ipfs.gateway-url=https://gateway.test/"
        })
@EmbeddedKafka(partitions = 1)
@interface StubbedChainService {}
