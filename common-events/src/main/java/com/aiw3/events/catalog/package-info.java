/** The catalogue of event types derived from the topic registry, and its AsyncAPI document. */
@NullMarked
package com.aiw3.events.catalog;

import org.jspecify.annotations.NullMarked;
