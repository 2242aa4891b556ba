/** The NFT upgrade lifecycle events and their statuses. */
@NullMarked
package com.aiw3.events.upgrade;

import org.jspecify.annotations.NullMarked;
