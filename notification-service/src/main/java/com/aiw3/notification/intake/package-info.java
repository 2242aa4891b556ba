/** Notification requests in: explicit ones and those implied by upgrade events. */
package com.aiw3.notification.intake;
