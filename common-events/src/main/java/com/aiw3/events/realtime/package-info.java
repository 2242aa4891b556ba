/** Real-time events for one user and broadcasts for every online user. */
package com.aiw3.events.realtime;
