/** JSON and Kafka serialisation of envelopes, with the schema evolution rules. */
package com.aiw3.events.serde;
