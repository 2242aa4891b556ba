/** What a caller gets when a downstream is down: a 503 problem, never a hang. */
package com.aiw3.gateway.resilience;
