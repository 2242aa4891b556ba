/** The catalogue of event types derived from the topic registry, and its AsyncAPI document. */
package com.aiw3.events.catalog;
