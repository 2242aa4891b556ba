package com.aiw3.notification.dispatch;

import com.aiw3.events.EventEnvelope;
import com.aiw3.events.notification.Channel;
import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.notification.Priority;
import com.aiw3.messaging.EventPublisher;
import com.aiw3.messaging.MessagingProperties;
import com.aiw3.messaging.RetryPolicy;
import com.aiw3.notification.NotificationProperties;
import com.aiw3.notification.channel.ChannelSender;
import com.aiw3.notification.channel.Outgoing;
import com.aiw3.notification.channel.ProviderException;
import com.aiw3.notification.contact.Contact;
import com.aiw3.notification.contact.Contacts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a notification to a user who is not online: the channels of its priority in order (first
 * choice: high → SMS, medium → push, low → email; the others follow as fallbacks), skipping opted-out channels
 * and channels without an address. Each channel is retried with back-off; a refusal moves on to the
 * next. Every outcome is an event. A medium or low notification the user has read in the app by then is
 * not sent.
 */
@Component
class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    static final Map<Priority, List<Channel>> PLAN = Map.of(
            Priority.HIGH, List.of(Channel.SMS, Channel.PUSH, Channel.EMAIL),
            Priority.MEDIUM, List.of(Channel.PUSH, Channel.EMAIL, Channel.SMS),
            Priority.LOW, List.of(Channel.EMAIL, Channel.PUSH));

    private final NotificationStore store;
    private final Deliveries deliveries;
    private final DeadLetters deadLetters;
    private final Contacts contacts;
    private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final NotificationProperties properties;
    private final MeterRegistry meters;
    private final Map<Channel, Timer> publishToSend = new EnumMap<>(Channel.class);
    private final String source;

    Dispatcher(
            NotificationStore store,
            Deliveries deliveries,
            DeadLetters deadLetters,
            Contacts contacts,
            List<ChannelSender> senders,
            EventPublisher events,
            TransactionTemplate tx,
            NotificationProperties properties,
            MeterRegistry meters,
            MessagingProperties messaging) {
        this.store = store;
        this.deliveries = deliveries;
        this.deadLetters = deadLetters;
        this.contacts = contacts;
        senders.forEach(s -> this.senders.put(s.channel(), s));
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.meters = meters;
        this.source = messaging.source();
        // At zero from the start, so increase() sees a channel's first failure and dashboards show 0.
        for (Channel channel : this.senders.keySet()) {
            meters.counter("aiw3.notification.sent", "channel", channel.wireName());
            meters.counter("aiw3.notification.provider.failures", "channel", channel.wireName());
            publishToSend.put(
                    channel,
                    Timer.builder("aiw3.notification.publish.to.send")
                            .description("From the commit of the event a notification comes from to the provider's"
                                    + " acceptance of its message, per channel")
                            .tag("channel", channel.wireName())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofMillis(10))
                            .maximumExpectedValue(Duration.ofMinutes(10))
                            .register(meters));
        }
    }

    /** Runs the third-party plan of a notification in {@code dispatching}; does nothing otherwise. */
    void dispatch(UUID id) {
        Optional<StoredNotification> found =
                store.find(id).filter(n -> n.status().equals("dispatching"));
        if (found.isEmpty()) {
            return;
        }
        StoredNotification n = found.get();
        List<Channel> plan = QuietHoursDigests.isDigest(n.request())
                ? QuietHoursDigests.plan(n.request())
                : Objects.requireNonNull(PLAN.get(n.priority()), "every priority has a plan");
        if (n.priority() != Priority.HIGH && store.readInApp(n.id())) {
            // Read beats fallback: the user has seen it in the app, a third party would only repeat it.
            finish(
                    n,
                    "suppressed",
                    new NotificationOutcome.NotificationSuppressed(n.id(), n.userId(), plan.getFirst(), "read in app"));
            return;
        }
        Optional<Contact> contact = contacts.find(n.userId());
        if (contact.isEmpty()) {
            finish(
                    n,
                    "suppressed",
                    new NotificationOutcome.NotificationSuppressed(
                            n.id(), n.userId(), plan.getFirst(), "no contact data for this user"));
            return;
        }
        Contact c = contact.get();
        ZonedDateTime now = ZonedDateTime.now();
        if (n.priority() != Priority.HIGH && c.inQuietHours(now)) {
            tx.executeWithoutResult(s -> {
                finish(
                        n,
                        "suppressed",
                        new NotificationOutcome.NotificationSuppressed(
                                n.id(), n.userId(), plan.getFirst(), "quiet hours"));
                if (c.quietHoursDigest() != null && !QuietHoursDigests.isDigest(n.request())) {
                    // Summed up in one digest when these quiet hours end, instead of being lost to the user.
                    store.awaitDigest(n.id(), c.quietHoursEndAfter(now));
                }
            });
            return;
        }
        List<Channel> usable = new java.util.ArrayList<>();
        for (Channel channel : plan) {
            Optional<String> skip = unusable(channel, c);
            if (skip.isPresent()) {
                publish(new NotificationOutcome.NotificationSuppressed(n.id(), n.userId(), channel, skip.get()));
            } else {
                usable.add(channel);
            }
        }
        boolean anyTried = !usable.isEmpty();
        for (int i = 0; i < usable.size(); i++) {
            Channel channel = usable.get(i);
            boolean last = i == usable.size() - 1;
            // A usable channel has an address: unusable() left the others out.
            String recipient = Objects.requireNonNull(address(channel, c));
            switch (deliveries.claim(n.id(), channel, recipient, properties.stalledDispatch())) {
                case ALREADY_SENT -> {
                    store.finish(n.id(), "delivered");
                    return;
                }
                case IN_PROGRESS_ELSEWHERE -> {
                    return;
                }
                case FAILED_BEFORE -> {
                    continue;
                }
                case CLAIMED -> {
                    if (send(n, channel, recipient, c.locale(), last)) {
                        return;
                    }
                }
            }
        }
        if (anyTried) {
            store.finish(n.id(), "failed");
            deadLetters.undeliverable(n, "every channel failed for notification " + n.id());
        } else {
            store.finish(n.id(), "suppressed");
        }
    }

    /** Sends on one channel to one recipient, with retries; true when delivered. */
    boolean send(StoredNotification n, Channel channel, String recipient, String locale, boolean last) {
        Outgoing message = new Outgoing(recipient, n.title(), n.body(), n.template(), locale, n.data());
        ChannelSender sender = Objects.requireNonNull(senders.get(channel), "a sender for every planned channel");
        RetryPolicy retry = properties.retry();
        String error = "";
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            deliveries.attempted(n.id(), channel, recipient);
            try {
                String providerId = sender.send(message);
                tx.executeWithoutResult(status -> {
                    deliveries.sent(n.id(), channel, recipient, providerId);
                    store.finish(n.id(), "delivered");
                    publish(new NotificationOutcome.NotificationDelivered(n.id(), n.userId(), channel, providerId));
                });
                meters.counter("aiw3.notification.sent", "channel", channel.wireName())
                        .increment();
                Instant occurred = n.sourceOccurredAt();
                Timer timer = publishToSend.get(channel);
                if (occurred != null && timer != null) {
                    timer.record(Duration.between(occurred, Instant.now()));
                }
                return true;
            } catch (ProviderException e) {
                error = Objects.requireNonNullElse(e.getMessage(), "");
                log.warn("notification {} via {} attempt {} failed: {}", n.id(), channel, attempt, error);
                meters.counter("aiw3.notification.provider.failures", "channel", channel.wireName())
                        .increment();
                if (!e.retryable()) {
                    break;
                }
            }
            if (attempt < retry.maxAttempts()) {
                try {
                    Thread.sleep(retry.backoff(attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true; // stopping: the claim goes stale and another instance takes over
                }
            }
        }
        String reason = error;
        tx.executeWithoutResult(status -> {
            deliveries.failed(n.id(), channel, recipient, reason);
            publish(new NotificationOutcome.NotificationFailed(n.id(), n.userId(), channel, reason, last));
        });
        return false;
    }

    /** Whether this instance may send on this channel to this recipient now (see {@link Deliveries}). */
    boolean claimed(StoredNotification n, Channel channel, String recipient) {
        return deliveries.claim(n.id(), channel, recipient, properties.stalledDispatch()) == Deliveries.Claim.CLAIMED;
    }

    private Optional<String> unusable(Channel channel, Contact c) {
        ChannelSender sender = senders.get(channel);
        if (sender == null || !sender.enabled()) {
            return Optional.of("channel not configured");
        }
        boolean optedOut = switch (channel) {
            case SMS -> c.smsOptOut();
            case PUSH -> c.pushOptOut();
            case EMAIL -> c.emailOptOut();
            case REALTIME -> false;
        };
        if (optedOut) {
            return Optional.of("opted out");
        }
        if (channel == Channel.SMS && c.phone() != null && !c.phoneVerified()) {
            // Only a number its user proved to hold gets SMS: nobody can make the platform text a stranger.
            return Optional.of("phone not verified");
        }
        return address(channel, c) == null ? Optional.of("no address for this channel") : Optional.empty();
    }

    private static @Nullable String address(Channel channel, Contact c) {
        return switch (channel) {
            case SMS -> c.phone();
            case PUSH -> c.pushToken();
            case EMAIL -> c.email();
            case REALTIME -> c.userId();
        };
    }

    private void finish(StoredNotification n, String status, NotificationOutcome outcome) {
        tx.executeWithoutResult(s -> {
            store.finish(n.id(), status);
            publish(outcome);
        });
    }

    void publish(NotificationOutcome outcome) {
        tx.executeWithoutResult(s -> events.publish(EventEnvelope.of(outcome, source)));
    }
}
