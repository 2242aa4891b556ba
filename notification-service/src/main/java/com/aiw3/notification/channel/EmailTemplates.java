package com.aiw3.notification.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.HtmlUtils;

/**
 * Email bodies from {@code templates/email/<template>.html|.txt} ({@code default} when a template has no
 * file). Placeholders are {@code {{name}}}; values are HTML-escaped in the HTML part.
 */
final class EmailTemplates {

    private final Map<String, String> cache = new ConcurrentHashMap<>();

    String html(Outgoing message) {
        return render(message, "html", true);
    }

    String text(Outgoing message) {
        return render(message, "txt", false);
    }

    private String render(Outgoing message, String kind, boolean escape) {
        String template = load(message.template(), kind);
        Map<String, String> values = new java.util.HashMap<>(message.data());
        values.put("title", message.title());
        values.put("body", message.body());
        values.put("locale", message.locale());
        values.putIfAbsent("details", "");
        String out = template;
        for (var entry : values.entrySet()) {
            String value = entry.getValue() == null ? "" : entry.getValue();
            out = out.replace("{{" + entry.getKey() + "}}", escape ? HtmlUtils.htmlEscape(value) : value);
        }
        return out;
    }

    private String load(String template, String kind) {
        return cache.computeIfAbsent(template + "." + kind, key -> {
            String found = read("templates/email/" + key);
            return found != null
                    ? found
                    : Objects.requireNonNull(
                            read("templates/email/default." + kind), "the default email template is packaged");
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
