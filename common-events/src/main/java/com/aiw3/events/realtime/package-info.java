/** Real-time events for one user and broadcasts for every online user. */
@NullMarked
package com.aiw3.events.realtime;

import org.jspecify.annotations.NullMarked;
