package com.aiw3.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The email bodies: each value appears once, where its placeholder is, HTML-escaped in the HTML part. */
class EmailTemplatesTest {

    private final EmailTemplates templates = new EmailTemplates();

    @Test
    void theDefaultTemplateFillsTitleBodyAndLocaleEscapingHtmlOnlyInTheHtmlPart() {
        Outgoing message = new Outgoing(
                "c@aiw3.test", "BTC crossed 100k", "Fish & \"Chips\" <b>it's</b>", "level_up", "en", Map.of());

        assertThat(templates.html(message)).isEqualTo("""
                        <!doctype html>
                        <html lang="en"><head><meta charset="utf-8"><title>BTC crossed 100k</title></head>
                        <body style="font-family:system-ui,sans-serif;color:#111">
                          <h2 style="margin:0 0 12px">BTC crossed 100k</h2>
                          <p style="margin:0 0 16px">Fish &amp; &quot;Chips&quot; &lt;b&gt;it&#39;s&lt;/b&gt;</p>
                          <p style="color:#666;font-size:12px">AIW3 · You receive this because you were not online in the app.
                          Change your notification preferences in the app's settings.</p>
                        </body></html>
                        """);
        assertThat(templates.text(message)).isEqualTo("""
                        BTC crossed 100k

                        Fish & "Chips" <b>it's</b>

                        --
                        AIW3. You receive this because you were not online in the app. Change your notification \
                        preferences in the app's settings.
                        """);
    }

    @Test
    void aTemplateOfItsOwnFillsTheDetailsFromTheNotificationsData() {
        Outgoing message = new Outgoing(
                "oncall@aiw3.test", "Mint failed", "Upgrade u-1", "support_alert", "en", Map.of("details", "a < b"));

        assertThat(templates.html(message)).contains("<pre style=\"background:#f4f4f4;padding:8px\">a &lt; b</pre>");
        assertThat(templates.text(message)).endsWith("Details:\na < b\n");
    }

    @Test
    void aValueThatLooksLikeAPlaceholderOrMarkupIsTextNeverExpandedOrRun() {
        Outgoing hostile = new Outgoing(
                "c@aiw3.test",
                "{{body}}<script>alert(1)</script>",
                "{{title}} {{#details}}x{{/details}}",
                "support_alert",
                "en",
                Map.of("details", "{{title}}{{body}}{{{title}}}"));

        String html = templates.html(hostile);
        assertThat(html)
                .contains("<title>{{body}}&lt;script&gt;alert(1)&lt;/script&gt;</title>")
                .contains("<p>{{title}} {{#details}}x{{/details}}</p>")
                .contains(">{{title}}{{body}}{{{title}}}</pre>")
                .doesNotContain("<script>");
        String text = templates.text(hostile);
        assertThat(text)
                .startsWith("SUPPORT ALERT: {{body}}<script>alert(1)</script>\n\n{{title}} {{#details}}x{{/details}}\n")
                .endsWith("Details:\n{{title}}{{body}}{{{title}}}\n");
    }
}
