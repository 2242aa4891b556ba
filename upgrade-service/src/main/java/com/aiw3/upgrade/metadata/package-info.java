/** The new NFT's Metaplex-style metadata, its CIDv1 computed locally, and its upload through Kubo. */
package com.aiw3.upgrade.metadata;
