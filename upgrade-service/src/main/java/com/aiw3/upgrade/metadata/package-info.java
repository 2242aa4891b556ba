/** The NFTs' Metaplex-style metadata, CIDv1 computed locally, and adding files (metadata, tier artwork) through Kubo. */
@NullMarked
package com.aiw3.upgrade.metadata;

import org.jspecify.annotations.NullMarked;
