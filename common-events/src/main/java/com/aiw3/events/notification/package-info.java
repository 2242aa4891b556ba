/** Notification requests, their priorities, channels and outcomes. */
package com.aiw3.events.notification;
