package com.aiw3.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL for tests, with a fresh schema per test class so classes never see each other's rows.
 *
 * <p>Uses {@code AIW3_TEST_POSTGRES_URL} (with {@code _USER}/{@code _PASSWORD}) when set, else the server
 * on 127.0.0.1:5432 (database {@code test}, as on CI), else starts an embedded PostgreSQL once per JVM.
 */
public final class TestPostgres {

    /** One isolated schema of the shared server. */
    public record Database(String jdbcUrl, String username, String password, String schema) {

        private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:postgresql://)([^/:]+)(?::(\\d+))?(/.*)$");

        /** The server's port (5432 when the URL names none). */
        public int port() {
            var matcher = matcher();
            return matcher.group(3) == null ? 5432 : Integer.parseInt(matcher.group(3));
        }

        /** The same schema reached on another local port: through a {@link TcpProxy} in front of the server. */
        public Database onLocalPort(int port) {
            var matcher = matcher();
            return new Database(matcher.group(1) + "127.0.0.1:" + port + matcher.group(4), username, password, schema);
        }

        private Matcher matcher() {
            var matcher = HOST_PORT.matcher(jdbcUrl);
            if (!matcher.matches()) {
                throw new IllegalStateException("not a PostgreSQL JDBC URL: " + jdbcUrl);
            }
            return matcher;
        }
    }

    private record Server(String baseUrl, String username, String password) {}

    private static @Nullable Server server;
    private static @Nullable EmbeddedPostgres embedded;

    private TestPostgres() {}

    /** A new, empty schema; its JDBC URL selects it as the current schema. */
    public static Database freshSchema(String prefix) {
        Server base = server();
        String schema = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = DriverManager.getConnection(base.baseUrl(), base.username(), base.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema on " + base.baseUrl(), e);
        }
        String separator = base.baseUrl().contains("?") ? "&" : "?";
        return new Database(
                base.baseUrl() + separator + "currentSchema=" + schema, base.username(), base.password(), schema);
    }

    /** Points Spring's DataSource and Flyway at a fresh schema. */
    public static Database register(DynamicPropertyRegistry registry, String prefix) {
        Database db = freshSchema(prefix);
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("spring.flyway.schemas", db::schema);
        registry.add("spring.flyway.default-schema", db::schema);
        return db;
    }

    private static synchronized Server server() {
        if (server != null) {
            return server;
        }
        String url = System.getenv("AIW3_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            server = new Server(
                    url, envOr("AIW3_TEST_POSTGRES_USER", "postgres"), envOr("AIW3_TEST_POSTGRES_PASSWORD", ""));
        } else if (listening("127.0.0.1", 5432)) {
            server = new Server("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        } else {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("no PostgreSQL on 127.0.0.1:5432 and the embedded one failed", e);
            }
            server = new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "");
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stopEmbedded));
        }
        return server;
    }

    private static void stopEmbedded() {
        EmbeddedPostgres started = embedded;
        if (started == null) {
            return;
        }
        try {
            started.close();
        } catch (IOException ignored) {
            // the JVM is exiting; the temp directory is removed by the OS
        }
    }

    private static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
