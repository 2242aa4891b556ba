package com.aiw3.upgrade.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.aiw3.upgrade.metadata.Cid;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;

/**
 * Kubo's {@code /api/v0/add} at the protocol level: it reads the multipart file and answers with the
 * file's CIDv1 (raw leaf), as Kubo does for a single-block file. The CID rule itself is pinned to a
 * published vector in {@code CidTest}.
 */
public final class KuboStub implements AutoCloseable {

    private final WireMockServer server;

    public KuboStub() {
        server = new WireMockServer(options().dynamicPort().extensions(new AddTransformer()));
        server.start();
        reset();
    }

    public String url() {
        return server.baseUrl();
    }

    public void reset() {
        server.resetAll();
        server.stubFor(
                post(urlPathEqualTo("/api/v0/add")).willReturn(aResponse().withTransformers(AddTransformer.NAME)));
    }

    /** Every add takes between {@code minMillis} and {@code maxMillis}. */
    public void latency(int minMillis, int maxMillis) {
        server.stubFor(post(urlPathEqualTo("/api/v0/add"))
                .willReturn(aResponse()
                        .withUniformRandomDelay(minMillis, maxMillis)
                        .withTransformers(AddTransformer.NAME)));
    }

    /** Kubo is down (answers 500 to every add). */
    public void fail() {
        server.stubFor(post(urlPathEqualTo("/api/v0/add"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("{\"Message\":\"blockstore: write failed\"}")));
    }

    /** Kubo answers every add with a CID that is not the file's (a node that stored something else). */
    public void answerAnotherCid() {
        server.stubFor(post(urlPathEqualTo("/api/v0/add"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody("{\"Name\":\"file\",\"Hash\":\"%s\",\"Size\":\"5\"}\n"
                                .formatted(Cid.rawV1("other".getBytes(java.nio.charset.StandardCharsets.UTF_8))))));
    }

    /** Every file uploaded so far. */
    public List<byte[]> uploads() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v0/add"))).stream()
                .map(request -> request.getPart("file").getBody().asBytes())
                .toList();
    }

    /** Every file of the given media type uploaded so far (metadata: application/json, artwork: image/svg+xml). */
    public List<byte[]> uploads(String contentType) {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v0/add"))).stream()
                .map(request -> request.getPart("file"))
                .filter(part ->
                        contentType.equals(part.getHeader("Content-Type").firstValue()))
                .map(part -> part.getBody().asBytes())
                .toList();
    }

    /** The Authorization header of every add so far (null where there was none). */
    public List<String> authorizations() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v0/add"))).stream()
                .map(request -> request.containsHeader("Authorization") ? request.getHeader("Authorization") : null)
                .toList();
    }

    public List<String> queries() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/api/v0/add"))).stream()
                .map(request -> request.getUrl())
                .toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    static final class AddTransformer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "kubo-add";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var file = event.getRequest().getPart("file");
            if (file == null) {
                return ResponseDefinition.badRequest(null);
            }
            byte[] content = file.getBody().asBytes();
            String body = "{\"Name\":\"metadata.json\",\"Hash\":\"%s\",\"Size\":\"%d\"}\n"
                    .formatted(Cid.rawV1(content), content.length);
            return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)
                    .build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
