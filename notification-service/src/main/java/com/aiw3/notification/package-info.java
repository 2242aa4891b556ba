/** Notification routing service: real-time when online, third-party channels when offline. */
package com.aiw3.notification;
