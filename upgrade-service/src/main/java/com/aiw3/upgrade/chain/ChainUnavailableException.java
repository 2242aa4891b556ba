package com.aiw3.upgrade.chain;

import org.jspecify.annotations.Nullable;

/** The RPC node could not be reached or answered with an error: worth retrying. */
public class ChainUnavailableException extends RuntimeException {

    public ChainUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
