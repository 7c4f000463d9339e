// memoryStore against the store conformance suite, and what only it promises: bounded memory,
// and expiry without scanning the counters that are still live.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createOtpHandler, memoryStore, verifyOtpToken } from "turkeysms-otp";
import { startSandbox } from "../js/helpers.mjs";
import { runStoreConformance } from "./conformance.js";
import { deliveryOverHttp, guardFlowOver, reportRows } from "./serve.mjs";
import { runVerifyFlow, VERIFY_FLOW_ROWS } from "./verify-flow.js";

describe("memoryStore passes the store conformance suite", async () => {
  for (const row of await runStoreConformance(() => memoryStore(), { shared: false })) {
    test(row.name, () => assert.ok(row.ok, row.detail));
  }
});

test("verify over memoryStore: every branch of /otp/verify (two handlers on one store)", async (t) => {
  const sandbox = await startSandbox({ rateLimit: 1_000_000 });
  const store = memoryStore();
  try {
    const rows = await runVerifyFlow({
      makeHandler: (config) => createOtpHandler({ apiKey: "memory-verify", baseUrl: sandbox.url, store, ...config }),
      sandboxUrl: sandbox.url,
      verifyOtpToken,
      seed: process.pid,
    });
    await reportRows(t, rows, VERIFY_FLOW_ROWS);
  } finally {
    await sandbox.close();
  }
});

test("memory stays bounded, and a full store fails closed: it refuses rather than forgets counts", async () => {
  const store = memoryStore({ maxCounters: 1000 });
  for (let i = 0; i < 1000; i++) await store.reserve([{ key: `k${i}`, limit: 1, windowMs: 60_000 }], i);
  assert.equal(store.size, 1000);
  await assert.rejects(store.reserve([{ key: "new", limit: 1, windowMs: 60_000 }], 1000), /memoryStore is full/);
  assert.equal(store.size, 1000, "nothing was forgotten to make room");
  assert.equal((await store.reserve([{ key: "k0", limit: 1, windowMs: 60_000 }], 1000)).ok, false, "k0 still counts");
  // Expired ones make room again.
  assert.equal((await store.reserve([{ key: "later", limit: 1, windowMs: 60_000 }], 61_000)).ok, true);
  for (let i = 0; i < 1000; i++) await store.putCode(`code:${i}`, `h${i}`, 60_000, 0);
  await assert.rejects(store.putCode("code:new", "h", 60_000, 1), /memoryStore is full/);
  await store.putCode("code:1", "h1-new", 60_000, 1); // a number's own replacement still fits
});

test("expired counters go without a scan of the live ones", async () => {
  const store = memoryStore();
  for (let i = 0; i < 100_000; i++) await store.reserve([{ key: `n${i}`, limit: 1, windowMs: 1000 }], 0);
  assert.equal(store.size, 100_000);
  await store.reserve([{ key: "late", limit: 1, windowMs: 1000 }], 999);
  assert.equal(store.size, 100_001, "nothing expired yet, nothing dropped");
  await store.reserve([{ key: "after", limit: 1, windowMs: 1000 }], 1000);
  assert.equal(store.size, 2, "the 100 000 expired counters are gone");
});

test("delivery over memoryStore: sent through one handler, the sandbox's webhooks into another, over HTTP", async (t) => {
  const store = memoryStore();
  await deliveryOverHttp(t, { storeOf: () => store, apiKey: `delivery-memory-${process.pid}`, seed: process.pid });
});

test("a full memoryStore fails closed for the pumping guard too: a new range's record rejects, nothing is forgotten", async () => {
  const store = memoryStore({ maxCounters: 10 });
  const guard = { minConversion: 0.2, suspendMs: 60_000, list: "ns:guards" };
  const range = (i) => ({ key: `ns:guard:${i}`, limit: 20, windowMs: 60_000, guard });
  for (let i = 0; i < 10; i++) assert.deepEqual(await store.reserve([range(i)], 0), { ok: true });
  assert.equal(store.size, 10);
  await assert.rejects(store.reserve([range(10)], 1), /memoryStore is full/);
  assert.deepEqual(await store.reserve([range(0)], 1), { ok: true }, "a range it holds still counts");
  assert.equal((await store.guardStats("ns:guards", 1)).find((r) => r.key === "ns:guard:0")?.sends, 2);
  assert.equal((await store.guardStats("ns:guards", 1)).length, 10, "nothing was forgotten to make room");
  // Ended ranges make room again, suspended ones only once their suspension ends.
  assert.deepEqual(await store.reserve([range(10)], 60_000), { ok: true });
  assert.equal(store.size, 1);
});

test("the pumping guard over memoryStore: a service and a handler on one store", async (t) => {
  const store = memoryStore();
  await guardFlowOver(t, { storeOf: () => store, apiKey: `guard-memory-${process.pid}`, seed: process.pid });
});
