/** The whole suite on one machine: broker, database and every service as its own process. */
@NullMarked
package com.aiw3.local;

import org.jspecify.annotations.NullMarked;
