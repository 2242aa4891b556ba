/** Socket settings of the gateway's inbound server and outbound client. */
@NullMarked
package com.aiw3.gateway.transport;

import org.jspecify.annotations.NullMarked;
