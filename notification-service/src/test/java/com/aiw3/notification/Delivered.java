package com.aiw3.notification;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.topic.Topics;
import com.aiw3.testing.TopicContents;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.UUID;

/** What the service did with a notification, as its tests observe it: its outcome events and the mails sent. */
public final class Delivered {

    private Delivered() {}

    /** The outcome events of one notification on {@code notification-outcomes}, in order. */
    public static List<NotificationOutcome> outcomes(String brokers, UUID notificationId) {
        return TopicContents.events(brokers, Topics.NOTIFICATION_OUTCOMES.name()).stream()
                .map(EventEnvelope::payload)
                .filter(p ->
                        p instanceof NotificationOutcome o && o.notificationId().equals(notificationId))
                .map(NotificationOutcome.class::cast)
                .toList();
    }

    /** The mails the SMTP stub received for {@code address}. */
    public static List<MimeMessage> mailsTo(GreenMailExtension smtp, String address) {
        return List.of(smtp.getReceivedMessages()).stream()
                .filter(m -> {
                    try {
                        return List.of(m.getAllRecipients()).toString().contains(address);
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }
}
