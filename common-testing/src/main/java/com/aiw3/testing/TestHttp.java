package com.aiw3.testing;

import com.aiw3.web.IdentityHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** HTTP calls to a service under test, as api-gateway makes them (a signed identity) or anonymously. */
public final class TestHttp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port;

    public TestHttp(int port) {
        this.port = port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** GET as {@code userId} with comma-separated {@code roles}. */
    public HttpResponse<String> getAs(String userId, String roles, String path) {
        return send(HttpRequest.newBuilder(uri(path))
                .header(IdentityHeaders.IDENTITY, TestIdentities.identityOf(userId, roles))
                .build());
    }

    /** Any method as {@code userId}; {@code json} may be null; {@code headers} are name, value pairs. */
    public HttpResponse<String> sendAs(
            String method, String path, String userId, String roles, String json, String... headers) {
        return send(method, path, TestIdentities.identityOf(userId, roles), json, headers);
    }

    /** Any method as {@code userId} signed in with {@code wallet}; otherwise as {@link #sendAs}. */
    public HttpResponse<String> sendWithWallet(
            String method, String path, String userId, String wallet, String json, String... headers) {
        return send(method, path, TestIdentities.identityOf(userId, wallet, ""), json, headers);
    }

    private HttpResponse<String> send(String method, String path, String identity, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header(IdentityHeaders.IDENTITY, identity)
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    public HttpResponse<String> getAnonymously(String path) {
        return send(HttpRequest.newBuilder(uri(path)).build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
