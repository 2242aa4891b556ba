/**
 * The local run's development wallet for a browser without a wallet on the local chain: a Wallet
 * Standard wallet ("AIW3 Development Wallet", chain `solana:localnet`) whose key is kept by the local
 * Solana node of `./run-local` (deploy/solana-local). Connecting makes a wallet there
 * (`POST /dev/wallets`, funded by the node) and keeps its address in the page's `localStorage`, so a
 * reload connects the same account; the burn is signed and sent by the node
 * (`POST /dev/wallet/sign-and-send`). The node's development endpoints exist only in the local run:
 * production apps use the user's own wallet (Phantom, Solflare, Backpack, ...).
 */
import { getWallets } from "@wallet-standard/app";
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import { StandardConnect, StandardEvents, type StandardEventsListeners } from "@wallet-standard/features";
import { SolanaSignAndSendTransaction, type SolanaSignAndSendTransactionInput } from "@solana/wallet-standard-features";
import { base58Decode, bytesToBase64 } from "./base58.js";
import type { Api } from "../http.js";

export const DEVELOPMENT_WALLET_NAME = "AIW3 Development Wallet";
const CHAIN = "solana:localnet" as const;
const ICON =
  "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIyMCIgaGVpZ2h0PSIyMCI+PGNpcmNsZSBjeD0iMTAiIGN5PSIxMCIgcj0iOSIgZmlsbD0iIzBmNzY2ZSIvPjwvc3ZnPg==" as const;

export interface DevelopmentWalletOptions {
  /** The local Solana node: `http://localhost:8899` in `./run-local`. */
  node?: string;
  /** Where the account's address is kept between page loads (the page's `localStorage` by default). */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
}

async function nodeCall<T>(node: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${node}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `${path}: HTTP ${response.status}`);
  return answer;
}

/** Whether the node still knows the address (a fresh local chain forgets the wallets of the previous one). */
async function funded(node: string, address: string): Promise<boolean> {
  const answer = await nodeCall<{ result?: { value?: number } }>(node, "/", {
    jsonrpc: "2.0",
    id: 1,
    method: "getBalance",
    params: [address],
  });
  return (answer.result?.value ?? 0) > 0;
}

/**
 * Registers the development wallet with the page (every `useWallets("solana:localnet")` and
 * `WalletPicker` then offers it). Returns the function that unregisters it.
 */
export function registerDevelopmentWallet({ node = "http://localhost:8899", storage }: DevelopmentWalletOptions = {}): () => void {
  const store = storage === undefined ? (globalThis.localStorage ?? null) : storage;
  const storageKey = `aiw3.development-wallet:${node}`;
  const listeners = new Set<StandardEventsListeners["change"]>();
  let accounts: WalletAccount[] = [];

  const account = (address: string): WalletAccount => ({
    address,
    publicKey: base58Decode(address),
    chains: [CHAIN],
    features: [SolanaSignAndSendTransaction],
  });

  const connect = async () => {
    if (accounts.length === 0) {
      let address = store?.getItem(storageKey) ?? null;
      if (address && !(await funded(node, address))) address = null;
      if (!address) {
        address = (await nodeCall<{ publicKey: string }>(node, "/dev/wallets")).publicKey;
        store?.setItem(storageKey, address);
      }
      accounts = [account(address)];
      for (const listener of listeners) listener({ accounts });
    }
    return { accounts: accounts.slice() };
  };

  const signAndSendTransaction = (...inputs: readonly SolanaSignAndSendTransactionInput[]) =>
    Promise.all(
      inputs.map(async (input) => {
        if (input.chain !== CHAIN) throw new Error(`${DEVELOPMENT_WALLET_NAME} sends to ${CHAIN} only, not ${input.chain}`);
        const { signature } = await nodeCall<{ signature: string }>(node, "/dev/wallet/sign-and-send", {
          wallet: input.account.address,
          transaction: bytesToBase64(input.transaction),
        });
        return { signature: base58Decode(signature) };
      }),
    );

  const wallet: Wallet = {
    version: "1.0.0",
    name: DEVELOPMENT_WALLET_NAME,
    icon: ICON,
    chains: [CHAIN],
    get accounts() {
      return accounts.slice();
    },
    features: {
      [StandardConnect]: { version: "1.0.0", connect },
      [StandardEvents]: {
        version: "1.0.0",
        on: (_event: "change", listener: StandardEventsListeners["change"]) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
      [SolanaSignAndSendTransaction]: {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy"],
        signAndSendTransaction,
      },
    },
  };
  return getWallets().register(wallet);
}

/**
 * The local run only: a tier-1 NFT minted by the local node into `address` (`POST /dev/wallet/nfts`) and
 * registered for the signed-in user (`POST /api/v1/nft/dev/holders`, which also qualifies the user for
 * tier 2). Resolves with the new NFT's mint address.
 */
export async function mintDevelopmentNft(api: Api, address: string, node = "http://localhost:8899"): Promise<string> {
  const nft = await nodeCall<{ mint: string; wallet: string }>(node, "/dev/wallet/nfts", { wallet: address });
  await api.request("POST", "/api/v1/nft/dev/holders", { wallet: nft.wallet, mint: nft.mint });
  return nft.mint;
}
