/** Socket settings of the gateway's inbound server and outbound client. */
package com.aiw3.gateway.transport;
