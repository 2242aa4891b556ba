/** The read API of the analytics tables. */
@NullMarked
package com.aiw3.analytics.query;

import org.jspecify.annotations.NullMarked;
