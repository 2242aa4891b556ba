/** Presence of users on SSE gateway instances and the outcome of each real-time delivery. */
package com.aiw3.events.presence;
