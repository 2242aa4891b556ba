/** What a caller gets when a downstream is down: a 503 problem, never a hang. */
@NullMarked
package com.aiw3.gateway.resilience;

import org.jspecify.annotations.NullMarked;
