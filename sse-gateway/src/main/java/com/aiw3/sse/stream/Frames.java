package com.aiw3.sse.stream;

import com.aiw3.sse.feed.History;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Server-Sent Events on the wire, written by hand so that an event's {@code data:} lines are encoded once
 * and shared by every stream it goes to: per stream only its {@code id:} line is new, and it is written
 * out only when the stream's connection takes the frame (a queued frame is a small record that holds no
 * pooled memory). Shared data lines are unreleasable heap buffers, so nothing needs releasing when a
 * stream ends with frames still queued.
 */
final class Frames {

    /** What a stream queues: turned into bytes on its connection's event loop. */
    sealed interface Frame {
        ByteBuf bytes();
    }

    /** An event: the stream's cursor after it (its {@code id:}) and the event's shared data lines. */
    record Event(History.Cursor cursor, ByteBuf data) implements Frame {
        @Override
        public ByteBuf bytes() {
            // One direct buffer from the pool: the socket write takes it as it is (no composite, no copy to
            // direct memory), and it goes back to the pool once written.
            return write(ByteBufAllocator.DEFAULT.directBuffer(length()));
        }

        /** As {@link Frames#chunk}, with the chunk's framing written around the event in the same buffer. */
        ByteBuf chunk() {
            int length = length();
            ByteBuf chunk = ByteBufAllocator.DEFAULT.directBuffer(hexDigits(length) + length + 4);
            writeHex(chunk, length);
            chunk.writeShort(CRLF);
            return write(chunk).writeShort(CRLF);
        }

        private int length() {
            return ID.length
                    + idLength(cursor.lastUserEvent())
                    + 1
                    + idLength(cursor.lastBroadcast())
                    + 1
                    + data.readableBytes();
        }

        /**
         * {@code id:} and the cursor as {@link History.Cursor#encode()} spells it, written as bytes: the
         * text would be three strings per delivery, most of what a delivery allocates.
         */
        private ByteBuf write(ByteBuf frame) {
            frame.writeBytes(ID);
            writeId(frame, cursor.lastUserEvent());
            frame.writeByte('.');
            writeId(frame, cursor.lastBroadcast());
            frame.writeByte('\n');
            return frame.writeBytes(data, data.readerIndex(), data.readableBytes());
        }
    }

    /**
     * The first frame: the reconnect delay hint and the greeting event, with the cursor the stream starts
     * from as its {@code id:} when the client did not send one (so a break before the first event resumes
     * from there, not from nothing).
     */
    record Greeting(Duration retry, String payload, History.@Nullable Cursor start) implements Frame {
        Greeting(Duration retry, String payload) {
            this(retry, payload, null);
        }

        @Override
        public ByteBuf bytes() {
            String head = "retry:" + retry.toMillis() + "\n" + (start == null ? "" : "id:" + start.encode() + "\n");
            return Unpooled.wrappedBuffer(
                    Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.UTF_8)),
                    data(payload).duplicate());
        }
    }

    /**
     * The last frame of a stream the server ends on purpose: the reconnect delay hint and the
     * {@code reconnect} event. No {@code id:}, so the client's Last-Event-ID stays the last event it got.
     */
    record Parting(Duration retry, String payload) implements Frame {
        @Override
        public ByteBuf bytes() {
            return Unpooled.wrappedBuffer(
                    Unpooled.wrappedBuffer(("retry:" + retry.toMillis() + "\n").getBytes(StandardCharsets.UTF_8)),
                    data(payload).duplicate());
        }
    }

    /** A comment line that keeps intermediaries from idling the connection out. */
    record Heartbeat() implements Frame {
        static final Heartbeat INSTANCE = new Heartbeat();

        @Override
        public ByteBuf bytes() {
            return HEARTBEAT.duplicate();
        }
    }

    private static final ByteBuf HEARTBEAT = shared(":heartbeat\n\n");
    private static final byte[] ID = "id:".getBytes(StandardCharsets.US_ASCII);

    private static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Frames() {}

    /**
     * A frame as one HTTP/1.1 chunk ({@code <size in hex>\r\n<bytes>\r\n}) in one buffer, for a stream
     * that writes below the HTTP encoder: the encoder would make three buffers of it (size line, bytes,
     * CRLF), each its own entry in the connection's outbound buffer and its own piece of the socket write.
     */
    static ByteBuf chunk(Frame frame) {
        if (frame instanceof Event event) {
            return event.chunk();
        }
        ByteBuf bytes = frame.bytes();
        try {
            int length = bytes.readableBytes();
            ByteBuf chunk = ByteBufAllocator.DEFAULT.directBuffer(hexDigits(length) + length + 4);
            writeHex(chunk, length);
            chunk.writeShort(CRLF);
            chunk.writeBytes(bytes);
            return chunk.writeShort(CRLF);
        } finally {
            bytes.release();
        }
    }

    private static int idLength(@Nullable UUID id) {
        return id == null ? 1 : 36;
    }

    /** A UUID as {@link UUID#toString()} spells it (lowercase 8-4-4-4-12), or {@code -} for none. */
    private static void writeId(ByteBuf frame, @Nullable UUID id) {
        if (id == null) {
            frame.writeByte('-');
            return;
        }
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        frame.writeLong(hex((int) (high >>> 32), 8));
        frame.writeByte('-');
        frame.writeInt((int) hex((int) (high >>> 16), 4));
        frame.writeByte('-');
        frame.writeInt((int) hex((int) high, 4));
        frame.writeByte('-');
        frame.writeInt((int) hex((int) (low >>> 48), 4));
        frame.writeByte('-');
        frame.writeInt((int) hex((int) (low >>> 32), 4));
        frame.writeLong(hex((int) low, 8));
    }

    /** The low {@code digits} hex digits of {@code value} as ASCII, the first in the highest byte. */
    private static long hex(int value, int digits) {
        long ascii = 0;
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            ascii = (ascii << 8) | HEX[(value >>> shift) & 0xf];
        }
        return ascii;
    }

    private static int hexDigits(int value) {
        return Math.max(1, (35 - Integer.numberOfLeadingZeros(value)) / 4);
    }

    /** A chunk's size line: {@code value} in lowercase hex, no leading zeros. */
    private static void writeHex(ByteBuf chunk, int value) {
        for (int shift = (hexDigits(value) - 1) * 4; shift >= 0; shift -= 4) {
            chunk.writeByte(HEX[(value >>> shift) & 0xf]);
        }
    }

    /** {@code data:} lines of a payload and the blank line that ends the event, shared by every stream. */
    static ByteBuf data(String payload) {
        StringBuilder frame = new StringBuilder(payload.length() + 16);
        for (String line : payload.split("\n", -1)) {
            frame.append("data:").append(line).append('\n');
        }
        return shared(frame.append('\n').toString());
    }

    private static ByteBuf shared(String frame) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)));
    }
}
