package com.aiw3.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.testing.OpenApiReference;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/openapi/upgrade-service.json is what the service serves at {@code /v3/api-docs}; the
 * TypeScript kit's REST types are generated from that file.
 */
@StubbedChainService
class OpenApiDocumentIntegrationTest extends StubbedChainTest {

    @Test
    void theCheckedInOpenApiDocumentIsTheServedOne() throws IOException {
        HttpResponse<String> served = http.getAnonymously("/v3/api-docs");

        assertThat(served.statusCode()).isEqualTo(200);
        OpenApiReference.assertDocumentIsCurrent(
                "upgrade-service", served.body(), OpenApiDocumentIntegrationTest.class.getSimpleName());
    }

    @Test
    void theCallerIsNoParameterOfTheDocument() {
        String document = http.getAnonymously("/v3/api-docs").body();

        assertThat(document).doesNotContain("\"sessionId\"", "\"expiresAt\"");
    }
}
