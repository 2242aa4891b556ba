/** Solana over JSON-RPC (solanaj): burn transactions for the wallet, burn verification, system mints. */
@NullMarked
package com.aiw3.upgrade.chain;

import org.jspecify.annotations.NullMarked;
