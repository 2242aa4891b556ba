/** Notification requests in: explicit ones and those implied by upgrade events. */
@NullMarked
package com.aiw3.notification.intake;

import org.jspecify.annotations.NullMarked;
