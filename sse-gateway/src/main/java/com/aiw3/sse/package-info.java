/** Server-Sent Events fan-out of Kafka events to online users. */
@NullMarked
package com.aiw3.sse;

import org.jspecify.annotations.NullMarked;
