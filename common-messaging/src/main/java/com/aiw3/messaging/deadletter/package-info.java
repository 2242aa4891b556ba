/** Replaying dead letters to the topic they came from, once the cause is fixed. */
@NullMarked
package com.aiw3.messaging.deadletter;

import org.jspecify.annotations.NullMarked;
