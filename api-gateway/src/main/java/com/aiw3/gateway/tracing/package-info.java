/** The trace of a request carried to the service it is routed to. */
@NullMarked
package com.aiw3.gateway.tracing;

import org.jspecify.annotations.NullMarked;
