package com.aiw3.events.topic;

import com.aiw3.events.notification.NotificationOutcome;
import com.aiw3.events.notification.NotificationRequest;
import com.aiw3.events.presence.DeliveryEvent;
import com.aiw3.events.presence.GatewayInstanceEvent;
import com.aiw3.events.presence.PresenceEvent;
import com.aiw3.events.realtime.BroadcastEvent;
import com.aiw3.events.realtime.UserEvent;
import com.aiw3.events.session.SessionEvent;
import com.aiw3.events.trading.TradingEvent;
import com.aiw3.events.upgrade.NftLifecycleEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The registry of every Kafka topic of the platform. No topic name is written anywhere else. */
public final class Topics {

    /**
     * The names as compile-time constants, for annotations such as {@code @KafkaListener(topics = ...)}.
     * Use the {@link Topic} constants everywhere else.
     */
    public static final class Names {
        public static final String NFT_UPGRADE_EVENTS = "nft-upgrade-events";
        public static final String REALTIME_USER_EVENTS = "realtime-user-events";
        public static final String REALTIME_BROADCASTS = "realtime-broadcasts";
        public static final String NOTIFICATION_REQUESTS = "notification-requests";
        public static final String NOTIFICATION_OUTCOMES = "notification-outcomes";
        public static final String USER_PRESENCE = "user-presence";
        public static final String REALTIME_DELIVERY_OUTCOMES = "realtime-delivery-outcomes";
        public static final String SSE_GATEWAY_INSTANCES = "sse-gateway-instances";
        public static final String TRADING_ACTIVITY = "trading-activity";
        public static final String SESSION_REVOCATIONS = "session-revocations";

        private Names() {}
    }

    private static final String BY_USER = "the user id: all events of one user stay in order";

    public static final Topic NFT_UPGRADE_EVENTS = new Topic(
            Names.NFT_UPGRADE_EVENTS,
            NftLifecycleEvent.class,
            12,
            Duration.ofDays(30),
            BY_USER,
            "Every transition of every NFT upgrade and first-NFT claim, published by upgrade-service through its"
                    + " outbox.");

    public static final Topic REALTIME_USER_EVENTS = new Topic(
            Names.REALTIME_USER_EVENTS,
            UserEvent.class,
            24,
            Duration.ofDays(1),
            BY_USER,
            "Real-time events for one user (NFT, trading, social, in-app notifications), streamed by sse-gateway."
                    + " Retention is the resume window for Last-Event-ID.");

    public static final Topic REALTIME_BROADCASTS = new Topic(
            Names.REALTIME_BROADCASTS,
            BroadcastEvent.class,
            1,
            Duration.ofDays(1),
            "the constant \"broadcast\": one partition, so broadcasts keep their order",
            "System events for every online user: maintenance notices, feature announcements. Operators send them"
                    + " through notification-service (POST /api/v1/notifications/broadcasts), which publishes them"
                    + " through its outbox.");

    public static final Topic NOTIFICATION_REQUESTS = new Topic(
            Names.NOTIFICATION_REQUESTS,
            NotificationRequest.class,
            12,
            Duration.ofDays(7),
            BY_USER,
            "Explicit requests to notify a user; notification-service chooses real-time or a third-party channel.");

    public static final Topic NOTIFICATION_OUTCOMES = new Topic(
            Names.NOTIFICATION_OUTCOMES,
            NotificationOutcome.class,
            12,
            Duration.ofDays(30),
            BY_USER,
            "What became of each notification, per channel: delivered, failed or suppressed.");

    public static final Topic USER_PRESENCE = new Topic(
            Names.USER_PRESENCE,
            PresenceEvent.class,
            12,
            Duration.ofDays(1),
            BY_USER,
            "Users coming online and going offline on each SSE gateway instance.");

    public static final Topic REALTIME_DELIVERY_OUTCOMES = new Topic(
            Names.REALTIME_DELIVERY_OUTCOMES,
            DeliveryEvent.class,
            12,
            Duration.ofDays(1),
            BY_USER,
            "Whether each real-time event sent to a user reached an open stream; notification-service falls back"
                    + " on these.");

    public static final Topic SSE_GATEWAY_INSTANCES = new Topic(
            Names.SSE_GATEWAY_INSTANCES,
            GatewayInstanceEvent.class,
            1,
            Duration.ofDays(1),
            "the instance id: one instance's heartbeats stay in order",
            "Heartbeats of SSE gateway instances: a user's presence on an instance holds while its lease does.");

    public static final Topic TRADING_ACTIVITY = new Topic(
            Names.TRADING_ACTIVITY,
            TradingEvent.class,
            12,
            Duration.ofDays(30),
            BY_USER,
            "Every trade the trading platform executed, published by the trading platform; upgrade-service adds"
                    + " each trade once (by trade id) to the user's trading volume.");

    public static final Topic SESSION_REVOCATIONS = new Topic(
            Names.SESSION_REVOCATIONS,
            SessionEvent.class,
            12,
            Duration.ofDays(1),
            BY_USER,
            "Sign-outs, published by api-gateway after it recorded the revocation; every sse-gateway instance ends"
                    + " the session's open streams.");

    private static final List<Topic> ALL = List.of(
            NFT_UPGRADE_EVENTS,
            REALTIME_USER_EVENTS,
            REALTIME_BROADCASTS,
            NOTIFICATION_REQUESTS,
            NOTIFICATION_OUTCOMES,
            USER_PRESENCE,
            REALTIME_DELIVERY_OUTCOMES,
            SSE_GATEWAY_INSTANCES,
            TRADING_ACTIVITY,
            SESSION_REVOCATIONS);

    private Topics() {}

    public static List<Topic> all() {
        return ALL;
    }

    public static Optional<Topic> byName(String name) {
        return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
    }

    /** Every topic name including dead-letter topics: what audit-service records and deploy provisions. */
    public static List<String> allNamesWithDeadLetters() {
        return ALL.stream()
                .flatMap(topic -> java.util.stream.Stream.of(topic.name(), topic.deadLetterName()))
                .toList();
    }
}
