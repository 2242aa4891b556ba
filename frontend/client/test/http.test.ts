import { test } from "node:test";
import assert from "node:assert/strict";
import { ProblemError, UpgradeClient, retryDelayMs } from "../src/index.js";

function refusal(status: number, retryAfter?: string): Response {
  return new Response(JSON.stringify({ status, title: "Service Unavailable" }), {
    status,
    headers: { "Content-Type": "application/problem+json", ...(retryAfter ? { "Retry-After": retryAfter } : {}) },
  });
}

test("a 503 with Retry-After is sent again after the stated wait plus jitter, with the same idempotency key", async () => {
  const keys: string[] = [];
  const answers = [refusal(503, "1"), refusal(429, "2"), new Response(JSON.stringify({ upgradeId: "u-1", status: "awaiting_burn", progress: 20 }), { status: 202 })];
  const waits: number[] = [];
  const client = new UpgradeClient({
    token: () => "jwt",
    fetch: (async (_url: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)["Idempotency-Key"]!);
      return answers.shift()!;
    }) as unknown as typeof fetch,
    retry: { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
  });

  const upgrade = await client.start(2, "key-1");

  assert.equal(upgrade.upgradeId, "u-1");
  assert.deepEqual(keys, ["key-1", "key-1", "key-1"]);
  assert.deepEqual(waits, [1250, 2500]);
});

test("a refusal is returned as a problem once the attempts are used up, and one without Retry-After at once", async () => {
  let calls = 0;
  const waits: number[] = [];
  const client = new UpgradeClient({
    token: () => "jwt",
    fetch: (async () => {
      calls++;
      return refusal(503, "1");
    }) as unknown as typeof fetch,
    retry: { attempts: 2, sleep: async (ms) => void waits.push(ms) },
  });
  await assert.rejects(client.tiers(), (e: unknown) => e instanceof ProblemError && e.problem.status === 503);
  assert.equal(calls, 2);
  assert.equal(waits.length, 1);

  calls = 0;
  const noHint = new UpgradeClient({
    token: () => "jwt",
    fetch: (async () => {
      calls++;
      return refusal(503);
    }) as unknown as typeof fetch,
  });
  await assert.rejects(noHint.tiers(), (e: unknown) => e instanceof ProblemError && e.problem.status === 503);
  assert.equal(calls, 1);
});

test("the retry wait is never shorter than Retry-After and never longer than the cap", () => {
  assert.equal(retryDelayMs("2", () => 0), 2000);
  assert.equal(retryDelayMs("2", () => 0.999_999)! < 3000, true);
  assert.equal(retryDelayMs("120", () => 0), 30_000);
  assert.equal(retryDelayMs("Wed, 21 Oct 2026 07:28:00 GMT"), undefined);
  assert.equal(retryDelayMs(null), undefined);
});
