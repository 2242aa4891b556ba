package com.aiw3.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A database that is momentarily out of reach (no pooled connection in time, a connection refused or
 * reset) is a 503 problem with {@code Retry-After}, not a 500: nothing was written (the transaction
 * rolled back), so the client's retry with the same Idempotency-Key is safe. A saturated pool under load is
 * the usual case (the system tests' load run reaches it).
 * Ordered before {@link ServerErrorProblems}, whose catch-all would otherwise answer these 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnavailableDatabaseAdvice {

    static final String RETRY_AFTER_SECONDS = "2";

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "the service's database is busy or out of reach; retry shortly");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem);
    }
}
