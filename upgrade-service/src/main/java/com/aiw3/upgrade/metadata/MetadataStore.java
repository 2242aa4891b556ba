package com.aiw3.upgrade.metadata;

import com.aiw3.upgrade.UpgradeProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds files through Kubo's RPC API ({@code POST /api/v0/add?cid-version=1}, pinned): the new NFTs'
 * metadata and the tiers' artwork. An add counts only if Kubo's CID equals the one computed here from
 * the same bytes: what is on IPFS is exactly what the mint points to. Every request carries the
 * configured {@code Authorization} header, if any (a pinning service's token).
 */
public class MetadataStore {

    private final HttpClient http;
    private final URI addUri;
    private final UpgradeProperties.Ipfs settings;
    private final JsonMapper json;

    public MetadataStore(UpgradeProperties.Ipfs settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        String base = settings.apiUrl().toString().replaceAll("/+$", "");
        this.addUri = URI.create(base + "/api/v0/add?cid-version=1&pin=true&quieter=true");
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
        HttpRequest.Builder builder = HttpRequest.newBuilder(addUri)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, fileName, contentType, content)));
        String authorization = settings.authorization();
        if (authorization != null && !authorization.isBlank()) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MetadataUploadException("IPFS is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataUploadException("interrupted while uploading to IPFS", e);
        }
        if (response.statusCode() != 200) {
            throw new MetadataUploadException("IPFS answered " + response.statusCode() + ": " + response.body());
        }
        String stored = lastHash(response.body());
        if (!expected.equals(stored)) {
            throw new MetadataUploadException(
                    "IPFS stored " + fileName + " as " + stored + ", but its bytes have the CID " + expected);
        }
        return stored;
    }

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
