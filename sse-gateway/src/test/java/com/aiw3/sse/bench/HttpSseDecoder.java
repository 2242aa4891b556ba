package com.aiw3.sse.bench;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The HTTP/1.1 framing of one load-client connection's response: the response head (its status, and whether
 * {@code transfer-encoding: chunked}), then the body without its chunk framing, a chunked one up to its last
 * (zero-size) chunk. Reads may split the response anywhere, a chunk-size line or the head included.
 *
 * <p>The body stays in the caller's buffer: {@link #next(ByteBuffer)} reads framing until it has something to report,
 * and a count of {@code n >= 0} means the next {@code n} bytes of {@code in} are body, for the caller to read
 * (advancing its position past all {@code n}) before it calls again. Nothing is allocated per read or per byte; the
 * head is kept as text until it is complete, then released.
 */
final class HttpSseDecoder {

    /** From {@link #next(ByteBuffer)}: {@code in} is used up, nothing more to report until the next read. */
    static final int INPUT_USED = -1;
    /** From {@link #next(ByteBuffer)}: the response head is complete, its status is {@link #status()}. */
    static final int HEAD_READ = -2;
    /**
     * From {@link #next(ByteBuffer)}: the last chunk of a chunked response has arrived. Reading on, the decoder skips
     * the line that follows it and would take anything after as chunks again.
     */
    static final int LAST_CHUNK = -3;

    private static final int HEAD = 0, CHUNK_SIZE = 1, CHUNK_DATA = 2, CHUNK_END = 3, BODY = 4;
    private static final String CHUNKED = "transfer-encoding: chunked";

    private int state = HEAD;
    private StringBuilder head = new StringBuilder();
    private int status;
    private long chunkLeft;
    private boolean sizeDigits;
    private boolean sizeExtension;

    /** The response's status, 0 until its head is complete. */
    int status() {
        return status;
    }

    /**
     * Reads {@code in} up to the next thing to report: {@link #INPUT_USED}, {@link #HEAD_READ}, {@link #LAST_CHUNK},
     * or a count {@code >= 0} of body bytes starting at {@code in}'s position.
     */
    int next(ByteBuffer in) {
        while (in.hasRemaining()) {
            switch (state) {
                case HEAD -> {
                    byte b = in.get();
                    head.append((char) b);
                    if (b == '\n' && head.length() >= 4 && head.charAt(head.length() - 3) == '\n') {
                        status = Integer.parseInt(head, 9, 12, 10);
                        boolean chunked =
                                head.toString().toLowerCase(Locale.ROOT).contains(CHUNKED);
                        state = chunked ? CHUNK_SIZE : BODY;
                        head = null;
                        return HEAD_READ;
                    }
                }
                case CHUNK_SIZE -> {
                    byte b = in.get();
                    if (b == '\n') {
                        boolean digits = sizeDigits;
                        sizeDigits = false;
                        sizeExtension = false;
                        if (!digits) {
                            continue; // a line without a size: nothing to frame
                        }
                        if (chunkLeft == 0) {
                            state = CHUNK_END;
                            return LAST_CHUNK;
                        }
                        state = CHUNK_DATA;
                    } else if (b == ';') {
                        sizeExtension = true;
                    } else if (!sizeExtension) {
                        int digit = Character.digit(b, 16);
                        if (digit >= 0) {
                            chunkLeft = chunkLeft * 16 + digit;
                            sizeDigits = true;
                        }
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkLeft, in.remaining());
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        state = CHUNK_END;
                    }
                    return n;
                }
                case CHUNK_END -> {
                    if (in.get() == '\n') {
                        state = CHUNK_SIZE;
                    }
                }
                default -> {
                    return in.remaining();
                }
            }
        }
        return INPUT_USED;
    }
}
