/** Analytics projections built from the platform's events. */
@NullMarked
package com.aiw3.analytics;

import org.jspecify.annotations.NullMarked;
