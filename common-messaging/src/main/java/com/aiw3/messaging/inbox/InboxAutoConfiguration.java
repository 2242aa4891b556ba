package com.aiw3.messaging.inbox;

import com.aiw3.messaging.outbox.MessagingSchema;
import com.aiw3.messaging.outbox.OutboxAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Idempotent consumption for every service that owns a database. */
@AutoConfiguration(after = OutboxAutoConfiguration.class)
@ConditionalOnBean(MessagingSchema.class)
public class InboxAutoConfiguration {

    @Bean
    IdempotentConsumer idempotentConsumer(
            MessagingSchema schema,
            DataSource dataSource,
            PlatformTransactionManager transactions,
            ObjectProvider<MeterRegistry> meters) {
        return new IdempotentConsumer(
                JdbcClient.create(dataSource),
                new TransactionTemplate(transactions),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
