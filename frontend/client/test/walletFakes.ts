import type { Wallet, WalletAccount } from "@wallet-standard/base";
import { base58Encode } from "../src/wallet/base58.js";
import type { SigningWallet } from "../src/wallet/walletStandard.js";

/** A legacy transaction whose only signer (the fee payer) is `signer` (32 bytes), base64. */
export function legacyTransaction(signer: Uint8Array): string {
  const other = new Uint8Array(32).fill(7);
  const bytes = new Uint8Array([1, ...new Uint8Array(64), 1, 0, 1, 2, ...signer, ...other, ...new Uint8Array(32).fill(9), 0]);
  return Buffer.from(bytes).toString("base64");
}

export const holder = new Uint8Array(32).fill(1);
export const holderAddress = base58Encode(holder);
export const otherAddress = base58Encode(new Uint8Array(32).fill(2));

export interface FakeWalletOptions {
  connectedAddress?: string;
  chains?: `${string}:${string}`[];
  signAndSend?: () => Promise<{ signature: Uint8Array }[]>;
  withoutSignAndSend?: boolean;
}

/** A Wallet Standard wallet the test drives: records what it was asked to sign. */
export function fakeWallet(name: string, options: FakeWalletOptions = {}) {
  const asked: { transaction: Uint8Array; chain: string; account: WalletAccount }[] = [];
  let accounts: WalletAccount[] = [];
  const account = (address: string): WalletAccount => ({
    address,
    publicKey: new Uint8Array(32),
    chains: options.chains ?? ["solana:localnet"],
    features: ["solana:signAndSendTransaction"],
  });
  const features: Record<string, unknown> = {
    "standard:connect": {
      version: "1.0.0",
      connect: async () => {
        accounts = [account(options.connectedAddress ?? holderAddress)];
        return { accounts };
      },
    },
  };
  if (!options.withoutSignAndSend) {
    features["solana:signAndSendTransaction"] = {
      version: "1.0.0",
      supportedTransactionVersions: ["legacy"],
      signAndSendTransaction: async (...inputs: { transaction: Uint8Array; chain: string; account: WalletAccount }[]) => {
        asked.push(...inputs);
        return options.signAndSend ? options.signAndSend() : [{ signature: new Uint8Array(64).fill(3) }];
      },
    };
  }
  const wallet = {
    version: "1.0.0",
    name,
    icon: "data:image/svg+xml;base64,PHN2Zy8+",
    chains: options.chains ?? ["solana:localnet"],
    features,
    get accounts() {
      return accounts;
    },
  } as unknown as Wallet;
  return { wallet: wallet as SigningWallet, asked };
}
