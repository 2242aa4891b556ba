/** Who is online, from sse-gateway's presence events. */
@NullMarked
package com.aiw3.notification.presence;

import org.jspecify.annotations.NullMarked;
