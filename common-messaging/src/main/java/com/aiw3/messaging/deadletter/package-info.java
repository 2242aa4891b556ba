/** Replaying dead letters to the topic they came from, once the cause is fixed. */
package com.aiw3.messaging.deadletter;
