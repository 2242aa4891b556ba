/** Notification requests, their priorities, channels and outcomes. */
@NullMarked
package com.aiw3.events.notification;

import org.jspecify.annotations.NullMarked;
