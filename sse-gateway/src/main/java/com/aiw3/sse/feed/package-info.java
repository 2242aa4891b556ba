/** The Kafka feed of the gateway: the recent history per user and broadcast, and live dispatch. */
package com.aiw3.sse.feed;
