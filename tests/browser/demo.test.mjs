// The demo page in Debian's Chromium (headless, driven by playwright-core): it loads the built
// package, checks a number with the shared Rust rules, sends to the sandbox and shows the result.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { startDemo } from "../../scripts/demo.mjs";

const SHOTS = new URL("../screenshots/", import.meta.url);
let demo, browser, page;
const consoleErrors = [];

before(async () => {
  demo = await startDemo({ port: 0, sandboxPort: 0 });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.goto(demo.url);
  await page.locator("#mobile-note.ok").waitFor();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

test("an invalid number shows its error and disables sending; a valid one shows the wire form", async () => {
  await page.fill("#mobile", "0212 123 45 67");
  await assert.doesNotReject(page.locator("#mobile-note.error").waitFor());
  assert.match(await page.textContent("#mobile-note"), /landline/);
  assert.equal(await page.isDisabled("#submit"), true);
  await page.fill("#mobile", "0532 123 45 67");
  assert.equal(await page.textContent("#mobile-note"), "Sent as 905321234567");
  assert.equal(await page.isDisabled("#submit"), false);
});

test("sending puts the code in the sandbox inbox and shows the result", async () => {
  await page.selectOption("#digits", "4");
  await page.click("#submit");
  await page.locator('#result[data-state="ok"]').waitFor();
  const result = JSON.parse(await page.textContent("#result"));
  assert.equal(result.code, "TS-1024");
  assert.equal(result.mobile, "905321234567");
  const sms = await page.textContent("#inbox li");
  assert.match(sms, /^\+905321234567: .*\b\d{4}\b/);
  await page.screenshot({ path: new URL("demo-sent.png", SHOTS).pathname, fullPage: true });
  assert.deepEqual(consoleErrors, []);
});
