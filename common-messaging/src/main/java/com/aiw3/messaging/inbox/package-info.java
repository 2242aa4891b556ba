/** Idempotent consumption: each event's effect is applied once, however often it is delivered. */
package com.aiw3.messaging.inbox;
