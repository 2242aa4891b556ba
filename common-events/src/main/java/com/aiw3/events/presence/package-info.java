/** Presence of users on SSE gateway instances and the outcome of each real-time delivery. */
@NullMarked
package com.aiw3.events.presence;

import org.jspecify.annotations.NullMarked;
