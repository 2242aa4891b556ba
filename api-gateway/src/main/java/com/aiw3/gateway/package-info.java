/** The single entry point for the frontend. */
@NullMarked
package com.aiw3.gateway;

import org.jspecify.annotations.NullMarked;
