/** The event schema of the platform: topics, event types, the envelope and its serialisation. */
@NullMarked
package com.aiw3.events;

import org.jspecify.annotations.NullMarked;
