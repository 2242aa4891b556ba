package com.aiw3.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** No authenticated caller on a request that needs one: 401 problem+json. */
public class UnauthenticatedException extends ErrorResponseException {

    public UnauthenticatedException() {
        this("this endpoint needs an authenticated user (sign in through the api-gateway)");
    }

    public UnauthenticatedException(String detail) {
        super(HttpStatus.UNAUTHORIZED);
        setDetail(detail);
        getBody().setTitle("Unauthorized");
    }
}
