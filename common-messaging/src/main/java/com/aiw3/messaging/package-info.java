/** The Kafka conventions every service shares, switched on by auto-configuration. */
@NullMarked
package com.aiw3.messaging;

import org.jspecify.annotations.NullMarked;
