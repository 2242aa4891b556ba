/** The NFT tiers, what each requires, and whether a user qualifies for one. */
package com.aiw3.upgrade.tier;
