// The demo page (make demo) in Debian's Chromium, headless, driven by playwright-core. Each state
// is photographed at desktop and phone width into tests/screenshots/ (git-ignored).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { request } from "node:http";
import { after, before, beforeEach, test } from "node:test";
import { startDemo } from "../../scripts/demo.mjs";
import { launchChromium } from "../chromium.mjs";

const SHOTS = new URL("../screenshots/", import.meta.url);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const CODE_TTL_MS = 4000;
// The sandbox reports each SMS sent after 300 ms and delivered (or failed) after 900 ms (1 s and
// 2.5 s in `make demo`); the handler's cooldown is 5 s, so a send again before it ends was freed.
const WEBHOOK_DELAYS_MS = [300, 900];
const COOLDOWN_MS = 5000;
let demo, browser, page;
let problems = [];
let requests = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Codes live 4 s here (5 minutes in `make demo`), so the expired state is reachable.
  demo = await startDemo({
    port: 0,
    sandboxPort: 0,
    verify: { codeTtlMs: CODE_TTL_MS },
    webhookDelaysMs: WEBHOOK_DELAYS_MS,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

beforeEach(async () => {
  await page?.close();
  page = await browser.newPage({ viewport: DESKTOP });
  problems = [];
  requests = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(demo.url);
  await page.waitForSelector("body[data-ready]");
});

/** Screenshots of the current state at desktop and phone width. */
async function shoot(name) {
  for (const [label, viewport] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: new URL(`${name}-${label}.png`, SHOTS).pathname, fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

const issueOf = (field) => page.textContent(`#${field}-issue`);

test("opens complete with no network beyond 127.0.0.1, every control labelled", async () => {
  assert.ok(
    requests.every((url) => url.startsWith("http://127.0.0.1:") || url.startsWith("data:")),
    requests.join("\n"),
  );
  const unlabelled = await page.$$eval("input, select, textarea", (els) =>
    els
      .filter((e) => e.type !== "hidden" && e.labels.length === 0 && !e.getAttribute("aria-label"))
      .map((e) => e.id || e.name),
  );
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.textContent("#mobile-normalized"), "Sent as 905321234567");
  await shoot("01-start");
  assert.deepEqual(problems, []);
});

test("an invalid number shows its error and disables sending; fixing it shows the normalised form", async () => {
  await page.fill("#mobile", "0212 123 45 67");
  assert.match(await issueOf("mobile"), /landline/);
  assert.equal(await page.getAttribute("#mobile", "aria-invalid"), "true");
  assert.equal(await page.textContent("#mobile-normalized"), "");
  assert.equal(await page.isDisabled("#send"), true);
  await shoot("02-invalid-number");
  await page.fill("#mobile", "+90 (532) 765-43-21");
  assert.equal(await issueOf("mobile"), "");
  assert.equal(await page.textContent("#mobile-normalized"), "Sent as 905327654321");
  assert.equal(await page.isDisabled("#send"), false);
});

test("a standard OTP arrives in the phone with a code of the chosen length", async () => {
  await page.fill("#mobile", "0532 111 22 33");
  await page.selectOption("#digits", "4");
  await page.selectOption("#lang", "en");
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="ok"]');
  assert.match(await page.textContent("#outcome"), /TS-1024/);
  const sent = await page.textContent("#outcome pre");
  assert.match(sent, /^POST http:\/\/127\.0\.0\.1:\d+\/otp\/send\nContent-Type: application\/json/);
  assert.match(sent, /"api_key": "•••••• \(redacted\)"/);
  assert.match(sent, /"mobile": "905321112233"/);
  assert.match(sent, /"lang": 0/);
  assert.ok(!sent.includes("sandbox-demo"), "the key is redacted");
  const code = await page.waitForSelector("#inbox .sms-code");
  assert.match(await code.textContent(), /^\d{4}$/);
  assert.match(await page.textContent("#inbox .sms-text"), /^Your verification code is \d{4}\./);
  await shoot("03-standard-sent");
  assert.deepEqual(problems, []);
});

test("a custom OTP: ş switches the preview to UCS-2 and the segments; no TS-CODE shows the placeholder error", async () => {
  await page.check('input[name="kind"][value="custom"]');
  await page.selectOption("#digits", "6");
  await page.fill("#text", `MyApp code: TS-CODE. ${"Valid for five minutes. ".repeat(5)}`);
  assert.match(await page.textContent("#preview mark"), /^\d{6}$/);
  const gsm = await page.textContent("#text-meter");
  assert.match(gsm, /^GSM-7 · 140 characters · 1 SMS \(160 characters per SMS\)$/);
  await shoot("04-custom-gsm7");
  await page.fill("#text", `MyApp kodunuz: TS-CODE. ${"Beş dakika geçerlidir. ".repeat(5)}`);
  const ucs2 = await page.textContent("#text-meter");
  assert.match(ucs2, /^UCS-2 · 138 characters · 3 SMS \(67 characters per SMS\)$/);
  assert.match(
    await page.textContent("#text-note"),
    /“ş” is not in the GSM-7 alphabet.*70 characters per SMS instead of 160/,
  );
  await shoot("05-custom-ucs2");
  await page.fill("#text", "MyApp kodunuz: 123456");
  assert.match(await issueOf("text"), /TS-CODE/);
  assert.equal(await page.isDisabled("#send"), true);
  await page.fill("#text", "Kod: TS_CODE");
  assert.match(await issueOf("text"), /V3/);
  await shoot("06-custom-no-placeholder");
  await page.fill("#text", "Kodunuz TS-CODE şimdi");
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="ok"]');
  await page.waitForFunction(() =>
    /^Kodunuz \d{6} şimdi$/.test(document.querySelector("#inbox .sms:last-child .sms-text")?.textContent ?? ""),
  );
  assert.deepEqual(problems, []);
});

test("a sandbox failure trigger shows the typed error and its code", async () => {
  await page.selectOption("#scenario", "sandbox-invalid-key");
  await page.fill("#mobile", "0532 111 22 44");
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="error"]');
  assert.equal(await page.textContent("#outcome .code"), "TS-1031");
  const outcome = await page.textContent("#outcome");
  assert.match(outcome, /The API key was rejected/);
  assert.match(outcome, /Retryableno — fix the cause first/);
  assert.match(outcome, /HTTP status401/);
  assert.ok(!outcome.includes("sandbox-invalid-key"), "no key in the error");
  await shoot("07-error-invalid-key");
  // A validation error never reaches the network, and says so.
  await page.check('input[name="target"][value="proxy"]');
  await page.fill("#baseUrl", "http://example.com");
  assert.match(await issueOf("baseUrl"), /https:\/\//);
  assert.equal(await page.isDisabled("#send"), true);
  assert.equal(await page.isHidden("#apiKey"), true, "no key field for your own proxy");
  await shoot("08-proxy-invalid-url");
});

test("keyboard only: tab through the form and send with Enter", async () => {
  const order = [];
  for (let i = 0; i < 40 && order.at(-1) !== "send"; i++) {
    await page.keyboard.press("Tab");
    const [id, outline] = await page.evaluate(() => [
      document.activeElement.id || document.activeElement.name,
      getComputedStyle(document.activeElement).outlineStyle,
    ]);
    order.push(id);
    assert.notEqual(outline, "none", `${id} shows where the focus is`);
  }
  for (const id of ["target", "scenario", "apiKey", "kind", "mobile", "lang", "digits", "send"])
    assert.ok(order.includes(id), `${id} is reachable: ${order}`);
  assert.ok(order.indexOf("mobile") < order.indexOf("send"));
  await page.focus("#mobile");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("0532 111 22 55");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#outcome[data-state="ok"]');
  await page.waitForFunction(() => document.querySelectorAll("#inbox .sms").length === 1);
  await shoot("09-keyboard-sent");
});

test("through the edge handler: no key in the page, the code arrives, the limits answer", async () => {
  await page.check('input[name="target"][value="edge"]');
  assert.equal(await page.isHidden("#apiKey"), true, "no key field");
  await page.fill("#mobile", "0532 111 22 66");
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="ok"]');
  const sent = await page.textContent("#outcome pre");
  assert.match(sent, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/otp\/send\n/);
  assert.ok(!sent.includes("api_key"), "the page sent no key");
  await page.waitForFunction(() => document.querySelectorAll("#inbox .sms").length === 1);
  await shoot("10-edge-handler-sent");
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="error"]');
  assert.equal(await page.textContent("#outcome .code"), "COOLDOWN");
  await shoot("11-edge-handler-cooldown");
  await page.fill("#mobile", "+49 151 2345 6789");
  await page.click("#send");
  await page.waitForFunction(() => document.querySelector("#outcome .code")?.textContent === "COUNTRY_NOT_ALLOWED");
});

/** Sends through the edge handler to `mobile` and returns the code the phone shows. */
async function sendThroughEdge(mobile) {
  await page.check('input[name="target"][value="edge"]');
  await page.fill("#mobile", mobile);
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="ok"]');
  await page.waitForSelector("#verify-step:not([hidden])");
  return (await page.waitForSelector("#inbox .sms-code")).textContent();
}

/** Pastes `text` into the code field as a clipboard paste would. */
const paste = (text) =>
  page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    document
      .querySelector("#code")
      .dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);

const verifyRequests = () => requests.filter((url) => url.endsWith("/api/otp/verify")).length;

test("the code step: paste the whole SMS, Verified, and the token's claims", async () => {
  const code = await sendThroughEdge("0532 111 22 77");
  assert.equal(await page.getAttribute("#code", "autocomplete"), "one-time-code");
  assert.equal(await page.getAttribute("#code", "inputmode"), "numeric");
  assert.equal(await page.evaluate(() => document.activeElement.id), "code", "the code field has the focus");
  assert.match(await page.textContent("#verify-hint"), /\+90 532 111 22 77.*4 seconds.*5 tries/s);
  await paste(`Your verification code is ${code}. Do not share it with anyone.`);
  assert.equal(await page.inputValue("#code"), code, "only the digits of the pasted text");
  await page.click("#verify");
  await page.waitForSelector('#verify-result[data-state="verified"]');
  const result = await page.textContent("#verify-result");
  assert.match(result, /Verified \+90 532 111 22 77/);
  assert.match(result, /sub905321112277/);
  assert.match(result, /jti[0-9a-f-]{36}/);
  assert.match(result, /verifyOtpToken/);
  assert.equal(await page.isDisabled("#verify"), true, "a used code is not sent again");
  await shoot("12-code-verified");
  assert.deepEqual(problems, []);
});

test("the code step: a malformed code is refused on the page, a wrong one by the handler, five burn it", async () => {
  const code = await sendThroughEdge("0532 111 22 88");
  await page.fill("#code", "12");
  await page.click("#verify");
  assert.match(await issueOf("code"), /4 to 6 digits/);
  assert.equal(await page.getAttribute("#code", "aria-invalid"), "true");
  assert.equal(verifyRequests(), 0, "a malformed code never left the page");
  const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
  await page.fill("#code", wrong);
  await page.click("#verify");
  await page.waitForSelector('#verify-result[data-state="error"]');
  assert.equal(await page.textContent("#verify-result .code"), "CODE_INVALID");
  assert.match(await page.textContent("#verify-result"), /type them again/);
  assert.equal(await issueOf("code"), "");
  await shoot("13-code-wrong");
  // Four more wrong tries (the button is busy while each is in flight).
  for (let i = 0; i < 4; i++) {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/otp/verify")), page.click("#verify")]);
  }
  await page.waitForFunction(() => document.querySelector("#verify-result .code")?.textContent === "TOO_MANY_ATTEMPTS");
  assert.match(await page.textContent("#verify-result"), /send a new code/);
  assert.equal(await page.isDisabled("#verify"), true);
  assert.equal(verifyRequests(), 5);
  await shoot("14-code-too-many");
});

test("the code step: a code typed after it expired", async () => {
  const code = await sendThroughEdge("0532 111 22 99");
  await page.waitForTimeout(CODE_TTL_MS + 500);
  await page.fill("#code", code);
  await page.click("#verify");
  await page.waitForSelector('#verify-result[data-state="error"]');
  assert.equal(await page.textContent("#verify-result .code"), "CODE_EXPIRED");
  await shoot("15-code-expired");
});

test("on a phone, the inbox comes into view after sending, and the code step follows it", async () => {
  await page.setViewportSize(PHONE);
  await page.check('input[name="target"][value="edge"]');
  await page.fill("#mobile", "0532 111 23 00");
  const phoneTop = await page.evaluate(() => document.querySelector(".phone").getBoundingClientRect().top);
  assert.ok(phoneTop > PHONE.height, `the phone starts below the screen (top ${phoneTop})`);
  await page.click("#send");
  await page.waitForSelector("#verify-step:not([hidden])");
  await page.waitForFunction(() => {
    const phone = document.querySelector(".phone").getBoundingClientRect();
    return phone.top >= 0 && phone.top < innerHeight / 2;
  });
  const [phoneBottom, stepTop] = await page.evaluate(() => [
    document.querySelector(".phone").getBoundingClientRect().bottom,
    document.querySelector("#verify-step").getBoundingClientRect().top,
  ]);
  assert.ok(stepTop > phoneBottom, "the code step is below the phone");
  await page.waitForSelector("#inbox .sms-code");
  await page.screenshot({ path: new URL("16-phone-after-send.png", SHOTS).pathname });
  assert.deepEqual(problems, []);
});

// --- Delivery: the handler's /otp/status, fed by the sandbox's signed webhooks ---------------

/** Records every status the code step's delivery line takes, from now on, in window.deliveries. */
const watchDelivery = () =>
  page.evaluate(() => {
    window.deliveries = [];
    const line = document.querySelector("#delivery");
    new MutationObserver(() => {
      const state = line.dataset.state;
      if (state !== window.deliveries.at(-1)) window.deliveries.push(state);
    }).observe(line, { attributes: true, attributeFilter: ["data-state"] });
  });

/** The sandbox's inbox for a wire number. */
const inboxFor = async (wire) =>
  (await (await fetch(`${demo.sandboxUrl}/sandbox/messages?mobile=${wire}`)).json()).messages;

const statusRequests = () => requests.filter((url) => url.endsWith("/api/otp/status")).length;

test("delivery: a send through the handler goes Queued → Delivered, on the page and on the phone", async () => {
  await page.check('input[name="target"][value="edge"]');
  assert.equal(await page.inputValue("#next-sms"), "", "the next SMS is delivered by default");
  await page.fill("#mobile", "0532 111 24 01");
  await watchDelivery();
  await page.click("#send");
  await page.waitForSelector("#verify-step:not([hidden])");
  await page.waitForSelector('#delivery[data-state="DELIVERED"]');
  const seen = await page.evaluate(() => window.deliveries);
  assert.equal(seen[0], "QUEUED", `first Queued: ${seen}`);
  assert.equal(seen.at(-1), "DELIVERED", `${seen}`);
  const rank = ["QUEUED", "SENT", "DELIVERED"];
  assert.ok(
    seen.every((state, i) => rank.includes(state) && (i === 0 || rank.indexOf(state) > rank.indexOf(seen[i - 1]))),
    `forward only: ${seen}`,
  );
  assert.equal(await page.textContent("#delivery"), "Delivered");
  assert.equal(await page.getAttribute("#delivery", "aria-live"), "polite");
  assert.equal(await page.getAttribute("#delivery", "data-polling"), null, "no longer asking");
  // The phone: the status under this SMS (the only one for the number).
  await page.waitForFunction(
    () => document.querySelector("#inbox .sms:last-child .sms-status")?.textContent === "Delivered ✓✓",
  );
  assert.equal(await page.locator("#inbox .sms").count(), 1);
  // Delivered does not free the number: "Send again" waits for the cooldown, and says how long.
  assert.equal(await page.isDisabled("#resend"), true);
  assert.match(await page.textContent("#resend-wait"), /you can ask again in [1-5] s\./);
  // A final status ends the polling.
  const asked = statusRequests();
  assert.ok(asked >= 2, `asked ${asked} times`);
  await page.waitForTimeout(1200);
  assert.equal(statusRequests(), asked, "no status request after Delivered");
  await shoot("17-delivery-delivered");
  // Once the cooldown is over, "Send again" works as a plain new send.
  await page.waitForFunction(() => !document.querySelector("#resend").disabled, null, { timeout: COOLDOWN_MS + 2000 });
  assert.equal(await page.textContent("#resend-wait"), "");
  assert.deepEqual(problems, []);
});

test("delivery: with “fails”, Not delivered — send again, and Send again sends a new SMS at once", async () => {
  const wire = "905321112402";
  await page.check('input[name="target"][value="edge"]');
  await page.fill("#mobile", "0532 111 24 02");
  await page.selectOption("#next-sms", "webhook-failed");
  assert.match(await page.textContent("#next-sms-hint"), /next SMS through the handler as failed/);
  await watchDelivery();
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="ok"]');
  const sentAt = Date.now();
  await page.waitForSelector('#delivery[data-state="FAILED"]');
  assert.equal(await page.textContent("#delivery"), "Not delivered — send again");
  assert.deepEqual((await page.evaluate(() => window.deliveries)).slice(-1), ["FAILED"]);
  await page.waitForFunction(
    () => document.querySelector("#inbox .sms:last-child .sms-status")?.textContent === "Not delivered",
  );
  assert.equal(await page.isDisabled("#resend"), false, "freed: Send again at once");
  assert.match(await page.textContent("#resend-wait"), /lets this number ask again now/);
  assert.equal(await page.inputValue("#next-sms"), "", "the fault was for one SMS");
  assert.equal(await page.isDisabled("#next-sms"), false);
  await shoot("18-delivery-failed");
  assert.ok(Date.now() - sentAt < COOLDOWN_MS - 1000, "still within the cooldown");

  // Send again: a new SMS to the same number, no COOLDOWN, and the new send's status.
  await page.fill("#mobile", "0532 999 99 99"); // the form's number is not the code step's
  await watchDelivery();
  await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/otp/send")), page.click("#resend")]);
  await page.waitForFunction(() => document.querySelector("#outcome")?.dataset.state !== "sending");
  assert.equal(await page.getAttribute("#outcome", "data-state"), "ok", await page.textContent("#outcome"));
  assert.ok(Date.now() - sentAt < COOLDOWN_MS, "sent again before the cooldown would have ended");
  assert.match(await page.textContent("#outcome pre"), /"mobile": "905321112402"/);
  assert.equal((await inboxFor(wire)).length, 2, "a second SMS in the sandbox");
  assert.match(await page.textContent("#verify-number"), /\+90 532 111 24 02/);
  await page.waitForSelector('#delivery[data-state="DELIVERED"]');
  assert.equal((await page.evaluate(() => window.deliveries))[0], "QUEUED", "the new send starts Queued");
  await page.fill("#mobile", "0532 111 24 02");
  await page.waitForFunction(() => document.querySelectorAll("#inbox .sms").length === 2);
  assert.deepEqual(await page.$$eval("#inbox .sms .sms-status", (els) => els.map((e) => e.textContent)), [
    "Not delivered",
    "Delivered ✓✓",
  ]);
  assert.equal(await page.isDisabled("#resend"), true, "a delivered send waits for the cooldown again");
  assert.deepEqual(problems, []);
});

test("delivery: with “expires”, Expired — send again", async () => {
  await page.check('input[name="target"][value="edge"]');
  await page.fill("#mobile", "0532 111 24 03");
  await page.selectOption("#next-sms", "webhook-expired");
  await page.click("#send");
  await page.waitForSelector('#delivery[data-state="EXPIRED"]');
  assert.equal(await page.textContent("#delivery"), "Expired — send again");
  await page.waitForFunction(
    () => document.querySelector("#inbox .sms:last-child .sms-status")?.textContent === "Not delivered (expired)",
  );
  assert.equal(await page.isDisabled("#resend"), false);
  assert.deepEqual(problems, []);
});

test("delivery: pressing Send early answers COOLDOWN with the seconds left, and Send again counts them down", async () => {
  await page.check('input[name="target"][value="edge"]');
  await page.fill("#mobile", "0532 111 24 04");
  await page.click("#send");
  await page.waitForSelector("#verify-step:not([hidden])");
  await page.click("#send");
  await page.waitForSelector('#outcome[data-state="error"]');
  assert.equal(await page.textContent("#outcome .code"), "COOLDOWN");
  assert.match(await page.textContent("#outcome"), /Ask again in[1-5] s/);
  assert.equal(await page.isDisabled("#resend"), true);
  assert.match(await page.textContent("#resend-wait"), /in [1-5] s\./);
});

// --- The operator panel: the handler's counts and the pumping guard (GET /demo/operator) ------

const PUMPED = "9055500000"; // the prefix "Simulate SMS pumping" floods (scripts/demo.mjs)
const MIN_SENDS = 8; // the demo guard's minSends: the flood's 9th send is refused

/** The demo server's own answer, read beside the page. */
const operatorJson = async () => (await fetch(new URL("demo/operator", demo.url))).json();

test("GET /demo/operator answers only under a loopback Host: a DNS-rebound page of another name reads nothing", async () => {
  const { port } = new URL(demo.url);
  const get = (host) =>
    new Promise((resolve, reject) => {
      request({ host: "127.0.0.1", port, path: "/demo/operator", headers: { Host: host } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      })
        .on("error", reject)
        .end();
    });
  assert.deepEqual(
    [await get(`127.0.0.1:${port}`), await get(`localhost:${port}`), await get(`rebound.example:${port}`)],
    [200, 200, 403],
  );
});

/** The panel as the page shows it. */
const panel = () =>
  page.evaluate(() => {
    const tally = (id) =>
      Object.fromEntries(
        [...document.querySelectorAll(`#${id} li[data-code]`)].map((li) => [
          li.dataset.code,
          Number(li.querySelector(".n").textContent),
        ]),
      );
    return {
      sends: Number(document.querySelector("#op-sends").textContent),
      verified: Number(document.querySelector("#op-verified").textContent),
      conversion: document.querySelector("#op-conversion").textContent,
      refusals: tally("op-refusals"),
      checks: tally("op-checks"),
    };
  });

test("operator panel: pumping one prefix ends in PREFIX_SUSPENDED, the person's own number still sends and verifies", async () => {
  const before = await operatorJson();
  assert.equal(
    before.prefixes.find((p) => p.prefix === PUMPED),
    undefined,
    "the pumped range is untouched",
  );
  await page.waitForFunction((n) => document.querySelector("#op-sends").textContent === String(n), before.sends);
  assert.equal(await page.getAttribute("#op-counts", "aria-live"), "polite", "the counts are a live region");
  assert.equal(await page.textContent("#pump-range"), "+90 555 000 00 xx");
  // Every count the panel draws, from now on.
  await page.evaluate(() => {
    window.sendsSeen = [];
    const sends = document.querySelector("#op-sends");
    new MutationObserver(() => window.sendsSeen.push(Number(sends.textContent))).observe(sends, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });

  await page.click("#pump");
  await page.waitForSelector('#pump-status[data-state="suspended"], #pump-status[data-state="stopped"]');
  const status = await page.textContent("#pump-status");
  assert.equal(await page.getAttribute("#pump-status", "data-state"), "suspended", status);
  assert.match(
    status,
    /^8 codes sent, none typed back; then PREFIX_SUSPENDED \(429\): the guard refuses \+90 555 000 00 xx for (2 min|1 min \d\d s)\.$/,
  );
  // The panel counted each send as it went, then the refusal.
  const after = before.sends + MIN_SENDS;
  await page.waitForFunction((n) => document.querySelector("#op-sends").textContent === String(n), after);
  const seen = (await page.evaluate(() => window.sendsSeen)).filter((n, i, all) => n !== all[i - 1]);
  assert.deepEqual(
    seen,
    Array.from({ length: MIN_SENDS }, (_, i) => before.sends + i + 1),
    `${seen}`,
  );
  await page.waitForFunction(
    (n) => document.querySelector('#op-refusals li[data-code="PREFIX_SUSPENDED"] .n')?.textContent === String(n),
    (before.refusals.PREFIX_SUSPENDED ?? 0) + 1,
  );
  // The range, marked suspended, with what is left of its suspension.
  const pumped = page.locator(`#op-prefixes li[data-prefix="${PUMPED}"]`);
  await pumped.and(page.locator("[data-suspended]")).waitFor();
  const row = await pumped.textContent();
  assert.match(row, /^\+90 555 000 00 xxconversion 0%8 sent · 0 verifiedSuspended · (2 min|1 min \d\d s) left$/, row);
  const record = (await operatorJson()).prefixes.find((p) => p.prefix === PUMPED);
  assert.deepEqual(
    {
      sends: record.sends,
      verified: record.verified,
      conversion: record.conversion,
      suspended: record.suspendedForMs > 0,
    },
    { sends: MIN_SENDS, verified: 0, conversion: 0, suspended: true },
  );
  await shoot("19-operator-pumped");

  // The person's own number, in another prefix: sent, the SMS on the phone, the code typed, Verified.
  const code = await sendThroughEdge("0532 111 25 01");
  await page.fill("#code", code);
  await page.click("#verify");
  await page.waitForSelector('#verify-result[data-state="verified"]');
  const own = page.locator('#op-prefixes li[data-prefix="9053211125"]');
  await page.waitForFunction(() =>
    /1 sent · 1 verified/.test(document.querySelector('#op-prefixes li[data-prefix="9053211125"]')?.textContent),
  );
  assert.match(await own.textContent(), /^\+90 532 111 25 xxconversion 100%1 sent · 1 verified$/);
  assert.equal(await own.getAttribute("data-suspended"), null);
  const shown = await panel();
  const now = await operatorJson();
  assert.equal(shown.sends, after + 1);
  assert.equal(shown.verified, (before.verifications.VERIFIED ?? 0) + 1);
  assert.deepEqual(
    [shown.sends, shown.verified, shown.refusals, shown.checks],
    [now.sends, now.verifications.VERIFIED, now.refusals, now.verifications],
    "the panel shows the server's counts",
  );
  assert.equal(shown.conversion, `${Math.round((shown.verified / shown.sends) * 100)}%`);
  assert.ok(now.prefixes.find((p) => p.prefix === PUMPED).suspendedForMs > 0, "the pumped range is still suspended");
  await shoot("20-operator-verified");
  // Both widths hold the panel without scrolling sideways.
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    assert.ok(
      await page.evaluate((w) => document.documentElement.scrollWidth <= w, viewport.width),
      `${viewport.width} px`,
    );
  }
  // The refused send's 429 is the only console error (Chromium logs each failed request).
  assert.deepEqual(
    problems.filter((p) => !p.includes("status of 429")),
    [],
  );
});
