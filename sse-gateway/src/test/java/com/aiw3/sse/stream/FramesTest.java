package com.aiw3.sse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.aiw3.sse.feed.History;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void anEventAsAChunkIsItsSizeInHexTheEventAndACrlf() {
        Frames.Event event = new Frames.Event(
                new History.Cursor(UUID.randomUUID(), UUID.randomUUID()), Frames.data("{\"a\":1}\nsecond line"));

        assertThat(text(Frames.chunk(event))).isEqualTo(framed(text(event.bytes())));
    }

    @Test
    void everyOtherFrameIsChunkedTheSameWay() {
        Frames.Frame heartbeat = Frames.Heartbeat.INSTANCE;

        assertThat(text(Frames.chunk(heartbeat))).isEqualTo(framed(":heartbeat\n\n"));
    }

    @Test
    void aLargeEventsSizeLineHasSeveralHexDigits() {
        Frames.Event event = new Frames.Event(History.Cursor.START, Frames.data("x".repeat(70_000)));

        String chunk = text(Frames.chunk(event));

        assertThat(chunk).startsWith(Integer.toHexString(text(event.bytes()).length()) + "\r\n");
        assertThat(chunk).endsWith("\n\n\r\n");
    }

    @Test
    void theIdLineSpellsTheCursorAsItsEncodeDoesForAnyIds() {
        Random random = new Random(42);
        ByteBuf data = Frames.data("{}");
        for (int i = 0; i < 2_000; i++) {
            History.Cursor cursor = new History.Cursor(
                    random.nextInt(4) == 0 ? null : new UUID(random.nextLong(), random.nextLong()),
                    random.nextInt(4) == 0 ? null : new UUID(random.nextLong(), random.nextLong()));
            Frames.Event event = new Frames.Event(cursor, data);

            assertThat(text(event.bytes())).isEqualTo("id:" + cursor.encode() + "\ndata:{}\n\n");
            assertThat(History.Cursor.decode(cursor.encode())).isEqualTo(cursor);
        }
    }

    @Test
    void chunkSizeLinesAreLowercaseHexWithoutLeadingZeros() {
        for (int size : new int[] {1, 9, 10, 15, 16, 255, 256, 4_095, 4_096, 65_535, 65_536, 1_000_003}) {
            Frames.Event event = new Frames.Event(History.Cursor.START, Frames.data("x".repeat(size)));
            String body = text(event.bytes());

            assertThat(text(Frames.chunk(event))).isEqualTo(framed(body));
        }
    }

    private static String framed(String body) {
        return Integer.toHexString(body.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + body + "\r\n";
    }

    private static String text(ByteBuf buffer) {
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            buffer.release();
        }
    }
}
