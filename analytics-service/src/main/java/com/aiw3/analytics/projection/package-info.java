/** Turns consumed events into the analytics tables, exactly once per event. */
package com.aiw3.analytics.projection;
