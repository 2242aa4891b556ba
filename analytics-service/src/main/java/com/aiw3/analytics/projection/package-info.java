/** Turns consumed events into the analytics tables, exactly once per event. */
@NullMarked
package com.aiw3.analytics.projection;

import org.jspecify.annotations.NullMarked;
