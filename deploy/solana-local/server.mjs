// A local Solana node for the AIW3 local run and system tests: the JSON-RPC methods upgrade-service
// uses, answered by LiteSVM (the Solana runtime itself, in process: real programs, real signature and
// blockhash checks). Also seeds the development wallets and NFTs, signs for the development wallet
// (a stand-in for a browser wallet), and offers a Kubo-compatible /api/v0/add and /api/v0/cat with a
// /ipfs/{cid} gateway for the NFTs' metadata and the tiers' artwork.
//
//   node server.mjs [--port 8899] [--ipfs-port 5001] [--state DIR]
//
// Not a validator: one "slot" per transaction, finalized at once, no forks, no fees market.
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign as edSign } from "node:crypto";
import { createServer } from "node:http";

// Idle keep-alive connections stay open until the client closes them. Node closes them after 5 s by
// default, which races a client reusing the connection at that moment (Java's HttpClient then fails
// with "header parser received no bytes"; seen in the system tests' load run).
function serve(handler) {
  const server = createServer(handler);
  server.keepAliveTimeout = 0;
  return server;
}
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getBase58Decoder, getBase58Encoder, getTransactionDecoder } from "@solana/kit";
import { FailedTransactionMetadata, LiteSVM } from "litesvm";

const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
const ATA_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
const SOL = 1_000_000_000n;

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const PORT = Number(args.port ?? 8899);
const IPFS_PORT = Number(args["ipfs-port"] ?? 5001);
const STATE = args.state ?? ".local-run/solana";
mkdirSync(STATE, { recursive: true });

const b58encode = (bytes) => getBase58Decoder().decode(bytes);
const b58decode = (text) => new Uint8Array(getBase58Encoder().encode(text));
const transactionDecoder = getTransactionDecoder();

// ---- keys -------------------------------------------------------------------------------------------

function keypair(seed = randomBytes(32)) {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed)]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32);
  return {
    seed: Buffer.from(seed),
    publicKey: b58encode(publicKey),
    secretKey: b58encode(Buffer.concat([Buffer.from(seed), publicKey])), // solanaj/solana-keygen 64-byte form
    sign: (message) => new Uint8Array(edSign(null, message, privateKey)),
  };
}

function loadKeys() {
  const file = join(STATE, "dev-keys.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8"));
    return {
      system: keypair(b58decode(saved.system.secretKey).subarray(0, 32)),
      devWallet: keypair(b58decode(saved.devWallet.secretKey).subarray(0, 32)),
      devNfts: saved.devNfts,
      wallets: new Map((saved.wallets ?? []).map((w) => [w.publicKey, keypair(b58decode(w.secretKey).subarray(0, 32))])),
      fresh: false,
    };
  }
  const keys = { system: keypair(), devWallet: keypair(), devNfts: [{ tierId: 1, mint: keypair().publicKey }], wallets: new Map(), fresh: true };
  saveKeys(keys);
  return keys;
}

function saveKeys(keys) {
  const printable = {
    system: { publicKey: keys.system.publicKey, secretKey: keys.system.secretKey },
    devWallet: { publicKey: keys.devWallet.publicKey, secretKey: keys.devWallet.secretKey },
    devNfts: keys.devNfts,
    wallets: [...keys.wallets.values()].map((w) => ({ publicKey: w.publicKey, secretKey: w.secretKey })),
  };
  writeFileSync(join(STATE, "dev-keys.json"), JSON.stringify(printable, null, 2), { mode: 0o600 });
}

// ---- SPL account layouts and program-derived addresses ----------------------------------------------

const u64 = (value) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
};
const option = (pubkey) => (pubkey ? Buffer.concat([Buffer.from([1, 0, 0, 0]), Buffer.from(b58decode(pubkey))]) : Buffer.alloc(36));

function mintAccount(authority, supply) {
  return Buffer.concat([option(authority), u64(supply), Buffer.from([0, 1]), option(authority)]); // 82 bytes
}

function tokenAccount(mint, owner, amount) {
  return Buffer.concat([
    Buffer.from(b58decode(mint)), Buffer.from(b58decode(owner)), u64(amount), option(null),
    Buffer.from([1]), Buffer.alloc(12), u64(0), option(null),
  ]); // 165 bytes
}

// ed25519 "is on curve" for program-derived addresses: a PDA must not be a valid point.
const P = 2n ** 255n - 19n;
const D = (-121665n * modInverse(121666n)) % P;
function mod(a) { return ((a % P) + P) % P; }
function modPow(b, e) { let r = 1n; b = mod(b); while (e > 0n) { if (e & 1n) r = mod(r * b); b = mod(b * b); e >>= 1n; } return r; }
function modInverse(a) { return modPow(a, P - 2n); }
function onCurve(bytes) {
  const y = BigInt("0x" + Buffer.from(bytes).reverse().toString("hex")) & ((1n << 255n) - 1n);
  if (y >= P) return false;
  const y2 = mod(y * y);
  const x2 = mod((y2 - 1n) * modInverse(mod(D * y2 + 1n)));
  if (x2 === 0n) return true;
  return modPow(x2, (P - 1n) / 2n) === 1n;
}

function findProgramAddress(seeds, programId) {
  for (let bump = 255; bump >= 0; bump--) {
    const hash = createHash("sha256");
    for (const seed of seeds) hash.update(seed);
    hash.update(Buffer.from([bump])).update(b58decode(programId)).update("ProgramDerivedAddress");
    const candidate = hash.digest();
    if (!onCurve(candidate)) return b58encode(candidate);
  }
  throw new Error("no program address");
}

const associatedTokenAccount = (owner, mint) =>
  findProgramAddress([b58decode(owner), b58decode(TOKEN_PROGRAM), b58decode(mint)], ATA_PROGRAM);

// ---- the chain --------------------------------------------------------------------------------------

let dirty = true;
const keys = loadKeys();
const chainFile = join(STATE, "chain.bin");
const historyFile = join(STATE, "transactions.json");
let svm;
let history = {};
if (!keys.fresh && existsSync(chainFile)) {
  svm = LiteSVM.loadFromFile(chainFile);
  history = existsSync(historyFile) ? JSON.parse(readFileSync(historyFile, "utf8")) : {};
} else {
  svm = new LiteSVM();
  seed();
}
let slot = Object.keys(history).length + 1000;

function seed() {
  svm.airdrop(keys.system.publicKey, 1000n * SOL);
  svm.airdrop(keys.devWallet.publicKey, 10n * SOL);
  for (const nft of keys.devNfts) {
    giveNft(nft.mint);
  }
}

/** A mint with supply 1 (the system wallet as authority) and its token in the development wallet. */
function giveNft(mint, owner = keys.devWallet.publicKey) {
  {
    const nft = { mint };
    svm.setAccount({
      address: nft.mint, data: mintAccount(keys.system.publicKey, 1), executable: false,
      lamports: svm.minimumBalanceForRentExemption(82n), programAddress: TOKEN_PROGRAM, space: 82n,
    });
    svm.setAccount({
      address: associatedTokenAccount(owner, nft.mint), data: tokenAccount(nft.mint, owner, 1),
      executable: false, lamports: svm.minimumBalanceForRentExemption(165n), programAddress: TOKEN_PROGRAM, space: 165n,
    });
  }
  dirty = true;
}

function persist() {
  if (!dirty) return;
  svm.saveToFile(chainFile);
  writeFileSync(historyFile, JSON.stringify(history));
  dirty = false;
}

// Legacy transaction wire format: signatures, header, account keys, blockhash, instructions.
function parseTransaction(wire) {
  let at = 0;
  const shortvec = () => { let value = 0, shift = 0; for (;;) { const b = wire[at++]; value |= (b & 0x7f) << shift; if (!(b & 0x80)) return value; shift += 7; } };
  const take = (n) => { const out = wire.subarray(at, at + n); at += n; return out; };
  const signatures = Array.from({ length: shortvec() }, () => take(64));
  const messageStart = at;
  if (wire[at] & 0x80) throw new Error("only legacy transactions are supported by this local node");
  const header = { numRequiredSignatures: wire[at++], numReadonlySignedAccounts: wire[at++], numReadonlyUnsignedAccounts: wire[at++] };
  const accountKeys = Array.from({ length: shortvec() }, () => b58encode(take(32)));
  const recentBlockhash = b58encode(take(32));
  const instructions = Array.from({ length: shortvec() }, () => {
    const programIdIndex = wire[at++];
    const accounts = Array.from({ length: shortvec() }, () => wire[at++]);
    const data = b58encode(take(shortvec()));
    return { programIdIndex, accounts, data, stackHeight: null };
  });
  return { signatures, header, accountKeys, recentBlockhash, instructions, message: wire.subarray(messageStart) };
}

function tokenBalances(accountKeys) {
  const balances = [];
  accountKeys.forEach((address, accountIndex) => {
    const account = svm.getAccount(address);
    if (!account.exists || account.programAddress !== TOKEN_PROGRAM || account.data.length !== 165) return;
    const data = Buffer.from(account.data);
    const mint = b58encode(data.subarray(0, 32));
    const mintData = svm.getAccount(mint);
    const decimals = mintData.exists ? mintData.data[44] : 0;
    const amount = data.readBigUInt64LE(64).toString();
    balances.push({
      accountIndex, mint, owner: b58encode(data.subarray(32, 64)), programId: TOKEN_PROGRAM,
      uiTokenAmount: { amount, decimals, uiAmount: amount === "0" ? null : Number(amount) / 10 ** decimals, uiAmountString: amount },
    });
  });
  return balances;
}

function errorOf(failed) {
  const text = failed.err().toString();
  return { text, json: { LiteSVM: text } };
}

function send(wire, skipPreflight) {
  const tx = parseTransaction(wire);
  const signature = b58encode(tx.signatures[0]);
  if (history[signature]) return { signature }; // a rebroadcast of a landed transaction
  const preBalances = tx.accountKeys.map((k) => Number(svm.getBalance(k) ?? 0n));
  const preTokenBalances = tokenBalances(tx.accountKeys);
  let result;
  try {
    result = svm.sendTransaction(transactionDecoder.decode(wire));
  } catch (e) {
    // A signature slot left empty: refused before it reaches the runtime.
    return { error: { code: -32002, message: `Transaction simulation failed: ${e.message ?? e}` } };
  }
  const failed = result instanceof FailedTransactionMetadata;
  const meta = failed ? result.meta() : result;
  if (failed && !skipPreflight) {
    const { text } = errorOf(result);
    return { error: { code: -32002, message: `Transaction simulation failed: ${text}`, data: { logs: meta.logs() } } };
  }
  slot += 1;
  history[signature] = {
    slot, blockTime: Math.floor(Date.now() / 1000), version: "legacy",
    transaction: { signatures: tx.signatures.map(b58encode), message: { accountKeys: tx.accountKeys, header: tx.header, recentBlockhash: tx.recentBlockhash, instructions: tx.instructions } },
    meta: {
      err: failed ? errorOf(result).json : null, status: failed ? { Err: errorOf(result).json } : { Ok: null }, fee: 5000,
      preBalances, postBalances: tx.accountKeys.map((k) => Number(svm.getBalance(k) ?? 0n)),
      preTokenBalances, postTokenBalances: tokenBalances(tx.accountKeys),
      innerInstructions: [], logMessages: meta.logs(), computeUnitsConsumed: Number(meta.computeUnitsConsumed()),
    },
  };
  dirty = true;
  return { signature };
}

const context = () => ({ slot, apiVersion: "2.2.0" });

const methods = {
  getHealth: () => "ok",
  getVersion: () => ({ "solana-core": "litesvm-1.5.0", "feature-set": 0 }),
  getSlot: () => slot,
  getBlockHeight: () => slot,
  getLatestBlockhash: () => ({ context: context(), value: { blockhash: svm.latestBlockhash(), lastValidBlockHeight: slot + 150 } }),
  isBlockhashValid: ([hash]) => ({ context: context(), value: hash === svm.latestBlockhash() }),
  getMinimumBalanceForRentExemption: ([size]) => Number(svm.minimumBalanceForRentExemption(BigInt(size))),
  getBalance: ([address]) => ({ context: context(), value: Number(svm.getBalance(address) ?? 0n) }),
  getAccountInfo: ([address]) => {
    const account = svm.getAccount(address);
    return {
      context: context(),
      value: account.exists
        ? { data: [Buffer.from(account.data).toString("base64"), "base64"], executable: account.executable, lamports: Number(account.lamports), owner: account.programAddress, rentEpoch: 0, space: account.data.length }
        : null,
    };
  },
  getSignatureStatuses: ([signatures]) => ({
    context: context(),
    value: signatures.map((s) => (history[s] ? { slot: history[s].slot, confirmations: null, err: history[s].meta.err, confirmationStatus: "finalized" } : null)),
  }),
  getTransaction: ([signature]) => history[signature] ?? null,
  sendTransaction: ([encoded, config = {}]) => {
    const wire = Buffer.from(encoded, config.encoding === "base58" ? undefined : "base64");
    return send(config.encoding === "base58" ? Buffer.from(b58decode(encoded)) : wire, Boolean(config.skipPreflight));
  },
  requestAirdrop: ([address, lamports]) => {
    svm.airdrop(address, BigInt(lamports));
    dirty = true;
    return b58encode(randomBytes(64));
  },
};

function rpc(request) {
  const method = methods[request.method];
  if (!method) return { jsonrpc: "2.0", id: request.id ?? null, error: { code: -32601, message: `Method not found: ${request.method}` } };
  try {
    const result = method(request.params ?? []);
    if (result && typeof result === "object" && ("error" in result || "signature" in result) && request.method === "sendTransaction") {
      return result.error ? { jsonrpc: "2.0", id: request.id, error: result.error } : { jsonrpc: "2.0", id: request.id, result: result.signature };
    }
    return { jsonrpc: "2.0", id: request.id ?? null, result };
  } catch (e) {
    return { jsonrpc: "2.0", id: request.id ?? null, error: { code: -32602, message: String(e.message ?? e) } };
  }
}

// The development wallets: the one seeded at start, or one made by POST /dev/wallets (a new user's own
// wallet) when the request names it. It signs its slot of the transaction, then sends it.
function signAndSend(base64, walletAddress) {
  const wallet = walletAddress ? keys.wallets.get(walletAddress) : keys.devWallet;
  if (!wallet) return { status: 404, body: { error: `no development wallet ${walletAddress}` } };
  const wire = Buffer.from(base64, "base64");
  const tx = parseTransaction(wire);
  const index = tx.accountKeys.slice(0, tx.header.numRequiredSignatures).indexOf(wallet.publicKey);
  if (index < 0) return { status: 400, body: { error: `wallet ${wallet.publicKey} is not a signer of this transaction` } };
  Buffer.from(wallet.sign(tx.message)).copy(wire, 1 + 64 * index);
  const sent = send(wire, false);
  return sent.error ? { status: 422, body: { error: sent.error.message } } : { status: 200, body: { signature: sent.signature } };
}

const readBody = (req) => new Promise((resolve, reject) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c)).on("end", () => resolve(Buffer.concat(chunks))).on("error", reject);
});
// Development endpoints are called by the demo page on the gateway's origin.
const CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Allow-Methods": "GET, POST, OPTIONS" };
const json = (res, status, body) => { res.writeHead(status, { "Content-Type": "application/json", ...CORS }); res.end(JSON.stringify(body)); };

serve(async (req, res) => {
  try {
    if (req.method === "POST" && req.url === "/") {
      const body = JSON.parse((await readBody(req)).toString("utf8"));
      return json(res, 200, Array.isArray(body) ? body.map(rpc) : rpc(body));
    }
    if (req.method === "OPTIONS") {
      res.writeHead(204, CORS);
      return res.end();
    }
    if (req.method === "POST" && req.url === "/dev/wallet/nfts") {
      // Into the development wallet, or into the wallet the body names (a browser test wallet's own key).
      const body = (await readBody(req)).toString("utf8");
      const owner = body ? JSON.parse(body).wallet : undefined;
      if (owner !== undefined && !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(String(owner))) return json(res, 400, { error: "wallet must be a base58 address" });
      const mint = keypair().publicKey;
      giveNft(mint, owner ?? keys.devWallet.publicKey);
      return json(res, 201, { mint, wallet: owner ?? keys.devWallet.publicKey, tierId: 1 });
    }
    if (req.method === "GET" && req.url === "/dev/wallet") {
      return json(res, 200, { publicKey: keys.devWallet.publicKey, nfts: keys.devNfts, systemWallet: keys.system.publicKey });
    }
    if (req.method === "POST" && req.url === "/dev/wallets") {
      const wallet = keypair();
      keys.wallets.set(wallet.publicKey, wallet);
      saveKeys(keys);
      svm.airdrop(wallet.publicKey, 10n * SOL);
      dirty = true;
      return json(res, 201, { publicKey: wallet.publicKey });
    }
    if (req.method === "POST" && req.url === "/dev/wallet/sign-and-send") {
      const { transaction, wallet } = JSON.parse((await readBody(req)).toString("utf8"));
      const { status, body } = signAndSend(transaction, wallet);
      return json(res, status, body);
    }
    if (req.method === "GET" && req.url === "/health") return json(res, 200, { status: "ok", slot });
    json(res, 404, { error: "not found" });
  } catch (e) {
    json(res, 400, { error: String(e.message ?? e) });
  }
}).listen(PORT, "127.0.0.1", () => console.log(`solana-local: JSON-RPC on http://127.0.0.1:${PORT} (LiteSVM), dev wallet ${keys.devWallet.publicKey}`));

// ---- a Kubo-compatible add for the local run (content-addressed, kept on disk) --------------------------

const ipfsDir = join(STATE, "ipfs");
mkdirSync(ipfsDir, { recursive: true });
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
function cidV1Raw(bytes) {
  const cid = Buffer.concat([Buffer.from([0x01, 0x55, 0x12, 0x20]), createHash("sha256").update(bytes).digest()]);
  let out = "b", buffer = 0, bits = 0;
  for (const byte of cid) { buffer = (buffer << 8) | byte; bits += 8; while (bits >= 5) { out += BASE32[(buffer >> (bits - 5)) & 31]; bits -= 5; } buffer &= (1 << bits) - 1; }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}
function multipartFile(body, contentType) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? "");
  if (!boundary) throw new Error("multipart/form-data with a boundary expected");
  const marker = Buffer.from("--" + (boundary[1] ?? boundary[2]));
  const start = body.indexOf(marker) + marker.length;
  const headerEnd = body.indexOf("\r\n\r\n", start) + 4;
  const end = body.indexOf(Buffer.concat([Buffer.from("\r\n"), marker]), headerEnd);
  const name = /filename="([^"]*)"/.exec(body.subarray(start, headerEnd).toString("utf8"));
  return { name: name ? name[1] : "file", content: body.subarray(headerEnd, end) };
}
// What a gateway would serve the bytes as: the tiers' artwork is SVG, the NFTs' metadata JSON.
function mediaType(bytes) {
  const head = bytes.subarray(0, 64).toString("utf8").trimStart();
  if (head.startsWith("<svg") || head.startsWith("<?xml")) return "image/svg+xml";
  if (head.startsWith("{") || head.startsWith("[")) return "application/json";
  return "application/octet-stream";
}
function stored(cid) {
  return /^b[a-z2-7]{58}$/.test(cid ?? "") && existsSync(join(ipfsDir, cid)) ? readFileSync(join(ipfsDir, cid)) : null;
}
serve(async (req, res) => {
  try {
    const url = new URL(req.url, "http://127.0.0.1");
    // Kubo RPC add: pinned, CIDv1 raw leaf. An Authorization header (a pinning service's token) is accepted and not checked.
    if (req.method === "POST" && url.pathname === "/api/v0/add") {
      const file = multipartFile(await readBody(req), req.headers["content-type"]);
      if (file.content.length > 256 * 1024) return json(res, 400, { Message: "this local stand-in stores single-block files only (<= 256 KiB)" });
      const cid = cidV1Raw(file.content);
      writeFileSync(join(ipfsDir, cid), file.content);
      return json(res, 200, { Name: file.name, Hash: cid, Size: String(file.content.length) });
    }
    // Kubo RPC cat: the bytes stored under a CID.
    if (req.method === "POST" && url.pathname === "/api/v0/cat") {
      const bytes = stored(url.searchParams.get("arg")?.replace(/^\/ipfs\//, ""));
      if (!bytes) return json(res, 500, { Message: "block not found", Code: 0, Type: "error" });
      res.writeHead(200, { "Content-Type": "text/plain" });
      return res.end(bytes);
    }
    // A path gateway, so a browser can show an NFT's image and read its metadata by CID.
    const get = /^\/ipfs\/([a-z2-7]+)$/.exec(url.pathname);
    if ((req.method === "GET" || req.method === "HEAD") && get) {
      const bytes = stored(get[1]);
      if (bytes) {
        res.writeHead(200, {
          "Content-Type": mediaType(bytes),
          "Content-Length": bytes.length,
          "Cache-Control": "public, max-age=29030400, immutable",
          "Access-Control-Allow-Origin": "*",
          "X-Content-Type-Options": "nosniff",
        });
        return res.end(req.method === "HEAD" ? undefined : bytes);
      }
    }
    json(res, 404, { Message: "not found" });
  } catch (e) {
    json(res, 400, { Message: String(e.message ?? e) });
  }
}).listen(IPFS_PORT, "127.0.0.1", () => console.log(`solana-local: Kubo-compatible /api/v0/add and /api/v0/cat, gateway /ipfs/{cid} on http://127.0.0.1:${IPFS_PORT}`));

setInterval(persist, 5000).unref();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => { persist(); process.exit(0); });
}
