/** Guards in front of the service's HTTP API: the largest request body it reads. */
package com.aiw3.notification.api;
