// Debian's Chromium, headless, driven by playwright-core: the installed package in pages built
// by Vite, webpack 5 and esbuild, in an unbundled <script type="module">, and in a Web Worker,
// each sending to the sandbox; the browser key guard; and the keyless example page.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { verifyOtpToken } from "turkeysms-otp";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "../chromium.mjs";
import { inboxOf, startSandbox, uniqueMobile } from "../js/helpers.mjs";
import { buildBundles } from "./bundles.mjs";
import { consumerDir, wranglerDev } from "./processes.mjs";

const dist = join(consumerDir, "dist");
const fixtures = join(consumerDir, "tests/runtimes/fixtures");
let sandbox, site, browser;

before(async () => {
  sandbox = await startSandbox();
  await buildBundles(dist);
  site = await serveStatic({ mounts: { "/": consumerDir } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await sandbox?.close();
});

/** Opens a page, waits for its #out report, and fails on any console error. */
async function reportOf(path, name, base = site.url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${base}${path}?sandbox=${encodeURIComponent(sandbox.url)}&name=${name}`);
    await page.waitForFunction(() => document.getElementById("out")?.textContent.length > 0, null, { timeout: 20_000 });
    const report = JSON.parse(await page.textContent("#out"));
    assert.deepEqual(errors, []);
    return report;
  } finally {
    await page.close();
  }
}

/** In browsers the wasm is fetched: sync helpers need ready(), sendOtp needs nothing. */
async function assertBrowserSmoke(report, name) {
  assert.equal(report.workerError, undefined);
  assert.equal(report.name, name);
  assert.deepEqual(
    [report.syncAtImport, report.syncError],
    [false, "NOT_READY"],
    "helpers before ready() throw a typed NOT_READY",
  );
  assert.deepEqual(
    report.sent,
    { code: "TS-1024", mobile: report.mobile, smsId: "number" },
    "sendOtp works on the first call",
  );
  assert.equal((await inboxOf(sandbox, report.mobile)).length, 1);
  assert.equal(report.normalized, "905321234567");
  assert.deepEqual(report.validation, ["MISSING_API_KEY", "INVALID_MOBILE"]);
  assert.deepEqual(report.segments, { encoding: "UCS-2", characters: 11, segments: 1 });
  assert.deepEqual(report.rejection, { name: "OtpError", code: "MISSING_PLACEHOLDER", isError: true, attempts: 0 });
}

describe("Chromium", () => {
  for (const bundler of ["vite", "webpack", "esbuild"]) {
    test(`a page bundled by ${bundler}`, async () => {
      await assertBrowserSmoke(await reportOf(`dist/${bundler}/index.html`, bundler), bundler);
    });
  }

  test("a page served by Vite's dev server (dependency pre-bundling on)", async () => {
    const vite = await import("vite");
    const server = await vite.createServer({
      root: join(fixtures, "bundled"),
      configFile: false,
      logLevel: "silent",
      server: { host: "127.0.0.1", port: 0 },
    });
    await server.listen();
    try {
      await assertBrowserSmoke(await reportOf("", "vite-dev", server.resolvedUrls.local[0]), "vite-dev");
    } finally {
      await server.close();
    }
  });

  test("an unbundled <script type=module> with an import map", async () => {
    await assertBrowserSmoke(await reportOf("tests/runtimes/fixtures/unbundled.html", "unbundled"), "unbundled");
  });

  test("a dedicated module Web Worker", async () => {
    await assertBrowserSmoke(await reportOf("tests/runtimes/fixtures/web-worker.html", "web-worker"), "web-worker");
  });

  test("Vite emits the .wasm as an asset and the page fetches that one", () => {
    const html = readFileSync(join(dist, "vite", "index.html"), "utf8");
    assert.match(html, /assets\/index-[\w-]+\.js/);
    const assets = readFileSync(join(dist, "vite", "assets", html.match(/assets\/(index-[\w-]+\.js)/)[1]), "utf8");
    assert.match(assets, /turkeysms_otp-[\w-]+\.wasm/);
  });
});

describe("the browser key guard, in Chromium", () => {
  test("apiKey + the TurkeySMS API rejects with BROWSER_KEY_EXPOSED; dangerouslyAllowBrowser lets it through", async () => {
    const page = await browser.newPage();
    const reachedTurkeySms = [];
    // Nothing may reach the real API: the request is answered inside the browser.
    await page.route("https://api.turkeysms.com.tr/**", (route) => {
      reachedTurkeySms.push({ url: route.request().url(), body: route.request().postData() });
      return route.fulfill({
        status: 200,
        contentType: "application/json",
        headers: { "Access-Control-Allow-Origin": "*" },
        body: JSON.stringify({ result: true, result_code: "TS-1024", result_message: "intercepted" }),
      });
    });
    try {
      await page.goto(
        `${site.url}tests/runtimes/fixtures/unbundled.html?sandbox=${encodeURIComponent(sandbox.url)}&name=guard`,
      );
      await page.waitForFunction(() => document.getElementById("out")?.textContent.length > 0);
      const outcome = await page.evaluate(async () => {
        const otp = await import("turkeysms-otp");
        const guarded = await otp
          .sendOtp({ apiKey: "page-key", mobile: "05321234567" })
          .catch((e) => ({ name: e.name, code: e.code, field: e.field, attempts: e.attempts, message: e.message }));
        const allowed = await otp
          .sendOtp({ apiKey: "page-key", mobile: "05321234567", dangerouslyAllowBrowser: true })
          .then(
            (r) => r.message,
            (e) => `rejected: ${e.code}`,
          );
        const viaProxy = await otp.validateOptions(
          { mobile: "05321234567", baseUrl: "https://proxy.example.com" },
          "standard",
        ).ok;
        return { guarded, allowed, viaProxy };
      });
      assert.equal(outcome.guarded.name, "OtpError");
      assert.equal(outcome.guarded.code, "BROWSER_KEY_EXPOSED");
      assert.equal(outcome.guarded.field, "apiKey");
      assert.equal(outcome.guarded.attempts, 0);
      assert.ok(!outcome.guarded.message.includes("page-key"));
      assert.equal(outcome.allowed, "intercepted");
      assert.equal(reachedTurkeySms.length, 1, "only the allowed call was sent");
      assert.equal(reachedTurkeySms[0].url, "https://api.turkeysms.com.tr/otp/send");
      assert.equal(outcome.viaProxy, true, "no key needed for your own proxy");
    } finally {
      await page.close();
    }
  });
});

describe("examples/edge-proxy: its page through its Worker", () => {
  // Its Durable Object keeps counters in .wrangler/ across runs: a number of its own per run.
  const otpSecret = "example-browser-OTP-SECRET-0123456789abcdef";
  const startWorker = () =>
    wranglerDev(join(consumerDir, "examples/edge-proxy"), {
      TURKEYSMS_BASE_URL: sandbox.url,
      TURKEYSMS_API_KEY: "example-browser-SECRET",
      OTP_SECRET: otpSecret,
      ALLOWED_ORIGINS: site.url.replace(/\/$/, ""),
    });
  /** The page, pointed at the Worker; `seen` collects each request's URL and body, `errors` the page's. */
  async function openPage(worker) {
    const page = await browser.newPage();
    const seen = [];
    const errors = [];
    page.on("request", (r) => seen.push((r.postData() ?? "") + r.url()));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${site.url}examples/edge-proxy/index.html?api=${encodeURIComponent(`${worker.url}/api`)}`);
    return { page, seen, errors };
  }

  test("the page sends with no key; the Worker adds it; the code reaches the sandbox", async () => {
    const worker = await startWorker();
    const { page, seen } = await openPage(worker);
    const mobile = uniqueMobile();
    try {
      await page.fill("#mobile", `0${mobile.slice(2)}`);
      await page.click("#send button");
      await page.waitForSelector("#out[data-done=send]");
      assert.equal(await page.textContent("#out"), `Code sent to +${mobile} (TS-1024)`);
      assert.equal((await inboxOf(sandbox, mobile)).length, 1);
      assert.ok(
        seen.every((r) => !r.includes("SECRET")),
        "the key never passed through the page",
      );
    } finally {
      await page.close();
      await worker.stop();
    }
  });

  test("the code from the SMS, typed into its one-time-code input, verifies; a wrong one shows CODE_INVALID", async () => {
    const worker = await startWorker();
    const { page, seen, errors } = await openPage(worker);
    const mobile = uniqueMobile();
    try {
      assert.equal(await page.isVisible("#code"), false, "no code step before a send");
      await page.fill("#mobile", `0${mobile.slice(2)}`);
      await page.click("#send button");
      await page.waitForSelector("#out[data-done=send]");
      assert.equal(await page.textContent("#out"), `Code sent to +${mobile} (TS-1024)`, worker.output());
      assert.equal(await page.isVisible("#code"), true, "the code step shows after the send");
      assert.equal(await page.getAttribute("#code", "autocomplete"), "one-time-code");
      assert.equal(await page.getAttribute("#code", "inputmode"), "numeric");
      const [sms] = await inboxOf(sandbox, mobile);

      await page.fill("#code", otherCode(sms.code));
      await page.click("#verify button");
      await page.waitForSelector("#out[data-done=verify]");
      assert.match(await page.textContent("#out"), /^CODE_INVALID: /);

      await page.fill("#code", sms.code);
      const answer = page.waitForResponse((r) => r.url() === `${worker.url}/api/otp/verify`);
      await page.click("#verify button");
      const { token } = await (await answer).json();
      await page.waitForSelector("#out[data-done=verify]");
      assert.equal(await page.textContent("#out"), `Verified +${mobile}`, worker.output());
      // The token the page got is one a backend with the secret accepts.
      assert.equal((await verifyOtpToken(token, { secret: otpSecret })).mobile, mobile);
      assert.ok(
        seen.every((r) => !r.includes("SECRET")),
        "neither the key nor the secret passed through the page",
      );
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await worker.stop();
    }
  });
});

/** A code of the same length that is not `code`. */
const otherCode = (code) => String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");
