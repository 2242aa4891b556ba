/** The NFT tiers, what each requires, and whether a user qualifies for one. */
@NullMarked
package com.aiw3.upgrade.tier;

import org.jspecify.annotations.NullMarked;
