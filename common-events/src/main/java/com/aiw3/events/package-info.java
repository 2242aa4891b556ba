/** The event schema of the platform: topics, event types, the envelope and its serialisation. */
package com.aiw3.events;
