import { test } from "node:test";
import assert from "node:assert/strict";
import { getWallets } from "@wallet-standard/app";
import {
  WalletSigningError,
  base58Encode,
  requiredSigners,
  signingWallets,
  walletSigner,
  watchSigningWallets,
  type SigningWallet,
} from "../src/index.js";
import { fakeWallet, holder, holderAddress, legacyTransaction, otherAddress } from "./walletFakes.js";

const signature = base58Encode(new Uint8Array(64).fill(3));

async function refusal(promise: Promise<unknown>): Promise<WalletSigningError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof WalletSigningError, `a WalletSigningError, not ${String(e)}`);
    return e;
  }
  assert.fail("the signer resolved");
}

test("base58 encodes as Solana addresses and signatures are written", () => {
  assert.equal(base58Encode(new Uint8Array(32)), "11111111111111111111111111111111");
  assert.equal(base58Encode(new TextEncoder().encode("hello world")), "StV1DL6CwTryKyV");
  assert.equal(base58Encode(new Uint8Array([0, 0, 1])), "112");
});

test("the signer of a legacy transaction is read from its message", () => {
  assert.deepEqual(requiredSigners(Buffer.from(legacyTransaction(holder), "base64")), [holderAddress]);
});

test("installed wallets that can sign and send on the chain are found, also when they register late", () => {
  const seen: string[][] = [];
  const stop = watchSigningWallets("solana:localnet", (wallets) => seen.push(wallets.map((w) => w.name)));
  const unregister = getWallets().register(
    fakeWallet("Local").wallet,
    fakeWallet("Mainnet only", { chains: ["solana:mainnet"] }).wallet,
    fakeWallet("Sign only", { withoutSignAndSend: true }).wallet,
  );
  assert.deepEqual(signingWallets("solana:localnet").map((w) => w.name), ["Local"]);
  assert.deepEqual(seen.at(-1), ["Local"]);
  unregister();
  assert.deepEqual(seen.at(-1), []);
  stop();
});

test("the wallet connects, signs and sends the burn with the holder's account and the base58 signature comes back", async () => {
  const { wallet, asked } = fakeWallet("Local");
  const sign = walletSigner({ wallet, chain: "solana:localnet" });
  assert.equal(await sign(legacyTransaction(holder)), signature);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.account.address, holderAddress);
  assert.equal(asked[0]!.chain, "solana:localnet");
  assert.deepEqual([...asked[0]!.transaction], [...Buffer.from(legacyTransaction(holder), "base64")]);
});

test("a wallet connected with another account is refused before it is asked to sign", async () => {
  const { wallet, asked } = fakeWallet("Local", { connectedAddress: otherAddress });
  const error = await refusal(walletSigner({ wallet, chain: "solana:localnet" })(legacyTransaction(holder)));
  assert.equal(error.kind, "wrong_account");
  assert.equal(error.expectedAccount, holderAddress);
  assert.equal(asked.length, 0);
});

test("the user declining in the wallet is a rejection", async () => {
  const declined = Object.assign(new Error("User rejected the request."), { code: 4001 });
  const { wallet } = fakeWallet("Local", { signAndSend: () => Promise.reject(declined) });
  assert.equal((await refusal(walletSigner({ wallet, chain: "solana:localnet" })(legacyTransaction(holder)))).kind, "rejected");
});

test("a wallet that cannot reach the cluster is a network error", async () => {
  const { wallet } = fakeWallet("Local", { signAndSend: () => Promise.reject(new TypeError("Failed to fetch")) });
  assert.equal((await refusal(walletSigner({ wallet, chain: "solana:localnet" })(legacyTransaction(holder)))).kind, "network");
});

test("a wallet without the chain is unsupported", async () => {
  const { wallet } = fakeWallet("Mainnet only", { chains: ["solana:mainnet"] });
  const sign = walletSigner({ wallet: wallet as SigningWallet, chain: "solana:localnet" });
  assert.equal((await refusal(sign(legacyTransaction(holder)))).kind, "unsupported");
});
