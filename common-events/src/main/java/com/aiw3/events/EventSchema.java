package com.aiw3.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Declares an event record's schema version and its documentation; required on every event. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventSchema {

    /** Current schema version. Raise it only with an upcaster from the previous version. */
    int version() default 1;

    /** One sentence for the catalogue: what happened. */
    String summary();

    /**
     * The {@code type} a browser sees for this event on a Server-Sent Events stream (snake_case,
     * such as {@code trading_alert}). Empty for events that never reach a client.
     */
    String clientType() default "";
}
