/** The in-app inbox: a user's feed of notifications, its read state, unread counts, and their live updates. */
@NullMarked
package com.aiw3.notification.inbox;

import org.jspecify.annotations.NullMarked;
