package com.aiw3.gateway;

import com.aiw3.testing.ConfigurationReference;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The api-gateway section of docs/reference/configuration.md is what its code and application.yml say. */
class ConfigurationReferenceTest {

    @Test
    void configurationReferenceSectionMatchesTheCode() throws IOException {
        ConfigurationReference.assertSectionIsCurrent("api-gateway");
    }
}
