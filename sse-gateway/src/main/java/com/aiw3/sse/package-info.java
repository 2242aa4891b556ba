/** Server-Sent Events fan-out of Kafka events to online users. */
package com.aiw3.sse;
