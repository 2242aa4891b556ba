/** Producer, consumer, error-handling and topic conventions on top of Spring Kafka. */
package com.aiw3.messaging.kafka;
