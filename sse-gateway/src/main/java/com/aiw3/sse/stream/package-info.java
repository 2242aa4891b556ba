/** The SSE endpoints: a user's stream, one upgrade's progress, and their connections. */
@NullMarked
package com.aiw3.sse.stream;

import org.jspecify.annotations.NullMarked;
