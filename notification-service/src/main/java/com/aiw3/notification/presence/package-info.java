/** Who is online (from sse-gateway's presence events) and which real-time deliveries were confirmed. */
package com.aiw3.notification.presence;
