/** Notification routing service: real-time when online, third-party channels when offline. */
@NullMarked
package com.aiw3.notification;

import org.jspecify.annotations.NullMarked;
