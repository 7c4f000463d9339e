// The installed package in Firefox (Gecko) and WebKit, over WebDriver (see webdriver.mjs): the
// runtime pages the Chromium suite opens (tests/runtimes/fixtures: an unbundled module with an
// import map, a module Web Worker, and the page built by Vite, webpack 5 and esbuild) must give
// the same report in both engines, and a page of this suite ends calls early: abort and timeout.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { serveStatic } from "../../scripts/static-server.mjs";
import { inboxOf, requestsFor, startSandbox } from "../js/helpers.mjs";
import { buildBundles } from "../runtimes/bundles.mjs";
import { consumerDir } from "../runtimes/processes.mjs";
import { TEST_TIMEOUT_MS, useEngine, waitFor } from "./webdriver.mjs";

const dist = join(consumerDir, "dist-engines");
let sandbox, site;

before(async () => {
  sandbox = await startSandbox();
  await buildBundles(dist); // the Chromium suite's bundled pages, in a folder of their own
  site = await serveStatic({ mounts: { "/": consumerDir } });
});

after(async () => {
  await site?.close();
  await sandbox?.close();
});

const PAGES = [
  ["an unbundled <script type=module> with an import map", "tests/runtimes/fixtures/unbundled.html", "unbundled"],
  ["a dedicated module Web Worker", "tests/runtimes/fixtures/web-worker.html", "web-worker"],
  ["a page bundled by Vite", "dist-engines/vite/index.html", "vite"],
  ["a page bundled by webpack", "dist-engines/webpack/index.html", "webpack"],
  ["a page bundled by esbuild", "dist-engines/esbuild/index.html", "esbuild"],
];

for (const engine of ["firefox", "webkit"]) {
  describe(`${engine === "firefox" ? "Firefox (Gecko)" : "WebKit (WebKitGTK MiniBrowser)"}: the runtime pages`, () => {
    const engineOf = useEngine(engine);

    /** Opens a page and returns its #out report; the wasm URL and every request stay on 127.0.0.1. */
    async function reportOf(path, name) {
      const { driver } = engineOf();
      await driver.get(`${site.url}${path}?sandbox=${encodeURIComponent(sandbox.url)}&name=${name}`);
      await waitFor(driver, "#out:not(:empty)", 20_000);
      const text = await driver.executeScript("return document.getElementById('out').textContent");
      const resources = await driver.executeScript(
        "return performance.getEntriesByType('resource').map((e) => e.name)",
      );
      assert.ok(
        resources.every((url) => url.startsWith("http://127.0.0.1:")),
        `only loopback requests:\n${resources.join("\n")}`,
      );
      // A worker's requests are in its own timeline; a page's include the .wasm it instantiated.
      if (name !== "web-worker")
        assert.ok(
          resources.some((url) => /\.wasm$/.test(url)),
          `no .wasm:\n${resources.join("\n")}`,
        );
      return JSON.parse(text);
    }

    /** The same report the Chromium suite asserts (tests/runtimes/browsers.test.mjs). */
    async function assertSmoke(report, name) {
      assert.equal(report.workerError, undefined, `the worker failed: ${report.workerError}`);
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
      assert.equal((await inboxOf(sandbox, report.mobile)).length, 1, "the sandbox delivered one SMS");
      assert.equal(report.normalized, "905321234567");
      assert.deepEqual(report.validation, ["MISSING_API_KEY", "INVALID_MOBILE"]);
      assert.deepEqual(report.segments, { encoding: "UCS-2", characters: 11, segments: 1 });
      assert.deepEqual(report.rejection, {
        name: "OtpError",
        code: "MISSING_PLACEHOLDER",
        isError: true,
        attempts: 0,
      });
    }

    for (const [title, path, name] of PAGES) {
      test(`${title}: loads the wasm, validates, sends to the sandbox`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
        t.diagnostic(engineOf().version);
        await assertSmoke(await reportOf(path, name), name);
      });
    }

    test("abort and timeout: a signal aborted before, during a hang, in the retry wait; timeoutMs", {
      timeout: TEST_TIMEOUT_MS,
    }, async (t) => {
      t.diagnostic(engineOf().version);
      const report = await reportOf("tests/engines/fixtures/page.html", `engine-${engine}`);
      await assertSmoke(report, `engine-${engine}`);
      assert.deepEqual(report.problems, [], "no error or unhandled rejection in the page");
      const { mobiles, before: early, hang, backoff, timeout } = report.aborts;
      const requests = async (mobile) => (await requestsFor(sandbox, mobile)).length;

      assert.deepEqual(early, { name: "OtpError", code: "ABORTED", attempts: 0, retryable: false, isError: true });
      assert.equal(await requests(mobiles.before), 0, "an aborted signal sends nothing");

      assert.deepEqual(
        { ...hang, ms: undefined },
        { name: "OtpError", code: "ABORTED", attempts: 1, retryable: false, isError: true, ms: undefined },
      );
      assert.ok(hang.ms >= 200 && hang.ms < 5000, `the abort ended the hang after ${hang.ms} ms`);
      assert.equal(await requests(mobiles.hang), 1);

      assert.equal(backoff.code, "ABORTED", JSON.stringify(backoff));
      assert.equal(backoff.attempts, 1);
      assert.ok(backoff.ms < 1000, `aborted in the backoff wait after ${backoff.ms} ms`);
      assert.equal(await requests(mobiles.backoff), 1, "no second request after the abort");

      assert.deepEqual(
        { ...timeout, ms: undefined },
        { name: "OtpError", code: "TIMEOUT", attempts: 1, retryable: true, isError: true, ms: undefined },
      );
      assert.ok(timeout.ms >= 290 && timeout.ms < 5000, `timed out after ${timeout.ms} ms`);
      assert.equal(await requests(mobiles.timeout), 1);
    });
  });
}
