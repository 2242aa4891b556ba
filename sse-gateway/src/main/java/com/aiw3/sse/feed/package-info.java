/** The Kafka feed of the gateway: the recent history per user and broadcast, and live dispatch. */
@NullMarked
package com.aiw3.sse.feed;

import org.jspecify.annotations.NullMarked;
