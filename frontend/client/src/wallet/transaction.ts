import { base58Encode } from "./base58.js";

/**
 * The accounts that must sign a legacy Solana transaction (wire format: signatures, then the message
 * header and its account keys), in order; the first is the fee payer. The burn transaction of an upgrade
 * names the wallet that holds the NFT, so a wallet connected with another account can be refused
 * before it is asked to sign.
 */
export function requiredSigners(wire: Uint8Array): string[] {
  let at = 0;
  const shortvec = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wire[at++];
      if (byte === undefined) throw new Error("truncated transaction");
      value |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
  };
  const signatures = shortvec();
  at += 64 * signatures;
  if ((wire[at] ?? 0) & 0x80) throw new Error("only legacy transactions are supported");
  const numRequiredSignatures = wire[at]!;
  at += 3;
  const keys = shortvec();
  if (numRequiredSignatures > keys || at + 32 * keys > wire.length) throw new Error("malformed transaction");
  return Array.from({ length: numRequiredSignatures }, (_, i) => base58Encode(wire.subarray(at + 32 * i, at + 32 * (i + 1))));
}
