package com.aiw3.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problems a controller throws; Spring renders them as {@code application/problem+json}. */
public final class Problems {

    private Problems() {}

    public static ErrorResponseException of(HttpStatus status, String detail) {
        ErrorResponseException problem = new ErrorResponseException(status);
        problem.setDetail(detail);
        return problem;
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
}
