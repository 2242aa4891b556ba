package com.aiw3.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/** Reads the local chain directly (not through the fault relay): what exists on chain is the truth. */
final class Chain {

    private Chain() {}

    /** The supply of an SPL mint, or -1 when the account does not exist. */
    static long mintSupply(Platform platform, String mint) throws Exception {
        String request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getAccountInfo\",\"params\":[\"" + mint
                + "\",{\"encoding\":\"base64\"}]}";
        HttpResponse<String> response = User.HTTP.send(
                HttpRequest.newBuilder(URI.create(platform.nodeUrl()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode value = User.JSON.readTree(response.body()).path("result").path("value");
        if (value.isNull() || value.isMissingNode()) {
            return -1;
        }
        byte[] data = Base64.getDecoder().decode(value.path("data").get(0).asString());
        // SPL Token mint layout: COption<Pubkey> mint authority (36 bytes), then the u64 supply.
        return ByteBuffer.wrap(data, 36, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
