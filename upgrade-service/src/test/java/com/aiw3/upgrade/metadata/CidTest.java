package com.aiw3.upgrade.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CidTest {

    @Test
    void matchesWhatKuboPrintsForHelloWorldWithCidVersion1() {
        // `echo -n "hello world" | ipfs add --cid-version=1 -Q`
        assertThat(Cid.rawV1("hello world".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    }

    @Test
    void refusesContentThatKuboWouldChunk() {
        assertThatThrownBy(() -> Cid.rawV1(new byte[Cid.MAX_SINGLE_BLOCK + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
