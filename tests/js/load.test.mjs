// Load from one Node process against the sandbox in another: LOAD_CONCURRENT calls at once, then
// LOAD_SEQUENTIAL one after another (make test: 1 000 and 5 000; make fuzz: 10 000 and 100 000).
// Every call must settle with its own right outcome, and wasm memory and the JavaScript values
// the wasm holds must not keep growing. The figures go to build/reliability/load.json.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { __internals, sendOtp } from "turkeysms-otp";
import { spawnSandbox } from "../../sandbox/server.mjs";

const CONCURRENT = Number(process.env.LOAD_CONCURRENT ?? 1_000);
const SEQUENTIAL = Number(process.env.LOAD_SEQUENTIAL ?? 5_000);
const consumerDir = fileURLToPath(new URL("../../", import.meta.url));
const diagnostics = () => __internals.diagnostics();
let sandbox, sandboxUrl;
const figures = { concurrent: CONCURRENT, sequential: SEQUENTIAL, node: process.version };

before(async () => {
  sandbox = await spawnSandbox(["--rate-limit", "1000000000"]);
  sandboxUrl = sandbox.url;
});

after(() => {
  sandbox?.stop();
  console.log("load:", JSON.stringify(figures));
  if (process.env.LOAD_FIGURES === "off") return; // scripts/test-node.sh: another Node, checks only
  mkdirSync(join(consumerDir, "..", "reliability"), { recursive: true });
  writeFileSync(join(consumerDir, "..", "reliability", "load.json"), JSON.stringify(figures, null, 2));
});

function snapshot() {
  globalThis.gc?.();
  const { memoryBytes, liveHandles } = diagnostics();
  return { wasmMemoryBytes: memoryBytes, liveHandles, jsHeapBytes: process.memoryUsage().heapUsed };
}

/** Call i: mostly deliveries, every 10th refused by the server, every 25th refused locally. */
function call(i) {
  const mobile = `9053${String(i).padStart(8, "0")}`;
  if (i % 25 === 0) return [sendOtp({ apiKey: "load", mobile: "12", baseUrl: sandboxUrl }), "INVALID_MOBILE"];
  if (i % 10 === 0) return [sendOtp({ apiKey: "sandbox-invalid-key", mobile, baseUrl: sandboxUrl }), "TS-1031"];
  return [sendOtp({ apiKey: `load-${i % 7}`, mobile, baseUrl: sandboxUrl, digits: 4 + (i % 3) }), "TS-1024"];
}

async function outcome([promise, expected], i) {
  const got = await promise.then(
    (r) => (r.mobile === `9053${String(i).padStart(8, "0")}` ? r.code : `WRONG_MOBILE ${r.mobile}`),
    (e) => e.code,
  );
  return got === expected ? null : `call ${i}: ${got}, expected ${expected}`;
}

test(`${CONCURRENT} concurrent sendOtp calls each settle with the right outcome`, { timeout: 600_000 }, async () => {
  // Warm up each path once (a delivery, a server refusal, a local refusal): first allocations,
  // the first connection, and the property names the wasm makes into JavaScript strings once
  // and keeps. After that, no call may leave a value held.
  for (const i of [1, 99_999_990, 99_999_975]) await call(i)[0].catch(() => {});
  figures.beforeConcurrent = snapshot();
  const started = performance.now();
  const wrong = (await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => outcome(call(i + 2), i + 2)))).filter(
    Boolean,
  );
  figures.concurrentSeconds = +((performance.now() - started) / 1000).toFixed(2);
  figures.concurrentCallsPerSecond = Math.round(CONCURRENT / figures.concurrentSeconds);
  figures.afterConcurrent = snapshot();
  assert.deepEqual(wrong.slice(0, 5), []);
  assert.equal(
    figures.afterConcurrent.liveHandles,
    figures.beforeConcurrent.liveHandles,
    "no JS value stays held by the wasm",
  );
});

test(`${SEQUENTIAL} sequential sendOtp calls: right outcomes, flat wasm memory`, { timeout: 1_800_000 }, async () => {
  const before = snapshot();
  const started = performance.now();
  const checkpoints = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const n = CONCURRENT + 10 + i;
    const wrong = await outcome(call(n), n);
    assert.equal(wrong, null);
    if ((i + 1) % Math.ceil(SEQUENTIAL / 5) === 0) checkpoints.push(snapshot().wasmMemoryBytes);
  }
  figures.sequentialSeconds = +((performance.now() - started) / 1000).toFixed(2);
  figures.sequentialCallsPerSecond = Math.round(SEQUENTIAL / figures.sequentialSeconds);
  figures.afterSequential = snapshot();
  figures.sequentialMemoryCheckpoints = checkpoints;
  assert.equal(figures.afterSequential.liveHandles, before.liveHandles, "no JS value stays held by the wasm");
  // Linear memory only grows in 64 KiB pages and never shrinks: after the concurrent peak, a
  // sequential run must not need a single new page.
  assert.ok(
    figures.afterSequential.wasmMemoryBytes <= before.wasmMemoryBytes,
    `wasm memory grew: ${before.wasmMemoryBytes} -> ${checkpoints.join(" -> ")}`,
  );
});
