package com.aiw3.messaging.it;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.upgrade.UpgradeEvent;
import com.aiw3.messaging.EventPublisher;
import java.util.UUID;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A module that changes its database and emits an event: state row and outbox row in one transaction. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ProducerModule.Upgrades.class)
class ProducerModule {

    @Service
    static class Upgrades {
        private final JdbcClient jdbc;
        private final EventPublisher events;

        Upgrades(JdbcClient jdbc, EventPublisher events) {
            this.jdbc = jdbc;
            this.events = events;
        }

        @Transactional
        EventEnvelope<?> request(String userId, int targetTier, boolean failAfterPublish) {
            UUID id = UUID.randomUUID();
            jdbc.sql("insert into upgrade_request (id, user_id, target_tier) values (?, ?, ?)")
                    .params(id, userId, targetTier)
                    .update();
            EventEnvelope<?> event =
                    EventEnvelope.of(new UpgradeEvent.QualificationVerified(id, userId, targetTier), "producer-module");
            events.publish(event);
            if (failAfterPublish) {
                throw new IllegalStateException("business rule failed after publishing: nothing may leave");
            }
            return event;
        }
    }
}
