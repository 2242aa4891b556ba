/** The transactional outbox: events written with the state they describe, relayed to Kafka after commit. */
package com.aiw3.messaging.outbox;
