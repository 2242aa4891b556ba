/**
 * Event streams: their own connection pool to sse-gateway, and the streaming upgrade POST (create the upgrade and
 * stream its progress on the same response).
 */
@NullMarked
package com.aiw3.gateway.stream;

import org.jspecify.annotations.NullMarked;
