package com.aiw3.audit.log;

/**
 * One Kafka record as received, before it is a link of the chain.
 *
 * @param envelope the record value exactly as published (UTF-8 JSON)
 */
public record IncomingEvent(String topic, int partition, long offset, byte[] envelope) {}
