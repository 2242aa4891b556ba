// The inbox in two pages of headless Chromium signed in as the same user, against the running local suite:
//   ./run-local            (in one terminal)
//   npm ci --prefix frontend/e2e && npm run test:inbox --prefix frontend/e2e
// Both pages show the bell; an upgrade's completion notification lands in both inboxes; "Mark all read" on
// the first page clears the badge on the second, through the stream alone. Screenshots go to
// frontend/e2e/artifacts/.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });
const base = process.env.AIW3_BASE_URL ?? "http://localhost:8080";
const user = `e2e-inbox-${Date.now()}`;
const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const started = Date.now();
try {
  // Two devices: two contexts, each with its own token and session cookie.
  const signIn = async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(`${base}/demo/index.html`);
    await page.fill("#user", user);
    await page.click("#sign-in");
    await page.waitForSelector('#connection[data-state="open"]', { timeout: 20_000 });
    await page.waitForSelector("#bell:not([hidden])");
    return page;
  };
  const first = await signIn();
  const second = await signIn();

  // Something to read: the upgrade's completion notification reaches both inboxes.
  await first.click("#get-nft");
  await first.waitForSelector('#nft[data-level="1"]', { timeout: 20_000 });
  await first.click("#upgrade");
  await first.waitForSelector('#status[data-status="completed"]', { timeout: 90_000 });
  for (const page of [first, second]) {
    await page.waitForSelector("#inbox li.unread", { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector("#badge").dataset.unread) > 0, null, { timeout: 30_000 });
  }
  await shot(second, "4-inbox-unread");

  await first.click("#mark-all-read");
  await second.waitForSelector('#badge[data-unread="0"]', { timeout: 20_000 });
  await second.waitForSelector("#inbox li.read");
  if (await second.$("#inbox li.unread")) throw new Error("the second page still shows an unread item");
  await shot(second, "5-inbox-read-elsewhere");
  console.log(`inbox e2e passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
} finally {
  await browser.close();
}
