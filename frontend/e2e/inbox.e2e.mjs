// The inbox in two pages of headless Chromium signed in as the same user, against a running platform (the
// local run, or the system tests' platform): the demo page served by api-gateway at /demo/index.html.
//   ./run-local            (in one terminal)
//   npm ci --prefix frontend/e2e && npm run test:inbox --prefix frontend/e2e
// Both pages show the bell; an upgrade's two notifications (its completion, the First Upgrade badge) land in
// both inboxes; "Read" on each in the first page takes the second page's badge down to 0, through the stream
// alone (the second page asks the REST API nothing meanwhile). Screenshots: artifacts/inbox-*.png.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });
const base = process.env.AIW3_BASE_URL ?? "http://localhost:8080";
const node = process.env.AIW3_SOLANA_URL ?? "http://localhost:8899";
const ipfs = process.env.AIW3_IPFS_URL ?? "http://localhost:5001";
const user = `e2e-inbox-${Date.now()}`;
const shot = (page, name) => page.screenshot({ path: join(artifacts, `inbox-${name}.png`), fullPage: true });
const badge = (page) => page.$eval("#badge", (b) => Number(b.dataset.unread));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const started = Date.now();
let failed = 0;
try {
  // Two devices: two contexts, each with its own token, session cookie and stream.
  const signIn = async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(`${base}/demo/index.html?${new URLSearchParams({ node, ipfs })}`);
    await page.fill("#user", user);
    await page.click("#sign-in");
    await page.waitForSelector('#connection[data-state="open"]', { timeout: 20_000 });
    await page.waitForSelector("#bell:not([hidden])");
    await page.waitForSelector("#tiers li"); // the NFT and tiers load after the inbox
    assert.equal(await badge(page), 0, "a new user's inbox is empty");
    return page;
  };
  const first = await signIn();
  const second = await signIn();
  await shot(second, "1-empty");

  // Something to read: the upgrade's notifications reach both pages over their streams. upgrade-service's
  // UpgradeCompleted and the First Upgrade badge it earns (BadgeEarned) each become an inbox item in
  // notification-service.
  await first.click("#get-nft");
  await first.waitForSelector('#nft[data-level="1"]', { timeout: 20_000 });
  await first.click("#upgrade");
  await first.waitForSelector('#status[data-status="completed"]', { timeout: 90_000 });
  const expected = ["Your NFT is now", "You earned the First Upgrade badge"];
  for (const page of [first, second]) {
    await page.waitForFunction(
      (count) =>
        document.querySelector("#badge").dataset.unread === String(count) &&
        document.querySelectorAll("#inbox li.unread").length === count,
      expected.length,
      { timeout: 30_000 },
    );
    const titles = await page.$$eval("#inbox li", (items) => items.map((li) => li.textContent));
    for (const title of expected) assert.ok(titles.some((t) => t.startsWith(title)), `"${title}…" in ${titles}`);
  }
  await shot(second, "2-unread-on-both");

  // Reads on the first page; the second page learns each from its stream, not by asking.
  const asked = [];
  second.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/v1/notifications")) asked.push(request.url());
  });
  for (let left = expected.length - 1; left >= 0; left--) {
    await first.click("#inbox li.unread button.read");
    await first.waitForSelector(`#badge[data-unread="${left}"]`, { timeout: 20_000 });
    await second.waitForSelector(`#badge[data-unread="${left}"]`, { timeout: 20_000 });
    assert.equal(await second.$$eval("#inbox li.read", (items) => items.length), expected.length - left);
    if (left === 1) await shot(second, "3-one-read-elsewhere");
  }
  assert.equal(await second.$("#inbox li.unread"), null, "the second page still shows an unread item");
  assert.deepEqual(asked, [], "the second page asked the inbox API nothing: the stream told it");
  await shot(second, "4-read-elsewhere");
  console.log(`ok - a read on one page clears the badge on the second page over the stream`);
} catch (e) {
  failed = 1;
  console.error(e);
  for (const [i, context] of browser.contexts().entries()) {
    for (const page of context.pages()) {
      const state = await page
        .evaluate(() => `badge ${document.querySelector("#badge")?.dataset.unread}; inbox: ${[...document.querySelectorAll("#inbox li")].map((li) => `${li.className}: ${li.textContent}`).join(" | ")}; status ${document.querySelector("#status")?.dataset.status}; error ${document.querySelector("#error")?.textContent}`)
        .catch((why) => String(why));
      console.error(`page ${i + 1}: ${state}`);
      await shot(page, `failed-page-${i + 1}`).catch(() => {});
    }
  }
} finally {
  await browser.close();
}
console.log(`inbox e2e: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
console.log(`${1 - failed} passed, ${failed} failed`);
process.exit(failed);
