/** Request rate and stream concurrency limits shared by all gateway instances through Redis. */
package com.aiw3.gateway.ratelimit;
