/** Operators' broadcasts to every online user: maintenance notices and feature announcements. */
@NullMarked
package com.aiw3.notification.broadcast;

import org.jspecify.annotations.NullMarked;
