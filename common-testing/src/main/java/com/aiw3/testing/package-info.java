/** Real PostgreSQL for tests: the machine's server when it answers, an embedded one otherwise. */
package com.aiw3.testing;
