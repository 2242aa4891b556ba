/** The NFT upgrade lifecycle events and their statuses. */
package com.aiw3.events.upgrade;
