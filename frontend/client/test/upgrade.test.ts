import { test } from "node:test";
import assert from "node:assert/strict";
import { ProblemError, UpgradeClient, initialUpgradeState, upgradeReducer, type UpgradeStatusEvent } from "../src/index.js";
import { step } from "./fakes.js";

function stepEvent(status: string, progress: number, upgradeId = "u-1"): UpgradeStatusEvent {
  return step(upgradeId, status, progress, status)[0] as UpgradeStatusEvent;
}

test("the reducer follows the upgrade's steps in order and never moves the bar backwards", () => {
  let state = upgradeReducer(initialUpgradeState, { type: "connecting" });
  assert.equal(state.status, "connecting");
  for (const [status, progress] of [["initializing", 0], ["qualification_verified", 10], ["awaiting_burn", 20], ["burn_verified", 40]] as const) {
    state = upgradeReducer(state, { type: "step", event: stepEvent(status, progress) });
  }
  // A replayed older step (the stream starts with the current state on resume) changes nothing.
  const replayed = upgradeReducer(state, { type: "step", event: stepEvent("awaiting_burn", 20) });
  assert.equal(replayed, state);
  // Another upgrade's events are not this one's.
  assert.equal(upgradeReducer(state, { type: "step", event: stepEvent("completed", 100, "u-2") }), state);
  state = upgradeReducer(state, { type: "step", event: stepEvent("completed", 100) });
  assert.equal(state.progress, 100);
  // Completed implies the steps the stream did not show.
  assert.deepEqual(state.steps, [
    "initializing", "qualification_verified", "awaiting_burn", "burn_verified",
    "uploading_metadata", "metadata_uploaded", "minting_new_nft", "updating_records", "completed",
  ]);
  assert.equal(upgradeReducer(state, { type: "step", event: stepEvent("failed", 0) }), state);
});

test("an upgrade that starts awaiting its burn has been through initializing and qualification", () => {
  const state = upgradeReducer(initialUpgradeState, {
    type: "started",
    upgrade: { upgradeId: "u-1", status: "awaiting_burn", progress: 20 } as never,
  });
  assert.deepEqual(state.steps, ["initializing", "qualification_verified", "awaiting_burn"]);
  assert.equal(state.progress, 20);
});

test("a failure keeps the progress where it stopped and sets the error", () => {
  let state = upgradeReducer(initialUpgradeState, { type: "step", event: stepEvent("minting_new_nft", 80) });
  state = upgradeReducer(state, { type: "step", event: stepEvent("mint_failed_critical", 80) });
  assert.equal(state.progress, 80);
  assert.equal(state.error, "mint_failed_critical");
});

test("the upgrade client sends the bearer token and an idempotency key, and turns problems into errors", async () => {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (url.endsWith("/cancel")) {
      return new Response(JSON.stringify({ status: 409, title: "Conflict", detail: "only an upgrade awaiting its burn can be cancelled" }), {
        status: 409,
        headers: { "Content-Type": "application/problem+json" },
      });
    }
    return new Response(JSON.stringify({ upgradeId: "u-1", status: "awaiting_burn", progress: 20 }), { status: 202 });
  }) as unknown as typeof fetch;
  const client = new UpgradeClient({ baseUrl: "https://gw", token: () => "jwt-1", fetch: fetchStub });

  const upgrade = await client.start(2, "key-1");
  assert.equal(upgrade.status, "awaiting_burn");
  const headers = calls[0]!.init.headers as Record<string, string>;
  assert.equal(calls[0]!.url, "https://gw/api/v1/nft/upgrade");
  assert.equal(headers.Authorization, "Bearer jwt-1");
  assert.equal(headers["Idempotency-Key"], "key-1");
  assert.equal(calls[0]!.init.body, '{"targetTierId":2}');

  await assert.rejects(client.cancel("u-1"), (e: unknown) => {
    if (!(e instanceof ProblemError)) throw new Error("expected a ProblemError");
    assert.equal(e.problem.status, 409);
    assert.match(e.message, /awaiting its burn/);
    return true;
  });
});
