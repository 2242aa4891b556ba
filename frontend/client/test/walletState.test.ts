import { test } from "node:test";
import assert from "node:assert/strict";
import { initialUpgradeState, upgradeReducer, type UpgradeStatusEvent } from "../src/index.js";

const started = upgradeReducer(upgradeReducer(initialUpgradeState, { type: "connecting" }), {
  type: "started",
  upgrade: { upgradeId: "u-1", status: "awaiting_burn", progress: 20, fromTierId: 1, targetTierId: 2, eventsUrl: "/e", createdAt: "t", updatedAt: "t" },
});

test("the stream's replay of the current step shows its message without adding a step", () => {
  const replay = { type: "nft_upgrade_status", upgradeId: "u-1", status: "awaiting_burn", progress: 20, message: "Please sign the burn transaction in your wallet", data: {}, timestamp: "t" } as unknown as UpgradeStatusEvent;
  const state = upgradeReducer(started, { type: "step", event: replay });
  assert.equal(state.message, "Please sign the burn transaction in your wallet");
  assert.deepEqual(state.steps, ["initializing", "qualification_verified", "awaiting_burn"]);
});

test("a wallet error keeps the upgrade awaiting its burn; asking the wallet again clears it", () => {
  const refused = upgradeReducer(started, { type: "walletError", problem: { kind: "rejected", message: "declined" } });
  assert.equal(refused.status, "awaiting_burn");
  assert.equal(refused.walletError?.kind, "rejected");
  assert.equal(refused.error, "declined");
  const again = upgradeReducer(refused, { type: "wallet", phase: "prompt" });
  assert.equal(again.walletError, null);
  assert.equal(again.error, null);
  assert.equal(again.wallet, "prompt");
});
