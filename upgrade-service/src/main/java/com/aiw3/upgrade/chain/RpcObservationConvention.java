package com.aiw3.upgrade.chain;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.okhttp3.OkHttpContext;
import io.micrometer.core.instrument.binder.okhttp3.OkHttpObservationConvention;
import io.micrometer.observation.Observation;
import java.util.Locale;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Names a Solana RPC call as Spring names the calls of its HTTP clients: {@code http.client.requests}
 * with the tags {@code client.name} (the node's host), {@code method}, {@code uri}, {@code status},
 * {@code outcome} and {@code exception}. The same tag keys as the IPFS client's timers matter: Prometheus
 * keeps one set of tag keys per meter name, and a timer registered later with other keys is dropped.
 *
 * <p>{@code uri} is always {@code none}: every call goes to the node's one URL, whose path may hold the
 * provider's API key, and the URL is never a tag.
 */
final class RpcObservationConvention implements OkHttpObservationConvention {

    static final String NAME = "http.client.requests";
    private static final String NONE = "none";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(OkHttpContext context) {
        return "http " + context.getOriginalRequest().method().toLowerCase(Locale.ROOT);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(OkHttpContext context) {
        Request request = context.getOriginalRequest();
        Response response = context.getResponse();
        Throwable error = context.getError();
        return KeyValues.of(
                "client.name",
                request.url().host(),
                "method",
                request.method(),
                "uri",
                NONE,
                "status",
                response == null ? "CLIENT_ERROR" : String.valueOf(response.code()),
                "outcome",
                response == null ? "UNKNOWN" : outcome(response.code()),
                "exception",
                error == null ? NONE : error.getClass().getSimpleName());
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof OkHttpContext;
    }

    /** Spring's {@code HttpOutcome} names. */
    private static String outcome(int status) {
        if (status >= 100 && status < 200) {
            return "INFORMATIONAL";
        }
        if (status >= 200 && status < 300) {
            return "SUCCESS";
        }
        if (status >= 300 && status < 400) {
            return "REDIRECTION";
        }
        if (status >= 400 && status < 500) {
            return "CLIENT_ERROR";
        }
        if (status >= 500 && status < 600) {
            return "SERVER_ERROR";
        }
        return "UNKNOWN";
    }
}
