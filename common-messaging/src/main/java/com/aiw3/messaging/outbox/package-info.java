/** The transactional outbox: events written with the state they describe, relayed to Kafka after commit. */
@NullMarked
package com.aiw3.messaging.outbox;

import org.jspecify.annotations.NullMarked;
