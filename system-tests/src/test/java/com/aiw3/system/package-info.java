/** Whole-platform tests: every service as its own process, driven through api-gateway only. */
package com.aiw3.system;
