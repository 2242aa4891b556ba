package com.aiw3.messaging;

/**
 * Thrown by a consumer for an event it can never process (bad input, unknown user): the record goes to
 * the dead-letter topic at once, with this message as the reason, instead of being retried.
 */
public class NonRetryableEventException extends RuntimeException {

    public NonRetryableEventException(String reason) {
        super(reason);
    }
}
