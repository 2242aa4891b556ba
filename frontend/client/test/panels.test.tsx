import "./dom.js";
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { BadgeActivation, ClaimNft, ConnectionStatus, RealtimeClient } from "../src/index.js";
import { stubBackend } from "./backend.js";
import { FakeEventSource, factory } from "./fakes.js";

afterEach(cleanup);

function claimView(status: string, progress: number) {
  return { claimId: "c-1", status, progress, tierId: 1, level: 1, walletAddress: "W", eventsUrl: "/api/v1/nft/claims/c-1/events", createdAt: "t", updatedAt: "t" };
}
const claimEvent = (status: string, progress: number, id: string) =>
  [{ type: "nft_claim_status", claimId: "c-1", status, progress, message: status, data: {}, timestamp: "t" }, id] as const;

function states() {
  return Object.fromEntries(screen.getAllByRole("listitem").map((li) => [li.dataset.step, li.dataset.state]));
}

test("connection status: connecting, live, reconnecting and offline as the stream reports them", async () => {
  FakeEventSource.opened = [];
  const stream = new RealtimeClient({ url: "/api/events/stream", eventSource: factory });
  render(<ConnectionStatus stream={stream} />);
  const pill = screen.getByRole("status");
  assert.equal(pill.dataset.state, "closed");
  assert.match(pill.textContent!, /Offline/);
  await act(async () => stream.connect());
  assert.equal(pill.dataset.state, "connecting");
  await act(async () => FakeEventSource.opened[0]!.open());
  assert.equal(pill.dataset.state, "open");
  assert.match(pill.textContent!, /Live/);
  await act(async () => FakeEventSource.opened[0]!.fail(false));
  assert.equal(pill.dataset.state, "reconnecting");
  await act(async () => stream.close());
  assert.equal(pill.dataset.state, "closed");
});

test("claim: the POST, then each step on the claim's stream to completed", async () => {
  const backend = stubBackend({ "POST /api/v1/auth/session": () => undefined, "POST /api/v1/nft/claim": () => claimView("initializing", 0) });
  render(<ClaimNft client={backend.processes} />);
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Claim NFT" })));
  assert.equal(backend.stream().url, "/api/v1/nft/claims/c-1/events");
  await act(async () => {
    backend.stream().message(...claimEvent("qualification_verified", 10, "e1"));
    backend.stream().message(...claimEvent("uploading_metadata", 30, "e2"));
  });
  assert.equal(screen.getByRole("progressbar").getAttribute("aria-valuenow"), "30");
  assert.equal(states().uploading_metadata, "current");
  for (const [status, progress] of [["metadata_uploaded", 50], ["minting_nft", 70], ["mint_confirmed", 90], ["completed", 100]] as const) {
    await act(async () => backend.stream().message(...claimEvent(status, progress, status)));
  }
  assert.ok(screen.getByText("Your first NFT is in your wallet"));
  assert.equal(states().completed, "done");
  assert.equal(backend.stream().closed, true);
});

test("claim failed: the alert with the team's message and no Try Again, since a second claim is refused", async () => {
  let posts = 0;
  const backend = stubBackend({ "POST /api/v1/auth/session": () => undefined, "POST /api/v1/nft/claim": () => (posts++, claimView("initializing", 0)) });
  render(<ClaimNft client={backend.processes} />);
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Claim NFT" })));
  await act(async () => backend.stream().message(...claimEvent("failed", 0, "e1")));
  assert.equal(states().failed, "failed");
  assert.match(screen.getByRole("alert").textContent!, /Failed/);
  assert.equal(within(screen.getByRole("alert")).queryByRole("button"), null);
  assert.equal(posts, 1);
});

test("claim refused for eligibility: the alert without Try Again", async () => {
  const backend = stubBackend({ "POST /api/v1/auth/session": () => undefined, "POST /api/v1/nft/claim": () => claimView("qualification_failed", 0) });
  render(<ClaimNft client={backend.processes} />);
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Claim NFT" })));
  assert.match(screen.getByRole("alert").textContent!, /Not eligible yet/);
  assert.equal(within(screen.getByRole("alert")).queryByRole("button"), null);
  assert.equal(FakeEventSource.opened.length, 0, "a process that ended at once is not followed");
});

test("badge activation: steps on its stream, badge_activated completes it", async () => {
  const backend = stubBackend({
    "POST /api/v1/auth/session": () => undefined,
    "POST /api/v1/badges/first-trade/activate": () => ({
      activationId: "a-1", badgeCode: "first-trade", badgeName: "First Trade", status: "requested", progress: 10, requirements: [],
      eventsUrl: "/api/v1/badges/activations/a-1/events", createdAt: "t", updatedAt: "t",
    }),
  });
  render(<BadgeActivation client={backend.processes} badgeCode="first-trade" badgeName="First Trade" />);
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Activate First Trade" })));
  assert.equal(states().requested, "current");
  await act(async () => {
    backend.stream().message({ type: "badge_activation_status", message: "Verified", data: { activationId: "a-1", status: "badge_verified" }, timestamp: "t" }, "e1");
    backend.stream().message({ type: "badge_activation_status", message: "Other", data: { activationId: "a-2", status: "failed" }, timestamp: "t" }, "e2");
  });
  assert.equal(states().badge_verified, "current");
  assert.equal(screen.getByRole("progressbar").getAttribute("aria-valuenow"), "40");
  assert.equal(screen.queryByRole("alert"), null, "another activation's step is not this one's");
  await act(async () => backend.stream().message({ type: "badge_activated", message: "Activated", data: { activationId: "a-1", badgeId: "b" }, timestamp: "t" }, "e3"));
  assert.ok(screen.getByText("First Trade counts towards your next upgrade"));
  assert.equal(screen.getByRole("progressbar").getAttribute("aria-valuenow"), "100");
});

test("badge activation failed: the reason and Try Again", async () => {
  const backend = stubBackend({
    "POST /api/v1/auth/session": () => undefined,
    "POST /api/v1/badges/first-trade/activate": () => new Response(JSON.stringify({ status: 409, title: "Conflict", detail: "The badge was consumed" }), { status: 409 }),
  });
  render(<BadgeActivation client={backend.processes} badgeCode="first-trade" badgeName="First Trade" />);
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Activate First Trade" })));
  const alert = screen.getByRole("alert");
  assert.match(alert.textContent!, /The badge was consumed/);
  assert.ok(within(alert).getByRole("button", { name: "Try Again" }));
});
