// The demo page in headless Chromium against the running local suite:
//   ./run-local            (in one terminal)
//   npm ci --prefix frontend/e2e && npm test --prefix frontend/e2e
// Signs in, gets a development NFT, upgrades it to 100 % watching the steps, receives a broadcast
// system notification, goes offline while another broadcast is sent, reconnects and gets it exactly
// once. Screenshots go to frontend/e2e/artifacts/.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });
const base = process.env.AIW3_BASE_URL ?? "http://localhost:8080";
const stamp = Date.now();

const announce = (text) => execFileSync(join(repo, "run-local"), ["announce", text], { cwd: repo, stdio: "pipe" });
const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const started = Date.now();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${base}/demo/index.html`);

  await page.fill("#user", `e2e-${stamp}`);
  await page.click("#sign-in");
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 20_000 });
  await page.click("#get-nft");
  await page.waitForSelector('#nft[data-level="1"]', { timeout: 20_000 });
  await shot(page, "1-signed-in");

  await page.click("#upgrade");
  await page.waitForSelector('#status[data-status="completed"]', { timeout: 90_000 });
  const steps = await page.$$eval("#steps li", (items) => items.map((li) => li.dataset.step));
  assert.deepEqual(steps, [
    "initializing", "qualification_verified", "awaiting_burn", "burn_verified", "uploading_metadata",
    "metadata_uploaded", "minting_new_nft", "updating_records", "completed",
  ]);
  assert.equal(await page.$eval("#bar", (bar) => bar.style.width), "100%");
  await page.waitForSelector('#nft[data-level="2"]', { timeout: 20_000 });
  await shot(page, "2-upgraded");

  const live = `E2E live ${stamp}`;
  announce(live);
  await page.waitForSelector(`#notifications li:has-text("${live}")`, { timeout: 20_000 });

  await page.click("#disconnect");
  await page.waitForSelector('#connection[data-state="closed"]');
  const missed = `E2E while offline ${stamp}`;
  announce(missed);
  await page.click("#reconnect");
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 20_000 });
  await page.waitForSelector(`#notifications li:has-text("${missed}")`, { timeout: 20_000 });
  const count = async (text) => page.$$eval("#notifications li", (items, t) => items.filter((li) => li.textContent.includes(t)).length, text);
  assert.equal(await count(missed), 1, "the event sent while offline arrives once");
  assert.equal(await count(live), 1, "nothing received before is repeated");
  await shot(page, "3-notifications");
  console.log(`e2e passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
} finally {
  await browser.close();
}
