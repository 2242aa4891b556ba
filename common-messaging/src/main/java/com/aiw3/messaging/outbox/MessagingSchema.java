package com.aiw3.messaging.outbox;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Migrates the outbox and inbox tables with their own Flyway history table, so the library's migrations
 * never interleave with a service's own version sequence.
 */
public final class MessagingSchema {

    static final String HISTORY_TABLE = "messaging_schema_history";

    MessagingSchema(DataSource dataSource, String schema) {
        var config = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/messaging")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0");
        if (schema != null && !schema.isBlank()) {
            config.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        config.load().migrate();
    }
}
