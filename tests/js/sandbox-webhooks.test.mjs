// The sandbox's webhooks, checked from the outside: a receiver of our own records the raw bytes
// and headers, and every signature is verified here with node:crypto, never with the sandbox's code.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { spawnSandbox, startSandbox } from "../../sandbox/server.mjs";

const SECRET = "whsec-test-0123456789";
const MOBILE = "905321234567";
const DELAYS = [20, 40];
const SANDBOX = fileURLToPath(new URL("../../sandbox/server.mjs", import.meta.url));

/** A receiver on 127.0.0.1:0 recording every post; `respond(hit)` picks the status (200 by default). */
async function startReceiver(respond = () => 200) {
  const hits = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const hit = { at: performance.now(), method: req.method, headers: req.headers, raw, body: raw.toString("utf8") };
      try {
        hit.json = JSON.parse(hit.body);
      } catch {}
      hits.push(hit);
      res.writeHead(respond(hit, hits)).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    hits,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A receiver and a sandbox posting to it, both closed after the test. */
async function setup(t, { respond, ...options } = {}) {
  const receiver = await startReceiver(respond);
  const sandbox = await startSandbox({
    port: 0,
    webhookUrl: receiver.url,
    webhookSecret: SECRET,
    webhookDelaysMs: DELAYS,
    webhookRetryBaseMs: 20,
    ...options,
  });
  t.after(async () => {
    await sandbox.close();
    await receiver.close();
  });
  return { receiver, sandbox };
}

async function post(base, path, body) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function sendOtp(sandbox, body = {}) {
  const r = await post(sandbox.url, "/otp/send", { api_key: "any", mobile: MOBILE, ...body });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.result_code, "TS-1024");
  return r.json;
}

async function queue(sandbox, apiKey, faults) {
  return post(sandbox.url, "/sandbox/faults", { api_key: apiKey, faults });
}

/** Waits until `done(hits)` holds, failing with what arrived if it does not within `ms`. */
async function waitFor(receiver, done, ms = 2000) {
  const until = performance.now() + ms;
  while (!done(receiver.hits)) {
    if (performance.now() > until)
      assert.fail(
        `timed out; received: ${JSON.stringify(
          receiver.hits.map((h) => h.body),
          null,
          1,
        )}`,
      );
    await sleep(5);
  }
}

/** The posts of one SMS, in the order they arrived. */
const of = (receiver, smsId) => receiver.hits.filter((h) => h.json?.data?.sms_id === smsId);
const events = (hits) => hits.map((h) => `${h.json.event_type}/${h.json.data.status}`);

/** Verified here, not by the sandbox: `sha256=` + hex HMAC-SHA256 of the raw bytes with `secret`. */
function verifies(hit, secret = SECRET) {
  const header = hit.headers["x-turkeysms-signature"];
  if (typeof header !== "string") return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(hit.raw).digest("hex")}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

test("a send posts sms.sent then sms.delivered, signed, in the documented shape, after the delays", async (t) => {
  const { receiver, sandbox } = await setup(t);
  const started = performance.now();
  const sent = await sendOtp(sandbox);
  await waitFor(receiver, (h) => h.length >= 2);
  await sleep(DELAYS[1] * 2);
  const hits = of(receiver, sent.sms_id);
  assert.equal(receiver.hits.length, 2, "two events and no more");
  assert.deepEqual(events(hits), ["sms.sent/sent", "sms.delivered/delivered"]);
  assert.ok(hits[0].at - started >= DELAYS[0] - 2, `sms.sent after ${hits[0].at - started} ms`);
  assert.ok(hits[1].at - started >= DELAYS[1] - 2, `sms.delivered after ${hits[1].at - started} ms`);
  for (const hit of hits) {
    assert.equal(hit.method, "POST");
    assert.ok(verifies(hit), `signature ${hit.headers["x-turkeysms-signature"]} over ${hit.body}`);
    assert.match(hit.headers["x-turkeysms-signature"], /^sha256=[0-9a-f]{64}$/);
    assert.ok(!verifies(hit, `${SECRET}!`), "another secret does not verify");
    assert.match(hit.headers["content-type"], /^application\/json/);
    const stamp = hit.headers["x-turkeysms-timestamp"];
    assert.match(stamp, /^\d+$/, "Unix seconds");
    assert.ok(Math.abs(Number(stamp) - Date.now() / 1000) < 5, `header timestamp ${stamp} is now`);
    assert.deepEqual(Object.keys(hit.json), ["event_type", "timestamp", "data"]);
    assert.deepEqual(Object.keys(hit.json.data), ["sms_id", "status"]);
    assert.equal(hit.json.data.sms_id, sent.sms_id, "the envelope's sms_id, same type");
    assert.match(hit.json.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, "ISO 8601 UTC, whole seconds, Z");
    assert.ok(Math.abs(Date.parse(hit.json.timestamp) - Date.now()) < 5000, hit.json.timestamp);
  }
});

test("GET /sandbox/webhooks lists every post (raw body, status, attempt), filters by sms_id; DELETE clears", async (t) => {
  const { receiver, sandbox } = await setup(t);
  const a = await sendOtp(sandbox);
  const b = await sendOtp(sandbox, { mobile: "905321234568" });
  await waitFor(receiver, (h) => h.length >= 4);
  await sleep(20);
  const all = (await (await fetch(`${sandbox.url}/sandbox/webhooks`)).json()).webhooks;
  assert.equal(all.length, 4);
  const mine = (await (await fetch(`${sandbox.url}/sandbox/webhooks?sms_id=${a.sms_id}`)).json()).webhooks;
  assert.deepEqual(
    mine.map((w) => w.event_type),
    ["sms.sent", "sms.delivered"],
  );
  for (const w of mine) {
    assert.deepEqual(Object.keys(w).sort(), [
      "at",
      "attempt",
      "body",
      "event_type",
      "fault",
      "sms_id",
      "status",
      "url",
    ]);
    assert.equal(w.url, receiver.url);
    assert.equal(w.status, 200);
    assert.equal(w.attempt, 1);
    assert.equal(w.fault, null);
    assert.equal(typeof w.at, "number");
    assert.ok(
      receiver.hits.some((h) => h.body === w.body),
      "the recorded body is the raw string received",
    );
    assert.equal(JSON.parse(w.body).data.sms_id, a.sms_id);
  }
  const theirs = (await (await fetch(`${sandbox.url}/sandbox/webhooks?sms_id=${b.sms_id}`)).json()).webhooks;
  assert.equal(theirs.length, 2);
  assert.ok(theirs.every((w) => JSON.parse(w.body).data.sms_id === b.sms_id));
  assert.equal((await fetch(`${sandbox.url}/sandbox/webhooks`, { method: "DELETE" })).status, 200);
  assert.deepEqual((await (await fetch(`${sandbox.url}/sandbox/webhooks`)).json()).webhooks, []);
});

/** Queues `faults` for a key, sends once with it, and resolves to that send's posts once settled. */
async function lifecycleWith(t, faults, expectedPosts, options) {
  const { receiver, sandbox } = await setup(t, options);
  const key = `key-${faults.join("-")}`;
  const queued = await queue(sandbox, key, faults);
  assert.equal(queued.status, 200, JSON.stringify(queued.json));
  const sent = await sendOtp(sandbox, { api_key: key });
  await waitFor(receiver, (h) => h.length >= expectedPosts);
  await sleep(DELAYS[1] * 2);
  const hits = of(receiver, sent.sms_id);
  assert.equal(receiver.hits.length, expectedPosts, JSON.stringify(events(receiver.hits)));
  return { hits, sent, receiver, sandbox, key };
}

test("webhook-failed: sms.sent, then sms.failed with status failed", async (t) => {
  const { hits, sandbox, sent } = await lifecycleWith(t, ["webhook-failed"], 2);
  assert.deepEqual(events(hits), ["sms.sent/sent", "sms.failed/failed"]);
  assert.ok(hits.every((h) => verifies(h)));
  const listed = (await (await fetch(`${sandbox.url}/sandbox/webhooks?sms_id=${sent.sms_id}`)).json()).webhooks;
  assert.ok(
    listed.every((w) => JSON.stringify(w.fault) === '["webhook-failed"]'),
    JSON.stringify(listed),
  );
});

test("webhook-queued-failed: only sms.failed with status failed", async (t) => {
  const { hits } = await lifecycleWith(t, ["webhook-queued-failed"], 1);
  assert.deepEqual(events(hits), ["sms.failed/failed"]);
  assert.ok(verifies(hits[0]));
});

test("webhook-expired: sms.sent, then sms.failed with status expired", async (t) => {
  const { hits } = await lifecycleWith(t, ["webhook-expired"], 2);
  assert.deepEqual(events(hits), ["sms.sent/sent", "sms.failed/expired"]);
  assert.ok(hits.every((h) => verifies(h)));
});

test("webhook-duplicate: every event arrives twice, the identical bytes and signature", async (t) => {
  const { hits } = await lifecycleWith(t, ["webhook-duplicate"], 4);
  assert.deepEqual(events(hits).sort(), [
    "sms.delivered/delivered",
    "sms.delivered/delivered",
    "sms.sent/sent",
    "sms.sent/sent",
  ]);
  for (const type of ["sms.sent", "sms.delivered"]) {
    const pair = hits.filter((h) => h.json.event_type === type);
    assert.ok(pair[0].raw.equals(pair[1].raw), `${type}: identical raw bodies`);
    assert.equal(pair[0].headers["x-turkeysms-signature"], pair[1].headers["x-turkeysms-signature"]);
    assert.ok(verifies(pair[0]) && verifies(pair[1]));
  }
});

test("webhook-out-of-order: sms.delivered arrives before sms.sent", async (t) => {
  const { hits } = await lifecycleWith(t, ["webhook-out-of-order"], 2);
  assert.deepEqual(events(hits), ["sms.delivered/delivered", "sms.sent/sent"]);
  assert.ok(hits.every((h) => verifies(h)));
});

test("webhook-bad-signature: a well-formed signature that does not verify with the secret", async (t) => {
  const { hits } = await lifecycleWith(t, ["webhook-bad-signature"], 2);
  for (const hit of hits) {
    assert.match(hit.headers["x-turkeysms-signature"], /^sha256=[0-9a-f]{64}$/);
    assert.equal(verifies(hit), false, "must not verify with the real secret");
    assert.ok(verifies(hit, `${SECRET}x`), "it is signed, with the wrong secret");
  }
});

test("webhook-stale: the body's timestamp is 10 minutes old, signed correctly, the header's current", async (t) => {
  const { hits } = await lifecycleWith(t, ["webhook-stale"], 2);
  for (const hit of hits) {
    assert.ok(verifies(hit));
    const age = Date.now() - Date.parse(hit.json.timestamp);
    assert.ok(age >= 10 * 60_000 && age < 11 * 60_000, `the body's timestamp is ${age} ms old`);
    assert.ok(Math.abs(Number(hit.headers["x-turkeysms-timestamp"]) - Date.now() / 1000) < 5);
  }
});

test("webhook-no-signature: no X-TurkeySMS-Signature header, the rest as usual", async (t) => {
  const { hits, sent } = await lifecycleWith(t, ["webhook-no-signature"], 2);
  assert.deepEqual(events(hits), ["sms.sent/sent", "sms.delivered/delivered"]);
  for (const hit of hits) {
    assert.equal(hit.headers["x-turkeysms-signature"], undefined);
    assert.match(hit.headers["x-turkeysms-timestamp"], /^\d+$/);
    assert.equal(hit.json.data.sms_id, sent.sms_id);
  }
});

test("webhook faults combine on one send, are used up by it, and stay with their key", async (t) => {
  const { hits, sandbox, receiver, key } = await lifecycleWith(t, ["webhook-failed", "webhook-duplicate"], 4);
  assert.deepEqual(events(hits).sort(), ["sms.failed/failed", "sms.failed/failed", "sms.sent/sent", "sms.sent/sent"]);
  const failed = hits.filter((h) => h.json.event_type === "sms.failed");
  assert.ok(failed[0].raw.equals(failed[1].raw));

  // Used up: the same key's next send has the plain lifecycle.
  const next = await sendOtp(sandbox, { api_key: key, mobile: "905321234569" });
  await waitFor(receiver, () => of(receiver, next.sms_id).length >= 2);
  await sleep(DELAYS[1] * 2);
  assert.deepEqual(events(of(receiver, next.sms_id)), ["sms.sent/sent", "sms.delivered/delivered"]);

  // Another key's send is not touched by faults queued for this one.
  await queue(sandbox, key, ["webhook-expired"]);
  const other = await sendOtp(sandbox, { api_key: "other", mobile: "905321234570" });
  await waitFor(receiver, () => of(receiver, other.sms_id).length >= 2);
  await sleep(DELAYS[1] * 2);
  assert.deepEqual(events(of(receiver, other.sms_id)), ["sms.sent/sent", "sms.delivered/delivered"]);
  const own = await sendOtp(sandbox, { api_key: key, mobile: "905321234571" });
  await waitFor(receiver, () => of(receiver, own.sms_id).length >= 2);
  assert.deepEqual(events(of(receiver, own.sms_id)), ["sms.sent/sent", "sms.failed/expired"]);

  // Two lifecycles for one send cannot be queued.
  const clash = await queue(sandbox, "clash", ["webhook-failed", "webhook-expired"]);
  assert.equal(clash.status, 400);
});

test("an answer fault queued with a webhook fault still hits the next request; the webhook fault the next send", async (t) => {
  const { sandbox, receiver } = await setup(t);
  const queued = await queue(sandbox, "mixed", ["html-500", "webhook-expired"]);
  assert.equal(queued.status, 200);
  const broken = await fetch(`${sandbox.url}/otp/send`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ api_key: "mixed", mobile: MOBILE }),
  });
  assert.equal(broken.status, 500);
  assert.match(broken.headers.get("content-type"), /text\/html/);
  await broken.text();
  await sleep(DELAYS[1] * 2);
  assert.equal(receiver.hits.length, 0, "a failed request posts nothing");
  const sent = await sendOtp(sandbox, { api_key: "mixed" });
  await waitFor(receiver, (h) => h.length >= 2);
  assert.deepEqual(events(of(receiver, sent.sms_id)), ["sms.sent/sent", "sms.failed/expired"]);
});

test("the key sandbox-webhook-<fault> applies it to every send of that key", async (t) => {
  const { sandbox, receiver } = await setup(t);
  const first = await sendOtp(sandbox, { api_key: "sandbox-webhook-queued-failed" });
  const second = await sendOtp(sandbox, { api_key: "sandbox-webhook-queued-failed", mobile: "905321234572" });
  await waitFor(receiver, (h) => h.length >= 2);
  await sleep(DELAYS[1] * 2);
  assert.deepEqual(events(of(receiver, first.sms_id)), ["sms.failed/failed"]);
  assert.deepEqual(events(of(receiver, second.sms_id)), ["sms.failed/failed"]);
});

test("retries: 500, 500, then 200 → three attempts of the same bytes, spaced increasingly", async (t) => {
  const base = 40;
  let refused = 0;
  const { sandbox, receiver } = await setup(t, {
    webhookRetryBaseMs: base,
    webhookDelaysMs: [10, 10],
    respond: (hit) => (hit.json?.event_type === "sms.sent" && refused++ < 2 ? 500 : 200),
  });
  const sent = await sendOtp(sandbox);
  await waitFor(receiver, (h) => h.filter((x) => x.json.event_type === "sms.sent").length >= 3);
  await sleep(base * 5);
  const tries = of(receiver, sent.sms_id).filter((h) => h.json.event_type === "sms.sent");
  assert.equal(tries.length, 3, "no fourth attempt after the 200");
  assert.ok(tries[1].raw.equals(tries[0].raw) && tries[2].raw.equals(tries[0].raw), "the same raw body");
  assert.ok(tries.every((h) => h.headers["x-turkeysms-signature"] === tries[0].headers["x-turkeysms-signature"]));
  assert.ok(tries.every((h) => verifies(h)));
  const gaps = [tries[1].at - tries[0].at, tries[2].at - tries[1].at];
  assert.ok(gaps[0] >= base - 2, `first retry after ${gaps[0]} ms`);
  assert.ok(gaps[1] >= 2 * base - 2, `second retry after ${gaps[1]} ms`);
  assert.ok(gaps[1] > gaps[0], `increasing: ${gaps}`);
  const listed = (await (await fetch(`${sandbox.url}/sandbox/webhooks?sms_id=${sent.sms_id}`)).json()).webhooks;
  const sentLog = listed.filter((w) => w.event_type === "sms.sent");
  assert.deepEqual(
    sentLog.map((w) => [w.attempt, w.status]),
    [
      [1, 500],
      [2, 500],
      [3, 200],
    ],
  );
  assert.ok(sentLog.every((w) => w.body === sentLog[0].body));
  assert.deepEqual(events(of(receiver, sent.sms_id).filter((h) => h.json.event_type === "sms.delivered")), [
    "sms.delivered/delivered",
  ]);
});

test("retries stop after webhookMaxAttempts; a network error is recorded with status null", async (t) => {
  const { sandbox, receiver } = await setup(t, {
    webhookRetryBaseMs: 5,
    webhookMaxAttempts: 3,
    respond: () => 503,
  });
  const sent = await sendOtp(sandbox);
  await waitFor(receiver, (h) => h.length >= 6);
  await sleep(150);
  assert.equal(receiver.hits.length, 6, "three attempts of each of the two events");
  assert.equal(of(receiver, sent.sms_id).length, 6);

  // Nothing listens here: the first receiver, closed.
  const gone = await startReceiver();
  await gone.close();
  const offline = await startSandbox({
    webhookUrl: gone.url,
    webhookSecret: SECRET,
    webhookDelaysMs: [0, 0],
    webhookRetryBaseMs: 5,
    webhookMaxAttempts: 2,
  });
  t.after(() => offline.close());
  const lost = await sendOtp(offline);
  const until = performance.now() + 2000;
  while (offline.state.webhooks.length < 4 && performance.now() < until) await sleep(5);
  await sleep(100);
  const log = (await (await fetch(`${offline.url}/sandbox/webhooks?sms_id=${lost.sms_id}`)).json()).webhooks;
  assert.equal(log.length, 4, JSON.stringify(log));
  assert.ok(log.every((w) => w.status === null));
  assert.deepEqual(log.map((w) => w.attempt).sort(), [1, 1, 2, 2]);
});

test("a duplicate send inside the duplicate window posts no new lifecycle and keeps queued webhook faults", async (t) => {
  const { sandbox, receiver } = await setup(t, { duplicateWindowMs: 5000 });
  const first = await sendOtp(sandbox, { api_key: "dup" });
  await queue(sandbox, "dup", ["webhook-expired"]);
  const again = await sendOtp(sandbox, { api_key: "dup" });
  assert.equal(again.sms_id, first.sms_id, "the duplicate answers as the original");
  await waitFor(receiver, (h) => h.length >= 2);
  await sleep(DELAYS[1] * 3);
  assert.equal(receiver.hits.length, 2, JSON.stringify(events(receiver.hits)));
  assert.deepEqual(events(receiver.hits), ["sms.sent/sent", "sms.delivered/delivered"]);
  const next = await sendOtp(sandbox, { api_key: "dup", mobile: "905321234573" });
  await waitFor(receiver, () => of(receiver, next.sms_id).length >= 2);
  assert.deepEqual(events(of(receiver, next.sms_id)), ["sms.sent/sent", "sms.failed/expired"]);
});

test("POST /sandbox/webhooks/test posts key.test and otp.verified now, signed", async (t) => {
  const { sandbox, receiver } = await setup(t);
  const keyTest = await post(sandbox.url, "/sandbox/webhooks/test", { event_type: "key.test" });
  assert.equal(keyTest.status, 200);
  assert.equal(keyTest.json.webhook.status, 200);
  assert.equal(receiver.hits.length, 1, "posted before the answer");
  assert.deepEqual(receiver.hits[0].json.data, {});
  assert.equal(receiver.hits[0].json.event_type, "key.test");
  assert.equal(keyTest.json.webhook.body, receiver.hits[0].body);
  const verified = await post(sandbox.url, "/sandbox/webhooks/test", {
    event_type: "otp.verified",
    sms_id: 1000000077,
  });
  assert.equal(verified.status, 200);
  const hit = receiver.hits[1];
  assert.deepEqual(hit.json.data, { sms_id: 1000000077, status: "verified" });
  assert.equal(hit.json.event_type, "otp.verified");
  assert.match(hit.json.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(receiver.hits.every((h) => verifies(h)));
  for (const bad of [{ event_type: "sms.sent", sms_id: 1 }, { event_type: "otp.verified" }, {}]) {
    assert.equal((await post(sandbox.url, "/sandbox/webhooks/test", bad)).status, 400, JSON.stringify(bad));
  }
  assert.equal(receiver.hits.length, 2);
  const plain = await startSandbox();
  t.after(() => plain.close());
  assert.equal((await post(plain.url, "/sandbox/webhooks/test", { event_type: "key.test" })).status, 409);
});

test("close() cancels the posts still scheduled", async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const sandbox = await startSandbox({ webhookUrl: receiver.url, webhookSecret: SECRET, webhookDelaysMs: [30, 60] });
  await sendOtp(sandbox);
  await sandbox.close();
  await sleep(150);
  assert.equal(receiver.hits.length, 0);
});

test("close() clears every timer: a process with a post and a retry still scheduled exits by itself", async () => {
  // 61234 ms marks the sandbox's own timers (the second event, and the retry of the first, answered
  // 500); an async hook counts those not yet cleared. Uncleared, they would also hold the process.
  const script = `
    import { createHook } from "node:async_hooks";
    import { createServer } from "node:http";
    import { startSandbox } from ${JSON.stringify(SANDBOX)};
    const live = new Set();
    createHook({
      init(id, type, _t, timer) { if (type === "Timeout" && timer._idleTimeout === 61234) live.add(id); },
      destroy(id) { live.delete(id); },
    }).enable();
    let hits = 0;
    const receiver = createServer((req, res) => { hits++; req.resume(); res.writeHead(500).end(); });
    await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
    const sandbox = await startSandbox({
      webhookUrl: "http://127.0.0.1:" + receiver.address().port + "/",
      webhookSecret: "s",
      webhookDelaysMs: [0, 61234],
      webhookRetryBaseMs: 61234,
    });
    await fetch(sandbox.url + "/otp/send", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: "any", mobile: "905321234567" }),
    });
    while (sandbox.state.webhooks.length === 0) await new Promise((r) => setTimeout(r, 5));
    const before = live.size;
    await sandbox.close();
    receiver.close();
    await new Promise((r) => setImmediate(r));
    console.log("posts " + hits + ", timers before close " + before + ", after " + live.size);
  `;
  const started = performance.now();
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  const killer = setTimeout(() => child.kill(), 10_000);
  const code = await new Promise((resolve) => child.on("exit", (c, signal) => resolve(signal ?? c)));
  clearTimeout(killer);
  assert.equal(code, 0, out);
  assert.match(out, /posts 1, timers before close 2, after 0/);
  assert.ok(performance.now() - started < 8000, "it did not wait for the 61 s timers");
});

test("CLI: --webhook-url, --webhook-secret and --webhook-delays-ms", async (t) => {
  const receiver = await startReceiver();
  t.after(() => receiver.close());
  const cli = await spawnSandbox([
    "--webhook-url",
    receiver.url,
    "--webhook-secret",
    "cli-secret",
    "--webhook-delays-ms",
    "10,30",
  ]);
  t.after(() => cli.stop());
  const sent = await sendOtp({ url: cli.url });
  await waitFor(receiver, (h) => h.length >= 2);
  assert.deepEqual(events(of(receiver, sent.sms_id)), ["sms.sent/sent", "sms.delivered/delivered"]);
  assert.ok(receiver.hits.every((h) => verifies(h, "cli-secret")));
  const about = await (await fetch(cli.url)).json();
  assert.equal(about.webhooks.url, receiver.url);
  assert.deepEqual(about.webhooks.delaysMs, [10, 30]);
});

test("GET / lists the webhook endpoints and every webhook fault; bad webhook options are refused", async () => {
  const sandbox = await startSandbox();
  try {
    const about = await (await fetch(sandbox.url)).json();
    for (const endpoint of ["GET /sandbox/webhooks", "DELETE /sandbox/webhooks", "POST /sandbox/webhooks/test"])
      assert.ok(about.endpoints.includes(endpoint), endpoint);
    for (const fault of [
      "webhook-failed",
      "webhook-queued-failed",
      "webhook-expired",
      "webhook-duplicate",
      "webhook-out-of-order",
      "webhook-bad-signature",
      "webhook-stale",
      "webhook-no-signature",
    ])
      assert.equal(typeof about.faults[fault], "string", fault);
    assert.equal(about.webhooks.url, null);
    assert.deepEqual(about.webhooks.events, ["sms.sent", "sms.delivered", "sms.failed", "key.test", "otp.verified"]);
  } finally {
    await sandbox.close();
  }
  await assert.rejects(startSandbox({ webhookUrl: "http://example.com/hook", webhookSecret: "s" }), TypeError);
  await assert.rejects(startSandbox({ webhookUrl: "http://127.0.0.1:9/hook" }), TypeError);
  await assert.rejects(
    startSandbox({ webhookUrl: "http://127.0.0.1:9/hook", webhookSecret: "s", webhookDelaysMs: [1] }),
    TypeError,
  );
});

test("setWebhook after the start turns the webhooks on, the test route included", async () => {
  const bodies = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      bodies.push(body);
      res.end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const sandbox = await startSandbox({ port: 0 });
  try {
    const before = await fetch(`${sandbox.url}/sandbox/webhooks/test`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ event_type: "key.test" }),
    });
    assert.equal(before.status, 409, "no webhook URL yet");
    sandbox.setWebhook({ url: `http://127.0.0.1:${receiver.address().port}/hook`, secret: "s3cret" });
    const after = await fetch(`${sandbox.url}/sandbox/webhooks/test`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ event_type: "key.test" }),
    });
    assert.equal(after.status, 200);
    assert.equal(JSON.parse(bodies[0]).event_type, "key.test");
    assert.throws(() => sandbox.setWebhook({ url: "http://192.0.2.1/hook", secret: "s" }), /loopback/);
  } finally {
    await sandbox.close();
    receiver.close();
  }
});
