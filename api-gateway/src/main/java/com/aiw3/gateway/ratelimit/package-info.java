/** Request rate and stream concurrency limits shared by all gateway instances through Redis. */
@NullMarked
package com.aiw3.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
