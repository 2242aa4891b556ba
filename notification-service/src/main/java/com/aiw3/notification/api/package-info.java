/** Guards in front of the service's HTTP API: the largest request body it reads. */
@NullMarked
package com.aiw3.notification.api;

import org.jspecify.annotations.NullMarked;
