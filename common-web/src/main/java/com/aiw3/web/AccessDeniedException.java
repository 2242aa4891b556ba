package com.aiw3.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The caller is known but may not do this: 403 problem+json. */
public class AccessDeniedException extends ErrorResponseException {

    public AccessDeniedException(String detail) {
        super(HttpStatus.FORBIDDEN);
        setDetail(detail);
        getBody().setTitle("Forbidden");
    }
}
