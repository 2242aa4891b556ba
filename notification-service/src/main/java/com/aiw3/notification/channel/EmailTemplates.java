package com.aiw3.notification.channel;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Email bodies from the Mustache templates {@code templates/email/<template>.html|.txt} ({@code default}
 * when a template has no file), rendered by JMustache: every value is inserted once, as text (a value
 * holding {@code {{title}}} is never expanded again), HTML-escaped in the HTML part. The values are the
 * notification's data, then {@code title}, {@code body}, {@code locale} and {@code details} (empty unless
 * the data has it); a placeholder with no value renders empty.
 */
final class EmailTemplates {

    private static final Mustache.Compiler HTML = Mustache.compiler().defaultValue("");
    private static final Mustache.Compiler TEXT = HTML.escapeHTML(false);

    private final Map<String, Template> cache = new ConcurrentHashMap<>();

    String html(Outgoing message) {
        return template(message.template(), "html").execute(values(message));
    }

    String text(Outgoing message) {
        return template(message.template(), "txt").execute(values(message));
    }

    private static Map<String, String> values(Outgoing message) {
        Map<String, String> values = new HashMap<>(message.data());
        values.put("title", message.title());
        values.put("body", message.body());
        values.put("locale", message.locale());
        values.putIfAbsent("details", "");
        return values;
    }

    private Template template(String template, String kind) {
        return cache.computeIfAbsent(template + "." + kind, key -> {
            String found = read("templates/email/" + key);
            String source = found != null
                    ? found
                    : Objects.requireNonNull(
                            read("templates/email/default." + kind), "the default email template is packaged");
            return (kind.equals("html") ? HTML : TEXT).compile(source);
        });
    }

    private static @Nullable String read(String path) {
        try (InputStream in = EmailTemplates.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
