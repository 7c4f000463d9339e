// TurkeySMS's delivery webhooks into createOtpHandler, and the status route, on memoryStore with
// the sandbox as TurkeySMS. The events are signed here, by this test's own HMAC (node:crypto), as
// TurkeySMS documents: X-TurkeySMS-Signature: sha256=<hex HMAC-SHA256 of the raw body>. Every
// refusal is a test that fails without its check. (tests/stores/ runs the lifecycle with the
// sandbox posting the webhooks itself, on every store.)
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createOtpHandler, createOtpService, getOtpStatus, memoryStore } from "turkeysms-otp";
import { inboxOf, startSandbox, uniqueKey, uniqueMobile } from "./helpers.mjs";

const SECRET = randomBytes(32).toString("base64");
const HOOK_SECRET = "whsec_test_0123456789abcdef";
let sandbox;
before(async () => {
  // No duplicate window: a "send again" after a failure is a new SMS with a new sms_id here. (A
  // TurkeySMS that answers a resend inside its window with the failed SMS's own answer sends
  // nothing, and the failure of that sms_id then frees the number again: the send's record
  // follows its sms_id.)
  sandbox = await startSandbox({ rateLimit: 1_000_000, duplicateWindowMs: 0 });
});
after(() => sandbox.close());

const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const sign = (raw, secret = HOOK_SECRET) => `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
const event = (type, smsId, status, at = Date.now()) =>
  JSON.stringify({ event_type: type, timestamp: iso(at), data: { sms_id: smsId, status } });

function setup(extra = {}) {
  const events = [];
  const store = memoryStore();
  const apiKey = uniqueKey("hooks");
  const handle = createOtpHandler({
    apiKey,
    baseUrl: sandbox.url,
    prefix: "/api",
    store,
    verify: { secret: SECRET },
    webhook: { secret: HOOK_SECRET },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  const post = async (path, body, headers = {}) => {
    const response = await handle(
      new Request(`https://shop.test/api${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
    );
    return { status: response.status, headers: response.headers, ...(await response.json()) };
  };
  /** A webhook as TurkeySMS posts it (signed unless `headers` says otherwise). */
  const hook = (raw, headers = { "X-TurkeySMS-Signature": sign(raw) }) =>
    post("/webhooks/turkeysms", raw, { "X-TurkeySMS-Timestamp": String(Math.floor(Date.now() / 1000)), ...headers });
  /** A send: its id, its number, TurkeySMS's sms_id and the code. */
  const send = async (mobile = uniqueMobile()) => {
    const answer = await post("/otp/send", { mobile });
    assert.equal(answer.result_code, "TS-1024", JSON.stringify(answer));
    const { code, smsId } = (await inboxOf(sandbox, mobile)).at(-1);
    return { id: answer.id, mobile, smsId, code };
  };
  const status = async (id) => (await post("/otp/status", { id })).result_code;
  return { handle, post, hook, send, status, events, store, apiKey };
}

describe("the receiver refuses what TurkeySMS did not send, and changes nothing", () => {
  test("a missing or wrong signature is 401 SIGNATURE_INVALID", async () => {
    const { hook, send, status } = setup();
    const sent = await send();
    const raw = event("sms.failed", sent.smsId, "failed");
    for (const headers of [
      {},
      { "X-TurkeySMS-Signature": sign(raw, "another-secret") },
      { "X-TurkeySMS-Signature": sign(`${raw} `) },
      { "X-TurkeySMS-Signature": sign(raw).replace("sha256=", "sha1=") },
      { "X-TurkeySMS-Signature": "sha256=zz" },
    ]) {
      const answer = await hook(raw, headers);
      assert.equal(answer.status, 401, JSON.stringify(headers));
      assert.equal(answer.result_code, "SIGNATURE_INVALID");
    }
    assert.equal(await status(sent.id), "QUEUED", "nothing changed");
  });

  test("a stale body is refused (4xx) whatever the unsigned header says", async () => {
    const { hook, send, status } = setup();
    const sent = await send();
    const raw = event("sms.failed", sent.smsId, "failed", Date.now() - 6 * 60_000);
    const answer = await hook(raw, {
      "X-TurkeySMS-Signature": sign(raw),
      "X-TurkeySMS-Timestamp": String(Math.floor(Date.now() / 1000)), // renewed: not signed
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.result_code, "EVENT_STALE");
    assert.equal(await status(sent.id), "QUEUED");
  });

  test("the header's format is never a reason to refuse", async () => {
    const { hook, send, status } = setup();
    const sent = await send();
    const raw = event("sms.sent", sent.smsId, "sent");
    for (const timestamp of ["yesterday", "", "2026-05-22T09:14:07Z"]) {
      const answer = await hook(raw, { "X-TurkeySMS-Signature": sign(raw), "X-TurkeySMS-Timestamp": timestamp });
      assert.equal(answer.status, 200, timestamp);
    }
    assert.equal(await status(sent.id), "SENT");
  });

  test("signed but malformed JSON is 400 INVALID_EVENT, not 404", async () => {
    const { hook } = setup();
    for (const raw of ["{not json", "[]", '{"event_type":"sms.sent"}', '{"event_type":1,"timestamp":"x","data":{}}']) {
      const answer = await hook(raw);
      assert.equal(answer.status, 400, raw);
      assert.equal(answer.result_code, "INVALID_EVENT");
    }
  });

  test("server to server: no CORS, no Origin check; only POST", async () => {
    const { hook, handle } = setup();
    const raw = JSON.stringify({ event_type: "key.test", timestamp: iso(), data: {} });
    const answer = await hook(raw, { "X-TurkeySMS-Signature": sign(raw), Origin: "https://evil.example" });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("access-control-allow-origin"), null);
    const preflight = await handle(new Request("https://shop.test/api/webhooks/turkeysms", { method: "OPTIONS" }));
    assert.equal(preflight.status, 405);
  });
});

describe("what the receiver acknowledges", () => {
  test("unknown sms_ids, key.test and otp.verified: 2xx, nothing changes, onEvent hears them", async () => {
    const { hook, events, store } = setup();
    for (const raw of [
      event("sms.failed", 987654321, "failed"),
      JSON.stringify({ event_type: "key.test", timestamp: iso(), data: {} }),
      JSON.stringify({ event_type: "otp.verified", timestamp: iso(), data: { sms_id: 1, status: "verified" } }),
    ]) {
      const answer = await hook(raw);
      assert.equal(answer.status, 200, raw);
      assert.equal(answer.result_code, "ACCEPTED");
    }
    assert.deepEqual(
      events.filter((e) => e.type === "webhook").map((e) => [e.event, e.result]),
      [
        ["sms.failed", "unknown"],
        ["key.test", "notice"],
        ["otp.verified", "notice"],
      ],
    );
    assert.equal(store.size, 0, "an unknown sms_id left nothing behind");
  });

  test("the lifecycle: sent, delivered, and a late sent leaves DELIVERED; an exact duplicate changes nothing", async () => {
    const { hook, send, status } = setup();
    const sent = await send();
    assert.equal(await status(sent.id), "QUEUED");
    await hook(event("sms.sent", sent.smsId, "sent"));
    assert.equal(await status(sent.id), "SENT");
    const delivered = event("sms.delivered", sent.smsId, "delivered");
    await hook(delivered);
    assert.equal(await status(sent.id), "DELIVERED");
    assert.equal((await hook(event("sms.sent", sent.smsId, "sent", Date.now() + 1000))).status, 200);
    assert.equal((await hook(delivered)).status, 200, "a duplicate is acknowledged, so TurkeySMS stops");
    assert.equal(await status(sent.id), "DELIVERED");
  });

  test("sms.failed with status expired is EXPIRED", async () => {
    const { hook, send, status } = setup();
    const sent = await send();
    await hook(event("sms.sent", sent.smsId, "sent"));
    await hook(event("sms.failed", sent.smsId, "expired"));
    assert.equal(await status(sent.id), "EXPIRED");
  });
});

describe("a failed SMS frees the person", () => {
  test("the cooldown is released and the pending code dropped; other counters stay spent; a replay changes nothing", async () => {
    const { hook, send, status, post, events } = setup({ perNumber: { limit: 3 } });
    const first = await send();
    assert.equal((await post("/otp/send", { mobile: first.mobile })).result_code, "COOLDOWN");
    const failed = event("sms.failed", first.smsId, "failed");
    await hook(failed);
    assert.equal(await status(first.id), "FAILED");
    assert.ok(events.some((e) => e.type === "webhook" && e.freed === true));
    assert.equal((await post("/otp/verify", { mobile: first.mobile, code: first.code })).result_code, "CODE_INVALID");
    const second = await send(first.mobile);
    assert.notEqual(second.id, first.id);
    // A replay of the old failure frees nothing now: the second send keeps its cooldown and code.
    await hook(failed);
    await hook(event("sms.failed", first.smsId, "failed", Date.now() + 1000));
    assert.equal((await post("/otp/send", { mobile: first.mobile })).result_code, "COOLDOWN");
    assert.equal(await status(second.id), "QUEUED");
    // The per-number limit counted both sends: 3 per hour leaves one.
    await hook(event("sms.failed", second.smsId, "failed"));
    await send(first.mobile);
    await hook(event("sms.failed", (await inboxOf(sandbox, first.mobile)).at(-1).smsId, "failed"));
    assert.equal((await post("/otp/send", { mobile: first.mobile })).result_code, "NUMBER_LIMIT");
  });
});

describe("only the number's latest send frees it", () => {
  test("a newer send that may have gone out (a timeout) keeps its cooldown when an older send fails", async () => {
    const { hook, send, post, apiKey } = setup({ cooldownMs: 2000, timeoutMs: 300 });
    const older = await send();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await fetch(`${sandbox.url}/sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: apiKey, faults: ["hang"] }),
    });
    const newer = await post("/otp/send", { mobile: older.mobile });
    assert.equal(newer.result_code, "UNAVAILABLE", "timed out: it may have gone out");
    await hook(event("sms.failed", older.smsId, "failed"));
    assert.equal((await post("/otp/send", { mobile: older.mobile })).result_code, "COOLDOWN");
  });
});

describe("the status", () => {
  test("an id never issued is 404 UNKNOWN_ID, malformed or not; the route keeps the page's CORS rules", async () => {
    const { post, handle } = setup();
    for (const id of [randomBytes(16).toString("base64url"), "x", 42, undefined, "a".repeat(300)]) {
      const answer = await post("/otp/status", { id });
      assert.equal(answer.status, 404, String(id));
      assert.equal(answer.result_code, "UNKNOWN_ID");
    }
    const foreign = await handle(
      new Request("https://shop.test/api/otp/status", {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: "https://evil.example" },
        body: JSON.stringify({ id: "x" }),
      }),
    );
    assert.equal(foreign.status, 403);
  });

  test("an id reveals neither the number nor the sms_id", async () => {
    const { send } = setup();
    const sent = await send();
    assert.match(sent.id, /^[\w-]{22}$/);
    assert.ok(!sent.id.includes(String(sent.smsId)) && !sent.id.includes(sent.mobile.slice(-6)));
  });

  test("service.status and service.webhook, with no HTTP", async () => {
    const service = createOtpService({
      apiKey: uniqueKey("svc-hooks"),
      baseUrl: sandbox.url,
      webhook: { secret: HOOK_SECRET },
    });
    const mobile = uniqueMobile();
    const { id } = await service.send({ mobile });
    const { smsId } = (await inboxOf(sandbox, mobile)).at(-1);
    assert.deepEqual(await service.status(id), { id, status: "QUEUED" });
    const raw = event("sms.delivered", smsId, "delivered");
    assert.deepEqual(await service.webhook({ body: raw, headers: { "x-turkeysms-signature": sign(raw) } }), {
      result: "applied",
    });
    assert.deepEqual(await service.status(id), { id, status: "DELIVERED" });
    await assert.rejects(service.webhook({ body: raw, headers: {} }), { code: "SIGNATURE_INVALID", status: 401 });
  });
});

describe("getOtpStatus, the page's call", () => {
  test("asks the handler over HTTP, and refuses a malformed id before any request", async () => {
    const { createServer } = await import("node:http");
    const { getRequestListener } = await import("@hono/node-server");
    const { handle, send } = setup();
    const server = createServer(getRequestListener(handle));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${server.address().port}/api`;
    try {
      const sent = await send();
      assert.deepEqual(await getOtpStatus({ baseUrl, id: sent.id }), { code: "QUEUED", id: sent.id });
      await assert.rejects(getOtpStatus({ baseUrl, id: randomBytes(16).toString("base64url") }), {
        code: "UNKNOWN_ID",
        status: 404,
      });
      await assert.rejects(getOtpStatus({ baseUrl, id: "short" }), {
        code: "INVALID_OPTIONS",
        field: "id",
        attempts: 0,
      });
    } finally {
      server.close();
    }
  });
});
