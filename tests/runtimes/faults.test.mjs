// The fault matrix (fixtures/faults.js) in Node, Deno, Bun, workerd and Chromium, each against
// the sandbox: the documented outcome of every fault, retries only for what is retryable and
// never beyond maxRetries, a bounded total time, the key in no error text, and a working next
// call. The rows go to build/reliability/ for docs/RELIABILITY.md.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as otp from "turkeysms-otp";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "../chromium.mjs";
import { startSandbox } from "../js/helpers.mjs";
import { runFaultMatrix, SCENARIOS, TIMEOUT_MS } from "./fixtures/faults.js";
import { consumerDir, run, wranglerDev } from "./processes.mjs";

const reliabilityDir = join(consumerDir, "..", "reliability");

/** What each fault must produce. `requests` counts what reached the sandbox. */
export const EXPECTED = {
  hang: { outcome: "TIMEOUT", retryable: true, attempts: 3, requests: 3 },
  "slow-drip": { outcome: "TIMEOUT", retryable: true, attempts: 3, requests: 3 },
  reset: { outcome: "NETWORK", retryable: true, attempts: 3, requests: 3 },
  "reset-after-headers": { outcome: "NETWORK", retryable: true, attempts: 3, requests: 3 },
  "html-500": { outcome: "HTTP_ERROR", retryable: true, attempts: 3, status: 500, requests: 3 },
  "html-502": { outcome: "HTTP_ERROR", retryable: true, attempts: 3, status: 502, requests: 3 },
  "html-503": { outcome: "HTTP_ERROR", retryable: true, attempts: 3, status: 503, requests: 3 },
  "html-500, maxRetries 0": { outcome: "HTTP_ERROR", retryable: true, attempts: 1, status: 500, requests: 1 },
  "html-503 once, then delivered": { outcome: "delivered TS-1024", requests: 2 },
  "reset once, then delivered": { outcome: "delivered TS-1024", requests: 2 },
  "not-json": { outcome: "BAD_RESPONSE", retryable: false, attempts: 1, status: 200, requests: 1 },
  "json-array": { outcome: "BAD_RESPONSE", retryable: false, attempts: 1, status: 200, requests: 1 },
  "wrong-types": { outcome: "BAD_RESPONSE", retryable: false, attempts: 1, status: 200, requests: 1 },
  "not-envelope": { outcome: "BAD_RESPONSE", retryable: false, attempts: 1, status: 200, requests: 1 },
  "huge-body (10 MB)": { outcome: "BAD_RESPONSE", retryable: false, attempts: 1, status: 200, requests: 1 },
  "wrong-content-type": { outcome: "delivered TS-1024", requests: 1 },
  "TS-1060 burst": { outcome: "TS-1060", retryable: true, attempts: 2, status: 403, requests: 2 },
  "TS-1060 once, then delivered": { outcome: "delivered TS-1024", requests: 2 },
  "unknown TS code": { outcome: "TS-1999", retryable: false, attempts: 1, status: 400, requests: 1 },
  "slow-drip, a GC during the body": { outcome: "TIMEOUT", retryable: true, attempts: 1, requests: 1 },
  // A caller's fetch: nothing reaches the server.
  "fetch rejects with a string": { outcome: "NETWORK", retryable: true, attempts: 2, requests: 0 },
  "fetch rejects with undefined": { outcome: "NETWORK", retryable: true, attempts: 1, requests: 0 },
  "fetch rejects with null": { outcome: "NETWORK", retryable: true, attempts: 1, requests: 0 },
  "fetch rejects with a plain object": { outcome: "NETWORK", retryable: true, attempts: 1, requests: 0 },
  "fetch rejects with a Symbol": { outcome: "NETWORK", retryable: true, attempts: 1, requests: 0 },
  "fetch throws synchronously": { outcome: "NETWORK", retryable: true, attempts: 1, requests: 0 },
  "fetch resolves with a plain object": { outcome: "BAD_RESPONSE", retryable: false, attempts: 1, requests: 0 },
  "the body errors with a string": { outcome: "NETWORK", retryable: true, attempts: 1, requests: 0 },
  "fetch never settles": { outcome: "TIMEOUT", retryable: true, attempts: 1, requests: 0 },
};

/** The longest the retry waits may add: the SDK's backoff caps (src/retry.rs). */
function backoffCeiling(maxRetries, rateLimited) {
  const [base, cap] = rateLimited ? [2000, 16000] : [250, 4000];
  let total = 0;
  for (let retry = 1; retry <= maxRetries; retry++) total += Math.min(base * 2 ** (retry - 1), cap);
  return total;
}

/** Scheduling, loopback and a runtime's own overhead. */
const SLACK_MS = 1500;

let sandbox;
before(async () => {
  sandbox = await startSandbox({ keepAlive: false });
  mkdirSync(reliabilityDir, { recursive: true });
});
after(() => sandbox.close());

function check(rows, runtime) {
  writeFileSync(join(reliabilityDir, `faults-${runtime}.json`), JSON.stringify(rows, null, 2));
  assert.deepEqual(
    rows.map((r) => r.fault),
    SCENARIOS.map((s) => s.fault),
  );
  for (const row of rows) {
    const want = EXPECTED[row.fault];
    const label = `${runtime}: ${row.fault}`;
    assert.equal(row.outcome, want.outcome, label);
    assert.equal(row.requests, want.requests, `${label}: requests that reached the server`);
    if (!row.outcome.startsWith("delivered")) {
      assert.equal(row.isOtpError, true, label);
      assert.equal(row.retryable, want.retryable, `${label}: retryable`);
      assert.equal(row.attempts, want.attempts, `${label}: attempts`);
      if (want.requests > 0)
        assert.equal(row.attempts, row.requests, `${label}: every attempt reached the server, no more`);
      assert.ok(row.attempts <= row.maxRetries + 1, `${label}: never beyond maxRetries`);
      if (!want.retryable) assert.equal(row.attempts, 1, `${label}: not retryable, not retried`);
      if (want.status) assert.equal(row.status, want.status, label);
    }
    const bound =
      (row.maxRetries + 1) * TIMEOUT_MS + backoffCeiling(row.maxRetries, row.fault.startsWith("TS-1060")) + SLACK_MS;
    assert.ok(row.elapsedMs <= bound, `${label}: took ${row.elapsedMs} ms, bound ${bound} ms`);
    assert.equal(row.leaked, false, `${label}: the key appeared in an error text`);
    assert.equal(row.nextCall, "TS-1024", `${label}: the next normal call works`);
    if (row.gc !== undefined) assert.notEqual(row.gc, "none", `${label}: a collection was forced or provoked`);
  }
}

test("Node: every fault", async () => {
  check(await runFaultMatrix(otp, sandbox.url, "node"), "node");
});

test("Node: a 10 MB body is cut at 1 MB; wasm memory does not grow with it", async () => {
  const _glue = { __diagnostics: () => __internals.diagnostics() };
  const before = otp.__internals.diagnostics();
  for (let i = 0; i < 5; i++) {
    await assert.rejects(otp.sendOtp({ apiKey: "sandbox-huge-body", mobile: "905351111111", baseUrl: sandbox.url }), {
      code: "BAD_RESPONSE",
    });
  }
  const after = otp.__internals.diagnostics();
  assert.ok(
    after.memoryBytes - before.memoryBytes <= 2 * 1024 * 1024,
    `wasm memory ${before.memoryBytes} -> ${after.memoryBytes}`,
  );
  assert.equal(after.liveHandles, before.liveHandles);
});

for (const runtime of ["deno", "bun"]) {
  test(`${runtime}: every fault`, async () => {
    const args =
      runtime === "deno" ? ["run", "--allow-net=127.0.0.1", "--no-prompt", "--v8-flags=--expose-gc"] : ["run"];
    const { code, stdout, stderr } = await run(runtime, [
      ...args,
      "tests/runtimes/fixtures/faults-script.mjs",
      sandbox.url,
      runtime,
    ]);
    assert.equal(code, 0, stderr);
    check(JSON.parse(stdout.trim().split("\n").at(-1)), runtime);
  });
}

test("workerd: every fault", async () => {
  const worker = await wranglerDev(join(consumerDir, "tests/runtimes/fixtures/worker"));
  try {
    const response = await fetch(`${worker.url}/faults?sandbox=${encodeURIComponent(sandbox.url)}`);
    assert.equal(response.status, 200, worker.output());
    check(await response.json(), "workerd");
  } finally {
    await worker.stop();
  }
});

test("Chromium: every fault", async () => {
  const site = await serveStatic({ mounts: { "/": consumerDir } });
  const browser = await launchChromium(["--js-flags=--expose-gc"]);
  try {
    const page = await browser.newPage();
    await page.goto(`${site.url}tests/runtimes/fixtures/faults.html?sandbox=${encodeURIComponent(sandbox.url)}`);
    await page.waitForFunction(() => document.getElementById("out").textContent.length > 0, null, { timeout: 60_000 });
    check(JSON.parse(await page.textContent("#out")), "chromium");
  } finally {
    await browser.close();
    await site.close();
  }
});
