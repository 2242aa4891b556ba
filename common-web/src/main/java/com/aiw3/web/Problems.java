package com.aiw3.web;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problems a controller throws; Spring renders them as {@code application/problem+json}. The
 * detail is shown to the caller as written, so it is a sentence for users, never an exception's message.
 */
public final class Problems {

    private Problems() {}

    public static ErrorResponseException of(HttpStatus status, String detail) {
        ErrorResponseException problem = new Written(status);
        problem.setDetail(detail);
        return problem;
    }

    /**
     * A problem whose detail a developer wrote for users: {@link ServerErrorProblems} shows it even for a
     * 5xx status, where any other detail is replaced by a generic one.
     */
    static final class Written extends ErrorResponseException {
        Written(HttpStatus status) {
            super(status);
        }
    }

    public static ErrorResponseException badRequest(String detail) {
        return of(HttpStatus.BAD_REQUEST, detail);
    }

    public static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, detail);
    }

    public static ErrorResponseException conflict(String detail) {
        return of(HttpStatus.CONFLICT, detail);
    }

    /** 429 with {@code Retry-After} in whole seconds (at least one). */
    public static ErrorResponseException tooManyRequests(String detail, Duration retryAfter) {
        return retryLater(HttpStatus.TOO_MANY_REQUESTS, detail, retryAfter);
    }

    /** 503 with {@code Retry-After} in whole seconds (at least one): this instance cannot serve it yet. */
    public static ErrorResponseException serviceUnavailable(String detail, Duration retryAfter) {
        return retryLater(HttpStatus.SERVICE_UNAVAILABLE, detail, retryAfter);
    }

    private static ErrorResponseException retryLater(HttpStatus status, String detail, Duration retryAfter) {
        ErrorResponseException problem = of(status, detail);
        problem.getHeaders()
                .set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        return problem;
    }
}
