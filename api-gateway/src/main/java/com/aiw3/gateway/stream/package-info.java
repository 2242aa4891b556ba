/** Seed 003's streaming upgrade: create the upgrade and stream its progress on the same response. */
@NullMarked
package com.aiw3.gateway.stream;

import org.jspecify.annotations.NullMarked;
