import "./dom.js";
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { NftUpgrade, WalletSigningError } from "../src/index.js";
import { stubBackend, tiers, upgradeView, deferred } from "./backend.js";
import { step } from "./fakes.js";

afterEach(cleanup);

const GATEWAY = "http://localhost:5001";

function upgradeBackend(extra: Record<string, (body: unknown) => unknown> = {}) {
  return stubBackend({
    "POST /api/v1/auth/session": () => undefined,
    "POST /api/v1/nft/upgrade": () => upgradeView("awaiting_burn", 20, { burnTransaction: "AQAB" }),
    "PATCH /api/v1/nft/upgrade/u-1/confirm-burn": () => upgradeView("burn_verified", 40),
    "GET /api/v1/nft/upgrade/u-1/burn-transaction": () => ({ base64: "FRESH", blockhash: "h", lastValidBlockHeight: 1 }),
    ...extra,
  });
}

function stepStates() {
  const steps = within(screen.getByRole("list", { name: "Upgrade steps" }));
  return Object.fromEntries(steps.getAllByRole("listitem").map((li) => [li.dataset.step, li.dataset.state]));
}

async function start() {
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Upgrade to Quant Ape" })));
}

test("idle: both tiers' artwork through the IPFS gateway and the Upgrade button", () => {
  const backend = upgradeBackend();
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async () => "sig"} from={tiers.from} to={tiers.to} ipfsGateway={GATEWAY} />);
  assert.equal(screen.getByRole("img", { name: "Tech Chicken artwork" }).getAttribute("src"), `${GATEWAY}/ipfs/bafychicken`);
  assert.equal(screen.getByRole("img", { name: "Quant Ape artwork" }).getAttribute("src"), `${GATEWAY}/ipfs/bafyape`);
  assert.ok(screen.getByRole("button", { name: "Upgrade to Quant Ape" }));
  assert.equal(screen.queryByRole("progressbar"), null);
});

test("awaiting the burn: the wallet prompt names the wallet, the bar stands at 20 % and the steps so far are done", async () => {
  const backend = upgradeBackend();
  const wallet = deferred<string>();
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={() => wallet.promise} from={tiers.from} to={tiers.to} walletName="Phantom" />);
  await start();
  assert.match(screen.getByText(/Approve the burn/).textContent!, /Approve the burn of your Tech Chicken in Phantom/);
  assert.equal(screen.getByRole("progressbar").getAttribute("aria-valuenow"), "20");
  assert.deepEqual(stepStates(), {
    initializing: "done", qualification_verified: "done", awaiting_burn: "current", burn_verified: "pending", uploading_metadata: "pending",
    metadata_uploaded: "pending", minting_new_nft: "pending", updating_records: "pending", completed: "pending",
  });
  assert.ok(screen.getByRole("button", { name: "Cancel" }));
  await act(async () => wallet.resolve("sig-1"));
  assert.equal(screen.queryByText(/Approve the burn/), null, "the prompt goes once the wallet has sent");
  assert.deepEqual(backend.requests.at(-1), "PATCH /api/v1/nft/upgrade/u-1/confirm-burn");
});

test("running: each step on the stream moves the bar and marks the step done", async () => {
  const backend = upgradeBackend();
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async () => "sig-1"} from={tiers.from} to={tiers.to} />);
  await start();
  await act(async () => {
    backend.stream().message(...step("u-1", "burn_verified", 40, "e1"));
    backend.stream().message(...step("u-1", "uploading_metadata", 60, "e2"));
  });
  assert.equal(screen.getByRole("progressbar").getAttribute("aria-valuenow"), "60");
  assert.equal(stepStates().burn_verified, "done");
  assert.equal(stepStates().uploading_metadata, "current");
  assert.equal(screen.getByRole("region").getAttribute("aria-busy"), "true");
});

test("a stream that shows only a later step (opened late, or resumed past its history): every step before it is done", async () => {
  const backend = upgradeBackend();
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async () => "sig-1"} from={tiers.from} to={tiers.to} />);
  await start();
  await act(async () => backend.stream().message(...step("u-1", "updating_records", 90, "e7")));
  assert.deepEqual(stepStates(), {
    initializing: "done", qualification_verified: "done", awaiting_burn: "done", burn_verified: "done", uploading_metadata: "done",
    metadata_uploaded: "done", minting_new_nft: "done", updating_records: "current", completed: "pending",
  });
  assert.equal(screen.getByRole("progressbar").getAttribute("aria-valuenow"), "90");
});

test("completed: the success panel shows the new NFT's image and benefits from the completed event", async () => {
  const backend = upgradeBackend();
  let completed = 0;
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async () => "sig-1"} from={tiers.from} to={tiers.to} onCompleted={() => completed++} />);
  await start();
  const [event, id] = step("u-1", "completed", 100, "e9");
  const newNft = { mintAddress: "Mint111", tierName: "Quant Ape", level: 2, imageUrl: "https://gw.example/ipfs/bafyape", benefits: { tradingFeeDiscount: "10%", aiAgentUses: 3 } };
  await act(async () => backend.stream().message({ ...event, data: { newNft } }, id));
  const success = within(screen.getByText("Your NFT is now Quant Ape").closest(".aiw3-success") as HTMLElement);
  assert.equal(success.getByRole("img").getAttribute("src"), "https://gw.example/ipfs/bafyape");
  assert.deepEqual(success.getAllByRole("term").map((t) => t.textContent), ["Trading fee discount", "AI agent uses"]);
  assert.deepEqual(success.getAllByRole("definition").map((d) => d.textContent), ["10%", "3"]);
  assert.ok(success.getByText("Mint111"));
  assert.equal(screen.getByRole("progressbar").getAttribute("aria-valuenow"), "100");
  assert.equal(completed, 1);
  assert.equal(screen.queryByRole("alert"), null);
});

test("the user declines in the wallet: an alert says so and Try Again asks the wallet again with a fresh burn transaction", async () => {
  const backend = upgradeBackend();
  const asked: string[] = [];
  let declines = 1;
  const sign = async (tx: string) => {
    asked.push(tx);
    if (declines-- > 0) throw new WalletSigningError("rejected", "The signature was declined in the wallet.");
    return "sig-2";
  };
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={sign} from={tiers.from} to={tiers.to} />);
  await start();
  const alert = screen.getByRole("alert");
  assert.equal(alert.dataset.kind, "rejected");
  assert.match(alert.textContent!, /You declined the signature/);
  const retry = within(alert).getByRole("button", { name: "Try Again" });
  assert.equal(document.activeElement, retry, "Try Again has the focus");
  await act(async () => fireEvent.click(retry));
  assert.deepEqual(asked, ["AQAB", "FRESH"]);
  assert.equal(screen.queryByRole("alert"), null);
  assert.equal(backend.requests.filter((r) => r === "POST /api/v1/nft/upgrade").length, 1, "the same upgrade, not a new one");
  assert.equal(backend.requests.at(-1), "PATCH /api/v1/nft/upgrade/u-1/confirm-burn");
});

test("a wallet on the wrong account: the alert names the account that holds the NFT", async () => {
  const backend = upgradeBackend();
  const sign = async () => {
    throw new WalletSigningError("wrong_account", "Phantom is connected with B; the NFT is held by A.", "HolderAddr1");
  };
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={sign} from={tiers.from} to={tiers.to} />);
  await start();
  const alert = screen.getByRole("alert");
  assert.equal(alert.dataset.kind, "wrong_account");
  assert.match(alert.textContent!, /Wrong wallet account/);
  assert.ok(within(alert).getByText("HolderAddr1"));
  assert.ok(within(alert).getByRole("button", { name: "Try Again" }));
});

test("the wallet cannot reach the network: a network alert with Try Again", async () => {
  const backend = upgradeBackend();
  const sign = async () => {
    throw new WalletSigningError("network", "The wallet could not send the transaction: Failed to fetch");
  };
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={sign} from={tiers.from} to={tiers.to} />);
  await start();
  assert.equal(screen.getByRole("alert").dataset.kind, "network");
  assert.match(screen.getByRole("alert").textContent!, /could not reach the network/);
});

test("burn failed: the failed step is marked and Try Again starts a new upgrade", async () => {
  let posts = 0;
  const backend = upgradeBackend({ "POST /api/v1/nft/upgrade": () => upgradeView("awaiting_burn", 20, { burnTransaction: "AQAB", upgradeId: `u-${++posts}`, eventsUrl: `/api/v1/nft/upgrade/u-${posts}/events` }) });
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={() => new Promise(() => {})} from={tiers.from} to={tiers.to} />);
  await start();
  await act(async () => backend.stream().message(...step("u-1", "burn_failed", 0, "e3")));
  assert.equal(stepStates().burn_failed, "failed");
  assert.equal(screen.getByRole("progressbar").dataset.tone, "failed");
  const alert = screen.getByRole("alert");
  assert.match(alert.textContent!, /The upgrade failed/);
  await act(async () => fireEvent.click(within(alert).getByRole("button", { name: "Try Again" })));
  assert.equal(posts, 2);
  await waitFor(() => assert.equal(screen.getByRole("region").dataset.status, "awaiting_burn"));
  assert.equal(screen.queryByRole("alert"), null);
});

test("a critical mint failure offers no Try Again (the team resolves it)", async () => {
  const backend = upgradeBackend();
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async () => "sig-1"} from={tiers.from} to={tiers.to} />);
  await start();
  await act(async () => backend.stream().message(...step("u-1", "mint_failed_critical", 80, "e4")));
  assert.match(screen.getByRole("alert").textContent!, /Your new NFT is delayed/);
  assert.equal(within(screen.getByRole("alert")).queryByRole("button"), null);
});

test("the start refused by the API (a problem): its detail and Try Again", async () => {
  const backend = upgradeBackend({
    "POST /api/v1/nft/upgrade": () => new Response(JSON.stringify({ status: 409, title: "Conflict", detail: "An upgrade is already open" }), { status: 409 }),
  });
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async () => "sig-1"} from={tiers.from} to={tiers.to} />);
  await start();
  const alert = screen.getByRole("alert");
  assert.match(alert.textContent!, /An upgrade is already open/);
  assert.ok(within(alert).getByRole("button", { name: "Try Again" }));
});

test("requirements not met: the alert lists what is missing and offers no Try Again (a new attempt fails the same way)", async () => {
  const requirements = [
    { code: "TRADING_VOLUME_USD", description: "Trading volume in USD", required: 500000, actual: 120000 },
    { code: "ACTIVATED_BADGES", description: "Activated badges", required: 2, actual: 2 },
  ];
  const backend = upgradeBackend({
    "POST /api/v1/nft/upgrade": () => upgradeView("qualification_failed", 0, { failureReason: "the target tier's requirements are not met", requirements }),
  });
  const signed: string[] = [];
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async (tx) => (signed.push(tx), "sig")} from={tiers.from} to={tiers.to} />);
  await start();
  const alert = screen.getByRole("alert");
  assert.equal(alert.dataset.kind, "qualification_failed");
  assert.match(alert.textContent!, /You do not meet this tier's requirements yet/);
  assert.deepEqual(
    within(alert).getAllByRole("listitem").map((li) => li.textContent),
    ["Trading volume in USD: 120,000 of 500,000"],
    "only the requirement not met",
  );
  assert.equal(within(alert).queryByRole("button"), null);
  assert.equal(screen.queryByRole("button", { name: "Cancel" }), null);
  assert.deepEqual(stepStates(), { initializing: "done", qualification_failed: "failed" });
  assert.equal(screen.getByRole("progressbar").dataset.tone, "failed");
  assert.equal(screen.getByRole("region").getAttribute("aria-busy"), "false");
  assert.deepEqual(signed, [], "no burn to sign");
});

test("cancelled: the alert says so and Try Again starts a new upgrade", async () => {
  let posts = 0;
  const backend = upgradeBackend({
    "POST /api/v1/nft/upgrade": () => upgradeView("awaiting_burn", 20, { burnTransaction: "AQAB", upgradeId: `u-${++posts}`, eventsUrl: `/api/v1/nft/upgrade/u-${posts}/events` }),
    "POST /api/v1/nft/upgrade/u-1/cancel": () => upgradeView("cancelled", 0, { failureReason: "cancelled by the user" }),
  });
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={() => new Promise(() => {})} from={tiers.from} to={tiers.to} />);
  await start();
  await act(async () => fireEvent.click(screen.getByRole("button", { name: "Cancel" })));
  assert.equal(backend.requests.at(-1), "POST /api/v1/nft/upgrade/u-1/cancel");
  await act(async () => backend.stream().message(...step("u-1", "cancelled", 0, "e2")));
  const alert = screen.getByRole("alert");
  assert.equal(alert.dataset.kind, "cancelled");
  assert.match(alert.textContent!, /Upgrade cancelled/);
  assert.equal(stepStates().cancelled, "failed");
  assert.equal(screen.queryByRole("button", { name: "Cancel" }), null);
  assert.equal(screen.queryByText(/Approve the burn/), null, "no wallet prompt once cancelled");
  const retry = within(alert).getByRole("button", { name: "Try Again" });
  assert.equal(document.activeElement, retry, "Try Again has the focus");
  await act(async () => fireEvent.click(retry));
  assert.equal(posts, 2);
  await waitFor(() => assert.equal(screen.getByRole("region").dataset.status, "awaiting_burn"));
  assert.equal(screen.queryByRole("alert"), null);
});

test("failed after the burn (the metadata upload gave up): the alert says the team completes the new NFT and offers no Try Again", async () => {
  const backend = upgradeBackend();
  render(<NftUpgrade client={backend.upgrades} signAndSendBurn={async () => "sig-1"} from={tiers.from} to={tiers.to} />);
  await start();
  await act(async () => {
    backend.stream().message(...step("u-1", "burn_verified", 40, "e1"));
    backend.stream().message(...step("u-1", "uploading_metadata", 60, "e2"));
    backend.stream().message({ ...step("u-1", "failed", 60, "e3")[0], message: "Upgrade process failed. Please try again." }, "e3");
  });
  const alert = screen.getByRole("alert");
  assert.equal(alert.dataset.kind, "failed");
  assert.match(alert.textContent!, /Your new NFT is delayed/);
  assert.match(alert.textContent!, /Your Tech Chicken is burned and your Quant Ape is not minted yet\. Our team has been alerted and will complete it; you will be notified\./);
  assert.doesNotMatch(alert.textContent!, /try again/i, "a new upgrade would be refused while this one is open");
  assert.equal(within(alert).queryByRole("button"), null);
  assert.equal(stepStates().burn_verified, "done");
  assert.equal(stepStates().failed, "failed");
  assert.equal(screen.getByRole("progressbar").dataset.tone, "failed");
  assert.equal(backend.requests.filter((r) => r === "POST /api/v1/nft/upgrade").length, 1);
});
