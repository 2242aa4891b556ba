package com.aiw3.messaging.outbox;

import com.aiw3.events.serde.EventCodec;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.messaging.kafka.KafkaConventionsAutoConfiguration;
import com.aiw3.messaging.tracing.MessageTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox for every service that owns a database: it replaces direct publishing there. */
@AutoConfiguration(
        before = KafkaConventionsAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@ConditionalOnClass({JdbcClient.class, Flyway.class, FlywayMigrationInitializer.class})
@ConditionalOnBean(DataSource.class)
public class OutboxAutoConfiguration {

    /**
     * Runs after the service's own migrations (which expect an empty schema on first start); the
     * library's tables then join with a baseline of their own history table.
     */
    @Bean
    MessagingSchema messagingSchema(
            DataSource dataSource,
            Environment environment,
            ObjectProvider<FlywayMigrationInitializer> serviceMigrations) {
        serviceMigrations.orderedStream().forEach(initializer -> {});
        String schemas = environment.getProperty("spring.flyway.schemas", "");
        String schema = environment.getProperty("spring.flyway.default-schema", schemas.split(",")[0].trim());
        return new MessagingSchema(dataSource, schema);
    }

    @Bean
    OutboxRelay outboxRelay(
            MessagingSchema schema,
            DataSource dataSource,
            PlatformTransactionManager transactions,
            @Qualifier("rawEventKafkaTemplate") KafkaTemplate<String, byte[]> rawEventKafkaTemplate,
            MessagingProperties properties,
            ObjectProvider<MeterRegistry> meters,
            ObjectProvider<MessageTracing> tracing) {
        return new OutboxRelay(
                JdbcClient.create(dataSource),
                new TransactionTemplate(transactions),
                rawEventKafkaTemplate,
                properties.outbox(),
                meters.getIfAvailable(SimpleMeterRegistry::new),
                tracing.getIfAvailable(() -> MessageTracing.NOOP));
    }

    @Bean
    EventPublisher outboxEventPublisher(
            DataSource dataSource, OutboxRelay relay, ObjectProvider<MessageTracing> tracing) {
        return new OutboxEventPublisher(
                JdbcClient.create(dataSource),
                relay,
                EventCodec.DEFAULT,
                tracing.getIfAvailable(() -> MessageTracing.NOOP));
    }
}
