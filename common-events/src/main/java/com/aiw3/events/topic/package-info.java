/** The typed registry of every Kafka topic. */
package com.aiw3.events.topic;
