import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  Api,
  DEVELOPMENT_WALLET_NAME,
  base58Encode,
  mintDevelopmentNft,
  registerDevelopmentWallet,
  signingWallets,
  walletSigner,
} from "../src/index.js";
import { holder, holderAddress, legacyTransaction, otherAddress } from "./walletFakes.js";

const signature = base58Encode(new Uint8Array(64).fill(5));

/** The local node's development endpoints over HTTP: each request as "METHOD path body". */
async function localNode(options: { newWallets?: string[]; balance?: (address: string) => number } = {}) {
  const requests: { path: string; body: Record<string, unknown> | undefined }[] = [];
  const newWallets = [...(options.newWallets ?? [holderAddress])];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      requests.push({ path: req.url ?? "", body });
      const answer = (status: number, value: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.url === "/") {
        const address = (body?.params as string[])[0]!;
        return answer(200, { jsonrpc: "2.0", id: 1, result: { context: { slot: 1 }, value: options.balance?.(address) ?? 1 } });
      }
      if (req.url === "/dev/wallets") return answer(201, { publicKey: newWallets.shift() });
      if (req.url === "/dev/wallet/sign-and-send") return answer(200, { signature });
      if (req.url === "/dev/wallet/nfts") return answer(201, { mint: otherAddress, wallet: body?.wallet, tierId: 1 });
      answer(404, { error: "not found" });
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

function developmentWallet() {
  const wallet = signingWallets("solana:localnet").find((candidate) => candidate.name === DEVELOPMENT_WALLET_NAME);
  assert.ok(wallet, "the development wallet is offered for solana:localnet");
  return wallet;
}

test("the development wallet is a wallet of the local chain that gets its account from the node and has the node sign and send", async () => {
  const node = await localNode();
  const storage = memoryStorage();
  const unregister = registerDevelopmentWallet({ node: node.url, storage });
  try {
    const wallet = developmentWallet();
    assert.deepEqual(wallet.chains, ["solana:localnet"]);
    assert.deepEqual(signingWallets("solana:mainnet").map((w) => w.name), []);
    const sign = walletSigner({ wallet, chain: "solana:localnet" });
    assert.equal(await sign(legacyTransaction(holder)), signature);
    assert.deepEqual(wallet.accounts.map((account) => account.address), [holderAddress]);
    assert.deepEqual([...wallet.accounts[0]!.publicKey], [...holder]);
    assert.deepEqual(node.requests, [
      { path: "/dev/wallets", body: undefined },
      { path: "/dev/wallet/sign-and-send", body: { wallet: holderAddress, transaction: legacyTransaction(holder) } },
    ]);
    assert.equal(storage.items.get(`aiw3.development-wallet:${node.url}`), holderAddress);
  } finally {
    unregister();
    await node.close();
  }
  assert.equal(signingWallets("solana:localnet").length, 0);
});

test("after a reload the development wallet connects the same account while the node still knows it", async () => {
  const node = await localNode({ newWallets: [otherAddress] });
  const storage = memoryStorage();
  storage.setItem(`aiw3.development-wallet:${node.url}`, holderAddress);
  const unregister = registerDevelopmentWallet({ node: node.url, storage });
  try {
    const { accounts } = await developmentWallet().features["standard:connect"].connect();
    assert.deepEqual(accounts.map((account) => account.address), [holderAddress]);
    assert.deepEqual(node.requests.map((request) => request.path), ["/"]);
  } finally {
    unregister();
    await node.close();
  }
});

test("on a fresh local chain the development wallet gets a new account instead of the forgotten one", async () => {
  const node = await localNode({ newWallets: [otherAddress], balance: () => 0 });
  const storage = memoryStorage();
  storage.setItem(`aiw3.development-wallet:${node.url}`, holderAddress);
  const unregister = registerDevelopmentWallet({ node: node.url, storage });
  try {
    const { accounts } = await developmentWallet().features["standard:connect"].connect();
    assert.deepEqual(accounts.map((account) => account.address), [otherAddress]);
    assert.equal(storage.items.get(`aiw3.development-wallet:${node.url}`), otherAddress);
  } finally {
    unregister();
    await node.close();
  }
});

test("a development NFT is minted into the wallet by the node and registered for the signed-in user", async () => {
  const node = await localNode();
  const gateway: string[] = [];
  const api = new Api({
    token: () => "jwt",
    fetch: (async (url: string, init: RequestInit) => {
      gateway.push(`${init.method} ${url} ${String(init.body)}`);
      return new Response(null, { status: 201 });
    }) as unknown as typeof fetch,
  });
  try {
    assert.equal(await mintDevelopmentNft(api, holderAddress, node.url), otherAddress);
    assert.deepEqual(node.requests, [{ path: "/dev/wallet/nfts", body: { wallet: holderAddress } }]);
    assert.deepEqual(gateway, [`POST /api/v1/nft/dev/holders ${JSON.stringify({ wallet: holderAddress, mint: otherAddress })}`]);
  } finally {
    await node.close();
  }
});
