/** Solana over JSON-RPC (solanaj): burn transactions for the wallet, burn verification, system mints. */
package com.aiw3.upgrade.chain;
