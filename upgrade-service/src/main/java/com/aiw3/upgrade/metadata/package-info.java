/** The new NFT's Metaplex-style metadata, its CIDv1 computed locally, and its upload through Kubo. */
@NullMarked
package com.aiw3.upgrade.metadata;

import org.jspecify.annotations.NullMarked;
