/** The Kafka conventions every service shares, switched on by auto-configuration. */
package com.aiw3.messaging;
