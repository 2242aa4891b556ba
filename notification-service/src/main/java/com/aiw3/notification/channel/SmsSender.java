package com.aiw3.notification.channel;

import com.aiw3.events.notification.Channel;
import com.aiw3.notification.NotificationProperties;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.util.Objects;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** SMS through the Twilio SDK (Programmable Messaging). */
@Component
class SmsSender implements ChannelSender {

    private final NotificationProperties.Sms settings;
    /** Null when SMS is switched off. */
    private final @Nullable TwilioRestClient client;

    SmsSender(NotificationProperties properties) {
        this.settings = properties.sms();
        this.client = settings.enabled()
                ? new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
                        .httpClient(new ApiBaseHttpClient(settings.apiBase().toString()))
                        .build()
                : null;
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public boolean enabled() {
        return client != null;
    }

    @Override
    public String send(Outgoing message) {
        String text = message.title() + ": " + message.body();
        try {
            return Message.creator(new PhoneNumber(message.recipient()), new PhoneNumber(settings.from()), text)
                    .create(Objects.requireNonNull(client, "SMS is not enabled"))
                    .getSid();
        } catch (ApiConnectionException e) {
            throw new ProviderException("Twilio is unreachable: " + e.getMessage(), true, e);
        } catch (ApiException e) {
            // 429 and 5xx are Twilio's to recover from; 4xx (bad number, unsubscribed) will not change.
            Integer status = e.getStatusCode();
            boolean retryable = status == null || status == 429 || status >= 500;
            throw new ProviderException("Twilio answered " + status + ": " + e.getMessage(), retryable, e);
        }
    }

    /**
     * The SDK's host is fixed; this keeps its requests and rewrites only the base (tests, regional edges). It also
     * sends each request once: the SDK's {@code reliableRequest} repeats a 503 up to three times and Apache
     * HttpClient's default strategy repeats a 429 or 503 once more, each under every one of the dispatcher's
     * attempts, which made three attempts eighteen requests to a provider that is already failing. The
     * dispatcher's retry ({@code aiw3.notification.retry.*}) is the one place that decides.
     */
    static final class ApiBaseHttpClient extends NetworkHttpClient {
        private final String base;

        ApiBaseHttpClient(String base) {
            super(HttpClientBuilder.create()
                    .useSystemProperties()
                    .disableAutomaticRetries()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setDefaultSocketConfig(DEFAULT_SOCKET_CONFIG)
                            // The SDK's own pool size.
                            .setMaxConnPerRoute(20)
                            .setMaxConnTotal(100)
                            .build())
                    .setDefaultRequestConfig(DEFAULT_REQUEST_CONFIG));
            this.base = base.replaceAll("/+$", "");
        }

        @Override
        public Response reliableRequest(Request request) {
            return makeRequest(request);
        }

        @Override
        public Response makeRequest(Request request) {
            if (base.equals("https://api.twilio.com")) {
                return super.makeRequest(request);
            }
            String url = request.getUrl().replaceFirst("^https://[^/]+", base);
            Request rewritten = new Request(request.getMethod(), url);
            request.getPostParams().forEach((k, values) -> values.forEach(v -> rewritten.addPostParam(k, v)));
            request.getQueryParams().forEach((k, values) -> values.forEach(v -> rewritten.addQueryParam(k, v)));
            request.getHeaderParams().forEach((k, values) -> values.forEach(v -> rewritten.addHeaderParam(k, v)));
            if (request.getUsername() != null) {
                rewritten.setAuth(request.getUsername(), request.getPassword());
            }
            return super.makeRequest(rewritten);
        }
    }
}
