/** Idempotent consumption: each event's effect is applied once, however often it is delivered. */
@NullMarked
package com.aiw3.messaging.inbox;

import org.jspecify.annotations.NullMarked;
