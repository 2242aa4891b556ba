/** Producer, consumer, error-handling and topic conventions on top of Spring Kafka. */
@NullMarked
package com.aiw3.messaging.kafka;

import org.jspecify.annotations.NullMarked;
