import "./dom.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { act, renderHook } from "@testing-library/react";
import { UpgradeClient, useNFTUpgrade } from "../src/index.js";
import { FakeEventSource, factory, step } from "./fakes.js";

test("useNFTUpgrade starts, has the wallet sign the burn, confirms it and follows every step to 100%", async () => {
  FakeEventSource.opened = [];
  const requests: string[] = [];
  const fetchStub = (async (url: string, init: RequestInit) => {
    requests.push(`${init.method} ${url}`);
    if (url.endsWith("/auth/session")) return new Response(null, { status: 204 });
    if (url.endsWith("/confirm-burn")) {
      assert.equal(init.body, '{"burnTxSignature":"sig-1"}');
      return new Response(JSON.stringify({ upgradeId: "u-1", status: "burn_verified", progress: 40 }), { status: 202 });
    }
    return new Response(
      JSON.stringify({ upgradeId: "u-1", status: "awaiting_burn", progress: 20, burnTransaction: "AQAB", eventsUrl: "/api/v1/nft/upgrade/u-1/events" }),
      { status: 202 },
    );
  }) as unknown as typeof fetch;
  const client = new UpgradeClient({ token: () => "jwt", fetch: fetchStub, eventSource: factory });
  const signed: string[] = [];
  const { result, unmount } = renderHook(() =>
    useNFTUpgrade({ client, signAndSendBurn: async (tx) => (signed.push(tx), "sig-1") }),
  );
  const hook = () => result.current;
  await act(async () => {
    await hook().startUpgrade(2);
  });
  assert.equal(hook().upgradeState.error, null);
  assert.deepEqual(signed, ["AQAB"]);
  assert.deepEqual(requests, [
    "POST /api/v1/auth/session",
    "POST /api/v1/nft/upgrade",
    "PATCH /api/v1/nft/upgrade/u-1/confirm-burn",
  ]);
  assert.equal(hook().upgradeState.status, "awaiting_burn");
  assert.equal(hook().isUpgrading, true);

  const stream = FakeEventSource.opened[0]!;
  assert.equal(stream.url, "/api/v1/nft/upgrade/u-1/events");
  const steps = [
    ["awaiting_burn", 20], ["burn_verified", 40], ["uploading_metadata", 60], ["metadata_uploaded", 70],
    ["minting_new_nft", 80], ["updating_records", 90], ["completed", 100],
  ] as const;
  await act(async () => {
    for (const [status, progress] of steps) stream.message(...step("u-1", status, progress, status));
  });
  assert.equal(hook().upgradeState.status, "completed");
  assert.equal(hook().upgradeState.progress, 100);
  assert.equal(hook().isUpgrading, false);
  assert.equal(stream.closed, true, "the stream of a finished upgrade is closed");
  unmount();
});
