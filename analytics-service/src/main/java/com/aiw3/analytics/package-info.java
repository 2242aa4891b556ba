/** Analytics projections built from the platform's events. */
package com.aiw3.analytics;
