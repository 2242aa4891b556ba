package com.aiw3.sse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpSseDecoderTest {

    private static final String CHUNKED_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String IDENTITY_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";

    @Test
    void aChunkedBodyComesOutWithoutItsFramingWhereverTheReadsSplitIt() {
        String response = CHUNKED_HEAD + "f\r\ndata: bench|1\n\n\r\n19\r\nid: 7\ndata: bench|2|300\n\n\r\n";
        String expected = "[200]data: bench|1\n\nid: 7\ndata: bench|2|300\n\n";

        assertThat(decode(response)).isEqualTo(expected);
        for (int split = 1; split < response.length(); split++) {
            assertThat(decode(response.substring(0, split), response.substring(split)))
                    .as("split at %d", split)
                    .isEqualTo(expected);
        }
        assertThat(decode(response.split(""))).isEqualTo(expected);
    }

    @Test
    void aChunkSizeLineSplitAcrossReadsIsReadAsOneSize() {
        String body = "data: " + "x".repeat(0x1a0 - 8) + "\n\n";

        assertThat(decode(CHUNKED_HEAD + "1", "a", "0\r", "\n" + body + "\r\n")).isEqualTo("[200]" + body);
    }

    @Test
    void theLastChunkIsReportedAfterTheBodyBeforeIt() {
        assertThat(decode(CHUNKED_HEAD + "7\r\n:beat\n\n\r\n0\r\n\r\n")).isEqualTo("[200]:beat\n\n[last]");
        assertThat(decode(CHUNKED_HEAD + "7\r\n:beat\n\n\r\n", "0", "\r\n", "\r\n"))
                .isEqualTo("[200]:beat\n\n[last]");
    }

    @Test
    void aChunkExtensionIsNotPartOfTheSize() {
        assertThat(decode(CHUNKED_HEAD + "7;name=abc\r\n:beat\n\n\r\n")).isEqualTo("[200]:beat\n\n");
    }

    @Test
    void anIdentityBodyPassesThroughAsItArrivesFromTheReadWithTheHeadOn() {
        assertThat(decode(IDENTITY_HEAD + "data: bench|1\n", "\r\n0\r\n\r\n"))
                .isEqualTo("[200]data: bench|1\n\r\n0\r\n\r\n");
    }

    @Test
    void theStatusIsReportedOnceTheHeadIsCompleteEvenSplitAcrossReads() {
        HttpSseDecoder decoder = new HttpSseDecoder();

        assertThat(decoder.next(ascii("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r")))
                .isEqualTo(HttpSseDecoder.INPUT_USED);
        assertThat(decoder.status()).isZero();
        ByteBuffer rest = ascii("\n\r\n");
        assertThat(decoder.next(rest)).isEqualTo(HttpSseDecoder.HEAD_READ);
        assertThat(decoder.status()).isEqualTo(503);
        assertThat(decoder.next(rest)).isEqualTo(HttpSseDecoder.INPUT_USED);
    }

    /** Feeds the reads in turn as a client does, and spells out what the decoder reported. */
    private static String decode(String... reads) {
        HttpSseDecoder decoder = new HttpSseDecoder();
        StringBuilder out = new StringBuilder();
        for (String read : reads) {
            ByteBuffer in = ascii(read);
            int n;
            while ((n = decoder.next(in)) != HttpSseDecoder.INPUT_USED) {
                if (n == HttpSseDecoder.HEAD_READ) {
                    out.append('[').append(decoder.status()).append(']');
                } else if (n == HttpSseDecoder.LAST_CHUNK) {
                    out.append("[last]");
                } else {
                    for (int i = 0; i < n; i++) {
                        out.append((char) in.get());
                    }
                }
            }
        }
        return out.toString();
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
