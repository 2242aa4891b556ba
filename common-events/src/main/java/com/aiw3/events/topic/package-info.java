/** The typed registry of every Kafka topic. */
@NullMarked
package com.aiw3.events.topic;

import org.jspecify.annotations.NullMarked;
