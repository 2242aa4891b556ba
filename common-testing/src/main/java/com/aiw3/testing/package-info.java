/** Real PostgreSQL for tests: the machine's server when it answers, an embedded one otherwise. */
@NullMarked
package com.aiw3.testing;

import org.jspecify.annotations.NullMarked;
