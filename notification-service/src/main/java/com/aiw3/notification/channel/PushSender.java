package com.aiw3.notification.channel;

import com.aiw3.events.notification.Channel;
import com.aiw3.notification.NotificationProperties;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Push through the Firebase Admin SDK (FCM HTTP v1). */
@Component
class PushSender implements ChannelSender, DisposableBean {

    private static final Set<MessagingErrorCode> RETRYABLE =
            Set.of(MessagingErrorCode.UNAVAILABLE, MessagingErrorCode.INTERNAL, MessagingErrorCode.QUOTA_EXCEEDED);

    /** Null when push is switched off or has no credentials. */
    private final @Nullable FirebaseApp app;

    private final @Nullable FirebaseMessaging messaging;

    PushSender(NotificationProperties properties, ObjectProvider<GoogleCredentials> credentialsProvider) {
        NotificationProperties.Push settings = properties.push();
        GoogleCredentials credentials = credentialsProvider.getIfAvailable();
        if (!settings.enabled() || credentials == null) {
            this.app = null;
            this.messaging = null;
            return;
        }
        String base = settings.apiBase().toString().replaceAll("/+$", "");
        // The SDK's FCM endpoint is fixed; the transport rewrites the base (tests, private endpoints).
        NetHttpTransport transport = new NetHttpTransport.Builder()
                .setConnectionFactory(url -> (HttpURLConnection)
                        URI.create(url.toString().replaceFirst("^https://fcm\\.googleapis\\.com", base))
                                .toURL()
                                .openConnection())
                .build();
        this.app = FirebaseApp.initializeApp(
                FirebaseOptions.builder()
                        .setCredentials(credentials)
                        .setProjectId(settings.projectId())
                        .setHttpTransport(transport)
                        .build(),
                "aiw3-notification-" + System.identityHashCode(this));
        this.messaging = FirebaseMessaging.getInstance(app);
    }

    static GoogleCredentials credentials(NotificationProperties.Push settings) {
        try {
            if (settings.credentialsFile() == null || settings.credentialsFile().isBlank()) {
                return GoogleCredentials.getApplicationDefault();
            }
            try (InputStream in = new FileInputStream(settings.credentialsFile())) {
                return GoogleCredentials.fromStream(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("FCM credentials could not be read", e);
        }
    }

    @Override
    public Channel channel() {
        return Channel.PUSH;
    }

    @Override
    public boolean enabled() {
        return messaging != null;
    }

    @Override
    public String send(Outgoing message) {
        FirebaseMessaging messaging = Objects.requireNonNull(this.messaging, "push is not available");
        try {
            return messaging.send(com.google.firebase.messaging.Message.builder()
                    .setToken(message.recipient())
                    .setNotification(Notification.builder()
                            .setTitle(message.title())
                            .setBody(message.body())
                            .build())
                    .putAllData(message.data())
                    .build());
        } catch (FirebaseMessagingException e) {
            boolean retryable = e.getMessagingErrorCode() == null || RETRYABLE.contains(e.getMessagingErrorCode());
            throw new ProviderException("FCM refused: " + e.getMessage(), retryable, e);
        }
    }

    @Override
    public void destroy() {
        if (app != null) {
            app.delete();
        }
    }
}
