package com.aiw3.upgrade.metadata;

import com.aiw3.upgrade.UpgradeProperties;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds files through Kubo's RPC API ({@code POST /api/v0/add?cid-version=1}, pinned): the new NFTs'
 * metadata and the tiers' artwork. An add counts only if Kubo's CID equals the one computed here from
 * the same bytes: what is on IPFS is exactly what the mint points to. Every request carries the
 * configured {@code Authorization} header, if any (a pinning service's token).
 */
public class MetadataStore {

    /** Kubo's add, as a template: the {@code uri} tag of the client's timers. */
    private static final String ADD = "/api/v0/add?cid-version=1&pin=true&quieter=true";

    private final RestClient http;
    private final UpgradeProperties.Ipfs settings;
    private final JsonMapper json;

    /**
     * {@code http} is Boot's builder, so that adds are observed as {@code http.client.requests}; the
     * client under it is the JDK's, over HTTP/1.1, with the configured connect and request timeouts.
     */
    public MetadataStore(UpgradeProperties.Ipfs settings, JsonMapper json, RestClient.Builder http) {
        this.settings = settings;
        this.json = json;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build());
        requests.setReadTimeout(settings.requestTimeout());
        this.http = http.clone()
                .baseUrl(settings.apiUrl().toString().replaceAll("/+$", ""))
                .requestFactory(requests)
                .build();
    }

    /** The exact bytes that are uploaded and hashed. */
    public byte[] serialize(NftMetadata metadata) {
        return json.writeValueAsBytes(metadata);
    }

    /** Stores the metadata's bytes and returns their CID. */
    public String upload(byte[] content) {
        return add("metadata.json", "application/json", content);
    }

    /**
     * Stores one file, pinned, and returns its CID, after checking that it is the CID of exactly these
     * bytes.
     */
    public String add(String fileName, String contentType, byte[] content) {
        String expected = Cid.rawV1(content);
        String boundary = "aiw3-" + UUID.randomUUID();
        String authorization = settings.authorization();
        Answer answer;
        try {
            answer = http.post()
                    .uri(ADD)
                    .headers(headers -> {
                        headers.set(HttpHeaders.CONTENT_TYPE, "multipart/form-data; boundary=" + boundary);
                        if (authorization != null && !authorization.isBlank()) {
                            headers.set(HttpHeaders.AUTHORIZATION, authorization);
                        }
                    })
                    .body(multipart(boundary, fileName, contentType, content))
                    .exchange((request, response) -> new Answer(
                            response.getStatusCode().value(),
                            new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
        } catch (ResourceAccessException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new MetadataUploadException("interrupted while uploading to IPFS", e);
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MetadataUploadException("IPFS is unreachable: " + cause.getMessage(), e);
        }
        if (answer.status() != 200) {
            throw new MetadataUploadException("IPFS answered " + answer.status() + ": " + answer.body());
        }
        String stored = lastHash(answer.body());
        if (!expected.equals(stored)) {
            throw new MetadataUploadException(
                    "IPFS stored " + fileName + " as " + stored + ", but its bytes have the CID " + expected);
        }
        return stored;
    }

    private record Answer(int status, String body) {}

    /** Kubo streams one JSON object per added entry; the last one is the file itself. */
    private String lastHash(String body) {
        String hash = null;
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = json.readTree(line);
                if (node.hasNonNull("Hash")) {
                    hash = node.get("Hash").asString();
                }
            }
        }
        if (hash == null) {
            throw new MetadataUploadException("IPFS answered without a Hash: " + body);
        }
        return hash;
    }

    private static byte[] multipart(String boundary, String fileName, String contentType, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 256);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }
}
