package com.aiw3.notification.channel;

/** A provider refused or could not be reached; {@code retryable} says whether trying again can help. */
public class ProviderException extends RuntimeException {

    private final boolean retryable;

    public ProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
