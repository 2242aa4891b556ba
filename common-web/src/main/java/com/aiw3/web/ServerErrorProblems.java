package com.aiw3.web;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every exception a servlet service's handler throws becomes a problem+json answer, in this one place. A
 * 4xx keeps its detail (the domain's message to the caller). A 5xx never carries an exception's text: its
 * detail is generic and it names an {@code errorId}, which is logged with the exception and its stack
 * trace, so an operator finds the cause from what the user reports. Only a problem a developer wrote for
 * users through {@link Problems} (a 503 that says "retry shortly") keeps its detail at 5xx.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ServerErrorProblems extends ResponseEntityExceptionHandler {

    static final String GENERIC_DETAIL = "the service could not complete this request; quote the errorId to support";

    private static final Logger log = LoggerFactory.getLogger(ServerErrorProblems.class);

    /** Anything no more specific handler took: a 500, unless its class is annotated with a 4xx status. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(e.getClass(), ResponseStatus.class);
        if (annotated != null && annotated.code().is4xxClientError()) {
            ProblemDetail problem = ProblemDetail.forStatus(annotated.code());
            if (!annotated.reason().isEmpty()) {
                problem.setDetail(annotated.reason());
            }
            return ResponseEntity.status(annotated.code()).body(problem);
        }
        HttpStatus status = annotated == null ? HttpStatus.INTERNAL_SERVER_ERROR : annotated.code();
        return ResponseEntity.status(status).body(serverError(e, status, request));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(
            Exception e, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (status.is5xxServerError() && !(e instanceof Problems.Written)) {
            body = serverError(e, status, request);
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    private static ProblemDetail serverError(Exception e, HttpStatusCode status, WebRequest request) {
        String errorId = UUID.randomUUID().toString();
        String where = request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
                : request.getDescription(false);
        log.error("error {}: {} answered {}", errorId, where, status.value(), e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, GENERIC_DETAIL);
        problem.setProperty("errorId", errorId);
        return problem;
    }
}
