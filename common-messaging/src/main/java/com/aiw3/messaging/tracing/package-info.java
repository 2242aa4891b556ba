/** Trace context carried where Spring's instrumentation does not see the hop: the outbox and raw consumers. */
@NullMarked
package com.aiw3.messaging.tracing;

import org.jspecify.annotations.NullMarked;
