/** JSON and Kafka serialisation of envelopes, with the schema evolution rules. */
@NullMarked
package com.aiw3.events.serde;

import org.jspecify.annotations.NullMarked;
