/** Whole-platform tests: every service as its own process, driven through api-gateway only. */
@NullMarked
package com.aiw3.system;

import org.jspecify.annotations.NullMarked;
