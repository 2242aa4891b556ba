/** The SSE endpoints: a user's stream, one upgrade's progress, and their connections. */
package com.aiw3.sse.stream;
