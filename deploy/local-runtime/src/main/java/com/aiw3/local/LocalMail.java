package com.aiw3.local;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An SMTP sink for the local run (GreenMail, in this process): notification-service's emails are
 * accepted on 127.0.0.1:2525 and appended to {@code .local-run/logs/mail.log}, so a person trying the
 * suite can read what an offline user would receive.
 */
final class LocalMail implements AutoCloseable {

    static final int PORT = 2525;

    private final GreenMail smtp = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-mail-log");
        t.setDaemon(true);
        return t;
    });
    private int written;

    LocalMail(Path log) {
        smtp.start();
        // GreenMail has no delivery callback; a dev tool may look once a second.
        writer.scheduleWithFixedDelay(() -> append(log), 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void append(Path log) {
        MimeMessage[] received = smtp.getReceivedMessages();
        StringBuilder out = new StringBuilder();
        for (; written < received.length; written++) {
            try {
                MimeMessage m = received[written];
                out.append("==== ")
                        .append(Instant.now())
                        .append(" to ")
                        .append(String.join(",", toStrings(m)))
                        .append(" | ")
                        .append(m.getSubject())
                        .append('\n')
                        .append(GreenMailUtil.getWholeMessage(m))
                        .append("\n\n");
            } catch (Exception e) {
                out.append("==== unreadable message: ").append(e.getMessage()).append('\n');
            }
        }
        if (!out.isEmpty()) {
            try {
                Files.writeString(
                        log, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // a dev log; the next pass retries nothing, the messages stay in GreenMail
            }
        }
    }

    private static String[] toStrings(MimeMessage m) throws jakarta.mail.MessagingException {
        var recipients = m.getAllRecipients();
        String[] out = new String[recipients == null ? 0 : recipients.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = recipients[i].toString();
        }
        return out;
    }

    @Override
    public void close() {
        writer.shutdownNow();
        smtp.stop();
    }
}
