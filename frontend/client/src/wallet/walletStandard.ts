/**
 * Signing the burn with the user's own wallet through the Wallet Standard: every wallet that registers
 * itself with the page (Phantom, Solflare, Backpack and any other that implements the standard) is
 * found without a wallet-specific adapter. The signer refuses a wallet connected with another account
 * than the one holding the NFT, and reports each failure as a typed {@link WalletSigningError}.
 */
import { getWallets } from "@wallet-standard/app";
import type { IdentifierString, Wallet, WalletAccount } from "@wallet-standard/base";
import { StandardConnect, type StandardConnectFeature } from "@wallet-standard/features";
import { SolanaSignAndSendTransaction, type SolanaSignAndSendTransactionFeature } from "@solana/wallet-standard-features";
import { base58Encode, base64ToBytes } from "./base58.js";
import { requiredSigners } from "./transaction.js";

/** The Solana cluster the transactions are for: "solana:mainnet", "solana:devnet", or "solana:localnet" (./run-local). */
export type SolanaChain = IdentifierString;

/**
 * Why the wallet did not sign and send, as a UI tells it:
 * - `no_wallet`: no installed wallet can sign and send Solana transactions on this chain;
 * - `rejected`: the user declined (the connection or the signature) — nothing was sent;
 * - `wrong_account`: the wallet is connected with an account that does not hold the NFT;
 * - `unsupported`: the wallet does not offer this chain;
 * - `network`: the wallet could not reach the cluster, or the cluster refused the transaction (e.g. an
 *   expired blockhash) — a fresh transaction may pass;
 * - `failed`: anything else the wallet reported.
 */
export type WalletErrorKind = "no_wallet" | "rejected" | "wrong_account" | "unsupported" | "network" | "failed";

export class WalletSigningError extends Error {
  constructor(
    readonly kind: WalletErrorKind,
    message: string,
    /** For `wrong_account`: the address that must sign (the NFT's holder). */
    readonly expectedAccount?: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = "WalletSigningError";
  }
}

export type SigningWallet = Wallet & {
  readonly features: StandardConnectFeature & SolanaSignAndSendTransactionFeature;
};

/** Whether a wallet can connect and sign-and-send Solana transactions on `chain`. */
export function canSignAndSend(wallet: Wallet, chain: SolanaChain): wallet is SigningWallet {
  return StandardConnect in wallet.features && SolanaSignAndSendTransaction in wallet.features && wallet.chains.includes(chain);
}

/** The wallets installed now that can sign and send on `chain`. */
export function signingWallets(chain: SolanaChain): SigningWallet[] {
  return getWallets().get().filter((wallet) => canSignAndSend(wallet, chain));
}

/**
 * Calls `listener` with the signing wallets now and whenever a wallet registers or unregisters (wallets
 * load after the page and may register late). Returns the function that stops watching.
 */
export function watchSigningWallets(chain: SolanaChain, listener: (wallets: SigningWallet[]) => void): () => void {
  const wallets = getWallets();
  const emit = () => listener(wallets.get().filter((wallet) => canSignAndSend(wallet, chain)));
  const offRegister = wallets.on("register", emit);
  const offUnregister = wallets.on("unregister", emit);
  emit();
  return () => {
    offRegister();
    offUnregister();
  };
}

/** Asks the wallet to connect (the user approves once); resolves with its accounts. */
export async function connectWallet(wallet: SigningWallet, silent = false): Promise<readonly WalletAccount[]> {
  try {
    const { accounts } = await wallet.features[StandardConnect].connect({ silent });
    return accounts;
  } catch (e) {
    throw toWalletError(e);
  }
}

export interface WalletSignerOptions {
  wallet: SigningWallet;
  chain: SolanaChain;
}

/**
 * The `signAndSendBurn` of {@link useNFTUpgrade} for a Wallet Standard wallet: connects when needed,
 * checks that the connected account is the transaction's signer, asks the wallet to sign and send the
 * (base64, legacy) transaction, and resolves with the base58 signature that confirm-burn takes.
 */
export function walletSigner({ wallet, chain }: WalletSignerOptions): (burnTransactionBase64: string) => Promise<string> {
  return async (burnTransactionBase64) => {
    if (!wallet.chains.includes(chain)) {
      throw new WalletSigningError("unsupported", `${wallet.name} does not offer ${chain}`);
    }
    const transaction = base64ToBytes(burnTransactionBase64);
    const expected = requiredSigners(transaction)[0];
    const accounts = wallet.accounts.length > 0 ? wallet.accounts : await connectWallet(wallet);
    const account = accounts.find((candidate) => candidate.address === expected);
    if (!account) {
      const connected = accounts.map((candidate) => candidate.address).join(", ") || "no account";
      throw new WalletSigningError(
        "wrong_account",
        `${wallet.name} is connected with ${connected}; the NFT is held by ${expected}. Switch the account in the wallet.`,
        expected,
      );
    }
    try {
      const [output] = await wallet.features[SolanaSignAndSendTransaction].signAndSendTransaction({
        account,
        chain,
        transaction,
        options: { commitment: "confirmed" },
      });
      if (!output) throw new WalletSigningError("failed", `${wallet.name} returned no signature`);
      return base58Encode(output.signature);
    } catch (e) {
      throw toWalletError(e);
    }
  };
}

/** Turns what a wallet threw into a typed error (wallets report a user's refusal as code 4001 or by name). */
export function toWalletError(e: unknown): WalletSigningError {
  if (e instanceof WalletSigningError) return e;
  const error = (e ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const text = `${String(error.name ?? "")} ${String(error.message ?? e)}`;
  if (error.code === 4001 || /reject|denied|declin|cancel/i.test(text)) {
    return new WalletSigningError("rejected", "The signature was declined in the wallet.", undefined, e);
  }
  if (e instanceof TypeError || /network|fetch|timed? ?out|unreachable|blockhash|simulation|-32\d\d\d/i.test(text)) {
    return new WalletSigningError("network", `The wallet could not send the transaction: ${String(error.message ?? e)}`, undefined, e);
  }
  return new WalletSigningError("failed", String(error.message ?? e), undefined, e);
}
