/** The read API of the analytics tables. */
package com.aiw3.analytics.query;
