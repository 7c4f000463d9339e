#!/usr/bin/env node
// A local stand-in for the TurkeySMS V4 OTP API, for the demo, the tests, and anyone without an
// account. It follows TurkeySMS's documented V4 behaviour (docs/TURKEYSMS.md in the repository) with its own checks: it never uses the SDK's rules, so the
// tests that run against it prove the SDK right instead of agreeing with themselves.
//
//   node sandbox/server.mjs [--port 8910] [--host 127.0.0.1] [--rate-limit 100000] [--duplicate-window-ms 10000] [--no-otp-code]
//     [--webhook-url http://127.0.0.1:3000/hook --webhook-secret S] [--webhook-delays-ms 100,200]
//     [--webhook-retry-base-ms 100] [--webhook-max-attempts 5]
//
// Endpoints: POST /otp/send, POST /otp/detailed (as TurkeySMS); GET /; GET|DELETE /sandbox/messages,
// /sandbox/requests, /sandbox/webhooks; POST /sandbox/faults; POST /sandbox/webhooks/test.
//
// Webhooks (only with --webhook-url, which must be a loopback address): every SMS delivered to the
// inbox posts its lifecycle to the URL, signed as TurkeySMS documents: `sms.sent` after the first
// delay and `sms.delivered` after the second (both counted from the send), each
//   POST <url>  Content-Type: application/json
//               X-TurkeySMS-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>
//               X-TurkeySMS-Timestamp: <Unix time in seconds>
//   {"event_type":"sms.sent","timestamp":"2026-05-22T09:14:07Z","data":{"sms_id":1000000001,"status":"sent"}}
// A post answered other than 2xx (or failing on the network) is posted again, the same bytes,
// after 100, 200, 400 … ms, 5 attempts in all. Each attempt is listed by GET /sandbox/webhooks.
// The `webhook-*` faults below change the lifecycle of one send. SANDBOX_WEBHOOK_URL and
// SANDBOX_WEBHOOK_SECRET may stand for the two flags (a secret in argv is visible to `ps`).
//
// Zero dependencies, plain Node: it starts in tens of milliseconds wherever the package's own
// users already have Node, with nothing to compile.

import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { realpathSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

/** Reserved API keys that make the sandbox answer a documented failure, every time. */
export const TRIGGER_KEYS = {
  "sandbox-invalid-key": { status: 401, code: "TS-1031", message: "Invalid API key." },
  "sandbox-no-balance": { status: 403, code: "TS-1027", message: "Insufficient balance." },
  "sandbox-no-permission": {
    status: 403,
    code: "TS-1065",
    message: "This API key lacks permission for this operation.",
  },
  "sandbox-no-post": { status: 403, code: "TS-1061", message: "POST permission is not enabled for this API key." },
  "sandbox-rate-limited": { status: 403, code: "TS-1060", message: "Per-minute rate limit exceeded." },
  "sandbox-no-international": {
    status: 403,
    code: "TS-1032",
    message: "International SMS is not enabled for this account.",
  },
  "sandbox-server-error": { fault: "html-500" },
  "sandbox-bad-gateway": { fault: "html-502" },
};

/** A Sender ID (title) that exists but is not active. */
export const INACTIVE_TITLE = "INACTIVE";

/**
 * Faults, each reachable as the API key `sandbox-<fault>` (every request) or queued for one key
 * with POST /sandbox/faults (the next requests, once each). The `webhook-*` faults do not change the
 * answer: all of them queued for a key apply together to its next successful send (one that
 * delivered an SMS, not a duplicate) and are used up by it; as the key `sandbox-webhook-*` one
 * applies to every send.
 */
export const FAULTS = {
  "html-500": "HTTP 500 with an HTML body",
  "html-502": "HTTP 502 with an HTML body",
  "html-503": "HTTP 503 with an HTML body",
  hang: "accepts the request and never answers",
  "slow-drip": "sends 200 and headers, then one byte every 200 ms for a minute",
  reset: "closes the connection before any header",
  "reset-after-headers": "sends 200 and headers, then closes the connection",
  "not-json": "200 with a plain-text body",
  "not-envelope": "200 with JSON that is not the envelope",
  "json-array": "200 with a JSON array",
  "wrong-types": '200 with {"result":"yes","result_code":1024}',
  "huge-body": "200 with a 10 MB JSON body",
  "wrong-content-type": "the success envelope, labelled text/html",
  "rate-limited": "403 TS-1060",
  "bare-success": '200 {"result":true,"result_code":"TS-1024"} and nothing else',
  "unknown-code": "400 with a TS code nobody documents (TS-1999)",
  "otp-code": "200 success that also returns the code as otp_code, as V3 did",
  "echo-key":
    "401 TS-1031 whose message and body echo the key: as sent, URL-encoded, upper- and lower-cased, and cut short",
  "webhook-failed": "webhooks: sms.sent, then sms.failed with status failed (sent → failed)",
  "webhook-queued-failed": "webhooks: only sms.failed with status failed (queued → failed)",
  "webhook-expired": "webhooks: sms.sent, then sms.failed with status expired (sent → expired)",
  "webhook-duplicate": "webhooks: every event of the send is posted twice, the identical bytes",
  "webhook-out-of-order": "webhooks: the last event (sms.delivered or sms.failed) is posted before sms.sent",
  "webhook-bad-signature": "webhooks: signed with a wrong secret (the secret followed by x)",
  "webhook-stale":
    "webhooks: the body's timestamp is 10 minutes in the past (signed correctly; the header's timestamp is current)",
  "webhook-no-signature": "webhooks: no X-TurkeySMS-Signature header",
};

/** The webhook faults that choose the lifecycle: at most one of them per send. */
const LIFECYCLE_FAULTS = ["webhook-failed", "webhook-queued-failed", "webhook-expired"];

/** Whether a fault changes the webhooks of a send rather than the answer to a request. */
const isWebhookFault = (name) => name.startsWith("webhook-");

/** The events POST /sandbox/webhooks/test posts. */
const TEST_EVENTS = ["key.test", "otp.verified"];

/** The fault a key always triggers, if any. */
function faultOfKey(key) {
  if (TRIGGER_KEYS[key]?.fault) return TRIGGER_KEYS[key].fault;
  const name = key.startsWith("sandbox-") ? key.slice(8) : "";
  return Object.hasOwn(FAULTS, name) && !isWebhookFault(name) ? name : undefined;
}

/** The webhook fault a key applies to every send, if any. */
function webhookFaultOfKey(key) {
  const name = key.startsWith("sandbox-") ? key.slice(8) : "";
  return Object.hasOwn(FAULTS, name) && isWebhookFault(name) ? name : undefined;
}

const STANDARD_TEMPLATES = [
  "Your verification code is CODE. Do not share it with anyone.",
  "Doğrulama kodunuz: CODE. Bu kodu kimseyle paylaşmayın.",
  "رمز التحقق الخاص بك هو CODE. لا تشاركه مع أي شخص.",
];

const GSM7 =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED = "^{}\\[~]|€\f";

/** How many SMS TurkeySMS would bill for this text (number_of_sms). */
export function countSegments(text) {
  let septets = 0;
  let unicode = false;
  for (const ch of text) {
    if (GSM7.includes(ch)) septets += 1;
    else if (GSM7_EXTENDED.includes(ch)) septets += 2;
    else unicode = true;
  }
  if (unicode) {
    const units = text.length; // UTF-16 code units
    return units <= 70 ? 1 : Math.ceil(units / 67);
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

/**
 * The sandbox's own defaults: requests per key per minute, the duplicate window, and the webhooks'
 * timing (sms.sent and the last event after these many ms from the send; retries after base,
 * 2 × base, 4 × base … ms, this many attempts in all).
 */
const SETTINGS = {
  rateLimit: 100_000,
  duplicateWindowMs: 10_000,
  webhookDelaysMs: [100, 200],
  webhookRetryBaseMs: 100,
  webhookMaxAttempts: 5,
};

/** How long one webhook post may take before it counts as a network error. */
const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * Starts the sandbox. Resolves to { url, port, close(), setWebhook({ url, secret }), state };
 * rejects on a bad webhook option. setWebhook points the webhooks at a receiver known only once
 * it has started (it throws on the same mistakes). close() also cancels every webhook post still
 * scheduled and aborts those under way.
 * @param {{ port?: number, host?: string, rateLimit?: number, duplicateWindowMs?: number, otpCode?: boolean,
 *   keepAlive?: boolean, webhookUrl?: string, webhookSecret?: string, webhookDelaysMs?: number[],
 *   webhookRetryBaseMs?: number, webhookMaxAttempts?: number }} [config]
 */
export function startSandbox(config = {}) {
  const settings = {
    host: config.host ?? "127.0.0.1",
    port: config.port ?? 0,
    rateLimit: config.rateLimit ?? SETTINGS.rateLimit,
    duplicateWindowMs: config.duplicateWindowMs ?? SETTINGS.duplicateWindowMs,
    // V3 returned the code it sent as otp_code; V4 does not document it. On by default so that
    // createOtpHandler's verify works here; --no-otp-code shows what happens without it.
    otpCode: config.otpCode ?? true,
    // Off for fault tests: browsers and Deno silently resend a request whose reused connection
    // was reset, so a reset is only observable on a connection that was never used before.
    keepAlive: config.keepAlive ?? true,
    webhookUrl: config.webhookUrl ?? null,
    webhookSecret: config.webhookSecret ?? null,
    webhookDelaysMs: config.webhookDelaysMs ?? SETTINGS.webhookDelaysMs,
    webhookRetryBaseMs: config.webhookRetryBaseMs ?? SETTINGS.webhookRetryBaseMs,
    webhookMaxAttempts: config.webhookMaxAttempts ?? SETTINGS.webhookMaxAttempts,
  };
  const problem = checkWebhookSettings(settings);
  if (problem) return Promise.reject(new TypeError(`startSandbox: ${problem}`));
  const state = {
    messages: [], // delivered SMS
    requests: [], // every OTP request received, delivered or not
    webhooks: [], // every webhook post attempted: { at, url, event_type, sms_id, body, status, attempt, fault }
    nextSmsId: 1000000001,
    faults: new Map(), // api key -> queued fault names (those that change the answer)
    webhookFaults: new Map(), // api key -> queued webhook-* fault names, all for its next successful send
    minuteCounters: new Map(), // api key -> { minute, count }
    recent: new Map(), // fingerprint -> { at, response }
  };
  const sockets = new Set();
  const hanging = new Set();
  const webhooks = createWebhooks(settings, state);

  const server = createServer((req, res) => {
    if (!settings.keepAlive) res.shouldKeepAlive = false;
    handle(req, res, settings, state, hanging, webhooks).catch((error) => {
      if (!res.headersSent)
        send(res, 500, { result: false, result_code: "TS-1099", result_message: `Sandbox error: ${error.message}` });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => {
      const { port } = server.address();
      const host = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
      resolve({
        url: `http://${host}:${port}`,
        port,
        state,
        setWebhook: ({ url, secret }) => {
          const next = { ...settings, webhookUrl: url ?? null, webhookSecret: secret ?? null };
          const wrong = checkWebhookSettings(next);
          if (wrong) throw new TypeError(`setWebhook: ${wrong}`);
          Object.assign(settings, { webhookUrl: next.webhookUrl, webhookSecret: next.webhookSecret });
        },
        close: () =>
          new Promise((done) => {
            webhooks.close();
            for (const res of hanging) res.destroy();
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** What is wrong with the webhook settings, or null. */
function checkWebhookSettings({ webhookUrl, webhookSecret, webhookDelaysMs, webhookRetryBaseMs, webhookMaxAttempts }) {
  const isDelay = (n) => typeof n === "number" && Number.isFinite(n) && n >= 0;
  if (!Array.isArray(webhookDelaysMs) || webhookDelaysMs.length !== 2 || !webhookDelaysMs.every(isDelay))
    return "webhookDelaysMs must be two numbers of ms: [sent, delivered]";
  if (!isDelay(webhookRetryBaseMs)) return "webhookRetryBaseMs must be a number of ms";
  if (!Number.isInteger(webhookMaxAttempts) || webhookMaxAttempts < 1)
    return "webhookMaxAttempts must be a whole number, at least 1";
  if (webhookUrl === null) return null;
  let url;
  try {
    url = new URL(webhookUrl);
  } catch {
    return "webhookUrl must be a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "webhookUrl must be http: or https:";
  if (!/^127\.\d+\.\d+\.\d+$/.test(url.hostname) && url.hostname !== "[::1]" && url.hostname !== "localhost")
    return "webhookUrl must be a loopback address (127.0.0.1, [::1] or localhost): the sandbox posts nowhere else";
  if (typeof webhookSecret !== "string" || webhookSecret.length === 0)
    return "webhookSecret must be a non-empty string when webhookUrl is set";
  return null;
}

/** A time as the webhook body carries it: ISO 8601 UTC, whole seconds, with Z. */
function isoSeconds(ms) {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * The webhook poster: schedules each send's lifecycle, signs, posts with the global fetch, retries,
 * and records every attempt in state.webhooks. Its timers are unref'd and close() clears them.
 */
function createWebhooks(settings, state) {
  const timers = new Set();
  const underWay = new Set(); // AbortControllers of posts not yet answered
  let closed = false;

  const later = (ms, work) => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) work();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  /** Posts one body once; records and resolves to the attempt's record, or null once closed. */
  const post = async (delivery, attempt) => {
    const controller = new AbortController();
    underWay.add(controller);
    const timeout = setTimeout(() => controller.abort(), WEBHOOK_TIMEOUT_MS);
    timeout.unref();
    const headers = {
      "Content-Type": "application/json",
      "X-TurkeySMS-Timestamp": String(Math.floor(Date.now() / 1000)),
    };
    if (delivery.signature !== null) headers["X-TurkeySMS-Signature"] = delivery.signature;
    const at = Date.now();
    let status = null;
    try {
      const response = await fetch(settings.webhookUrl, {
        method: "POST",
        headers,
        body: delivery.bytes,
        redirect: "manual",
        signal: controller.signal,
      });
      status = response.status;
      await response.arrayBuffer().catch(() => {});
    } catch {
      status = null;
    } finally {
      clearTimeout(timeout);
      underWay.delete(controller);
    }
    if (closed) return null;
    const record = {
      at,
      url: settings.webhookUrl,
      event_type: delivery.eventType,
      sms_id: delivery.smsId,
      body: delivery.body,
      status,
      attempt,
      fault: delivery.fault,
    };
    state.webhooks.push(record);
    return record;
  };

  /** Posts until a 2xx or the last attempt: base, 2 × base, 4 × base … ms apart. */
  const deliver = async (delivery, attempt = 1) => {
    const record = await post(delivery, attempt);
    if (record === null || (record.status !== null && record.status >= 200 && record.status < 300)) return record;
    if (attempt < settings.webhookMaxAttempts)
      later(settings.webhookRetryBaseMs * 2 ** (attempt - 1), () => deliver(delivery, attempt + 1));
    return record;
  };

  /** One event's delivery: its raw body, built once, and its signature, so a retry repeats both. */
  const prepare = (eventType, smsId, data, faults = []) => {
    const stale = faults.includes("webhook-stale") ? 10 * 60_000 : 0;
    const body = JSON.stringify({ event_type: eventType, timestamp: isoSeconds(Date.now() - stale), data });
    const bytes = Buffer.from(body, "utf8");
    const secret = settings.webhookSecret + (faults.includes("webhook-bad-signature") ? "x" : "");
    const signature = faults.includes("webhook-no-signature")
      ? null
      : `sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`;
    return { eventType, smsId, body, bytes, signature, fault: faults.length ? faults : null };
  };

  return {
    /** Read each time: setWebhook() may point the webhooks somewhere after the start. */
    get enabled() {
      return settings.webhookUrl !== null;
    },

    /** Schedules the lifecycle of an SMS just delivered to the inbox, as its faults say. */
    lifecycle(smsId, faults) {
      if (settings.webhookUrl === null) return;
      const [first, second] = settings.webhookDelaysMs;
      const last = faults.includes("webhook-expired")
        ? ["sms.failed", "expired"]
        : faults.includes("webhook-failed") || faults.includes("webhook-queued-failed")
          ? ["sms.failed", "failed"]
          : ["sms.delivered", "delivered"];
      const events = [
        ...(faults.includes("webhook-queued-failed") ? [] : [{ type: "sms.sent", status: "sent", at: first }]),
        { type: last[0], status: last[1], at: second },
      ];
      if (faults.includes("webhook-out-of-order") && events.length === 2)
        [events[0].at, events[1].at] = [second, first];
      const copies = faults.includes("webhook-duplicate") ? 2 : 1;
      for (const event of events) {
        later(event.at, () => {
          const delivery = prepare(event.type, smsId, { sms_id: smsId, status: event.status }, faults);
          for (let i = 0; i < copies; i++) deliver(delivery);
        });
      }
    },

    /** Posts one event now (POST /sandbox/webhooks/test); resolves to its first attempt's record. */
    now(eventType, smsId) {
      const data = eventType === "otp.verified" ? { sms_id: smsId, status: "verified" } : {};
      return deliver(prepare(eventType, eventType === "otp.verified" ? smsId : null, data));
    },

    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of underWay) controller.abort();
      underWay.clear();
    },
  };
}

async function handle(req, res, settings, state, hanging, webhooks) {
  cors(res);
  const url = new URL(req.url, "http://sandbox");
  if (req.method === "OPTIONS") {
    res.writeHead(204, { "Access-Control-Max-Age": "600" });
    return res.end();
  }
  if (url.pathname === "/sandbox/messages" || url.pathname === "/sandbox/requests") {
    const list = url.pathname === "/sandbox/messages" ? state.messages : state.requests;
    if (req.method === "DELETE") {
      list.length = 0;
      return send(res, 200, { ok: true });
    }
    if (req.method !== "GET") return send(res, 405, { error: "use GET or DELETE" });
    // Filter by the key's SHA-256, never by the key: keys do not belong in URLs.
    const keySha = url.searchParams.get("key_sha256");
    const mobile = digitsOf(url.searchParams.get("mobile"));
    const picked = list.filter(
      (m) => (keySha === null || sha256(m.apiKey) === keySha) && (mobile === null || m.mobile === mobile),
    );
    return send(res, 200, { [url.pathname.slice(9)]: picked.map(publicView) });
  }
  if (url.pathname === "/sandbox/webhooks") {
    if (req.method === "DELETE") {
      state.webhooks.length = 0;
      return send(res, 200, { ok: true });
    }
    if (req.method !== "GET") return send(res, 405, { error: "use GET or DELETE" });
    const smsId = url.searchParams.get("sms_id");
    const picked = state.webhooks.filter((w) => smsId === null || (w.sms_id !== null && String(w.sms_id) === smsId));
    return send(res, 200, { webhooks: picked });
  }
  if (url.pathname === "/sandbox/webhooks/test") {
    if (req.method !== "POST") return send(res, 405, { error: "use POST" });
    const body = parseJson(await readBody(req));
    if (!isPlainObject(body) || !TEST_EVENTS.includes(body.event_type))
      return send(res, 400, { error: `send { event_type: ${TEST_EVENTS.join(" | ")}, sms_id? }` });
    const smsId = body.sms_id;
    if (
      body.event_type === "otp.verified" &&
      !(Number.isSafeInteger(smsId) || (typeof smsId === "string" && smsId.length > 0))
    )
      return send(res, 400, { error: "otp.verified needs the sms_id of the SMS whose code was verified" });
    if (!webhooks.enabled) return send(res, 409, { error: "no webhook URL: start the sandbox with --webhook-url" });
    return send(res, 200, { ok: true, webhook: await webhooks.now(body.event_type, smsId) });
  }
  if (url.pathname === "/sandbox/faults" && req.method === "POST") {
    const body = parseJson(await readBody(req));
    if (
      !body ||
      typeof body.api_key !== "string" ||
      !Array.isArray(body.faults) ||
      !body.faults.every((f) => Object.hasOwn(FAULTS, f))
    ) {
      return send(res, 400, { error: `send { api_key, faults: [${Object.keys(FAULTS).join(", ")}] }` });
    }
    const forSend = [...(state.webhookFaults.get(body.api_key) ?? []), ...body.faults.filter(isWebhookFault)];
    if (new Set(forSend.filter((f) => LIFECYCLE_FAULTS.includes(f))).size > 1) {
      return send(res, 400, { error: `${LIFECYCLE_FAULTS.join(", ")} are alternatives: queue one per send` });
    }
    const forRequests = [...(state.faults.get(body.api_key) ?? []), ...body.faults.filter((f) => !isWebhookFault(f))];
    state.faults.set(body.api_key, forRequests);
    state.webhookFaults.set(body.api_key, forSend);
    return send(res, 200, { ok: true, queued: forRequests.length, webhook_faults: [...new Set(forSend)] });
  }
  if (url.pathname === "/" && req.method === "GET") {
    return send(res, 200, {
      sandbox: "TurkeySMS V4 OTP sandbox",
      endpoints: [
        "GET /",
        "POST /otp/send",
        "POST /otp/detailed",
        "GET /sandbox/messages",
        "DELETE /sandbox/messages",
        "GET /sandbox/requests",
        "DELETE /sandbox/requests",
        "POST /sandbox/faults",
        "GET /sandbox/webhooks",
        "DELETE /sandbox/webhooks",
        "POST /sandbox/webhooks/test",
      ],
      triggers: Object.keys(TRIGGER_KEYS),
      faults: FAULTS,
      webhooks: {
        url: settings.webhookUrl,
        events: ["sms.sent", "sms.delivered", "sms.failed", ...TEST_EVENTS],
        delaysMs: settings.webhookDelaysMs,
        retryBaseMs: settings.webhookRetryBaseMs,
        maxAttempts: settings.webhookMaxAttempts,
      },
    });
  }
  const text = await readBody(req);
  const body = parseJson(text);
  const record = {
    method: req.method,
    url: req.url,
    path: url.pathname,
    contentType: req.headers["content-type"] ?? null,
    accept: req.headers.accept ?? null,
    apiKey: isPlainObject(body) && typeof body.api_key === "string" ? body.api_key : null,
    body,
    mobile: isPlainObject(body) && typeof body.mobile === "string" ? body.mobile : null,
    at: Date.now(),
    answer: null,
  };
  state.requests.push(record);
  const answer = (status, envelope, extra = {}) => {
    record.answer = { status, code: envelope.result_code, ...extra };
    send(res, status, envelope);
  };
  const fail = (status, code, message) => answer(status, { result: false, result_code: code, result_message: message });

  if (url.pathname !== "/otp/send" && url.pathname !== "/otp/detailed") return fail(404, "TS-1404", "Not found.");
  if (req.method !== "POST") return fail(405, "TS-1405", "Only POST is accepted.");

  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json") || !isPlainObject(body)) {
    return fail(400, "TS-1033", "Invalid JSON body.");
  }
  const key = body.api_key;
  if (typeof key !== "string" || key.length === 0) return fail(401, "TS-1031", "Invalid API key.");

  const queued = state.faults.get(key);
  const fault = queued?.length ? queued.shift() : faultOfKey(key);
  if (fault === "rate-limited") return fail(403, "TS-1060", "Per-minute rate limit exceeded.");
  if (fault) {
    record.answer = { fault };
    return misbehave(fault, req, res, hanging, key);
  }
  const trigger = TRIGGER_KEYS[key];
  if (trigger) return fail(trigger.status, trigger.code, trigger.message);

  const minute = Math.floor(Date.now() / 60_000);
  const counter = state.minuteCounters.get(key);
  if (!counter || counter.minute !== minute) state.minuteCounters.set(key, { minute, count: 1 });
  else if (++counter.count > settings.rateLimit) return fail(403, "TS-1060", "Per-minute rate limit exceeded.");

  const problem = checkBody(url.pathname, body);
  if (problem) return fail(...problem);

  // Duplicate protection: the same request within the window answers as before, sending nothing.
  const fingerprint = `${url.pathname}\n${canonical(body)}`;
  const now = Date.now();
  // Oldest first (a Map keeps insertion order): stop at the first one still inside the window.
  for (const [print, seen] of state.recent) {
    if (now - seen.at <= settings.duplicateWindowMs) break;
    state.recent.delete(print);
  }
  const previous = state.recent.get(fingerprint);
  if (previous) return answer(200, previous.envelope, { duplicate: true });

  const digits = body.digits ?? 6;
  const code = String(Math.floor(Math.random() * 10 ** digits)).padStart(digits, "0");
  const lang = body.lang ?? 1;
  const smsText =
    url.pathname === "/otp/detailed"
      ? body.text.replaceAll("TS-CODE", code)
      : STANDARD_TEMPLATES[lang].replace("CODE", code);
  const smsId = state.nextSmsId++;
  const segments = countSegments(smsText);
  state.messages.push({
    smsId,
    apiKey: key,
    mobile: body.mobile,
    title: url.pathname === "/otp/detailed" ? body.title : "TurkeySMS",
    text: smsText,
    code,
    digits,
    lang,
    segments,
    path: url.pathname,
    at: now,
  });
  const envelope = {
    result: true,
    result_code: "TS-1024",
    result_message: "OTP dispatched successfully.",
    sms_id: smsId,
    number_of_sms: segments,
    country: body.mobile.startsWith("90") ? "Turkey-TR" : "International",
    ...(settings.otpCode ? { otp_code: code } : {}),
  };
  state.recent.set(fingerprint, { at: now, envelope });
  // The webhook faults queued for the key all apply to this send, and are used up by it.
  const webhookFaults = new Set(state.webhookFaults.get(key) ?? []);
  state.webhookFaults.delete(key);
  const ownFault = webhookFaultOfKey(key);
  if (ownFault && !(LIFECYCLE_FAULTS.includes(ownFault) && LIFECYCLE_FAULTS.some((f) => webhookFaults.has(f))))
    webhookFaults.add(ownFault);
  webhooks.lifecycle(smsId, [...webhookFaults]);
  return answer(200, envelope);
}

/** The sandbox's own reading of the documented fields: [status, code, message] when wrong. */
function checkBody(path, body) {
  const { mobile, lang, digits } = body;
  if (mobile === undefined || mobile === "") return [400, "TS-1025", "Mobile number is empty."];
  if (typeof mobile !== "string" || !/^[1-9][0-9]{7,14}$/.test(mobile))
    return [400, "TS-1034", "Invalid mobile number."];
  if (mobile.startsWith("90") && !/^905[0-9]{9}$/.test(mobile)) return [400, "TS-1034", "Invalid mobile number."];
  if (lang !== undefined && ![0, 1, 2].includes(lang)) return [400, "TS-1033", "lang must be 0, 1 or 2."];
  if (digits !== undefined && ![4, 5, 6].includes(digits)) return [400, "TS-1033", "digits must be between 4 and 6."];
  if (path === "/otp/detailed") {
    const { title, text } = body;
    if (typeof title !== "string" || title.length === 0) return [400, "TS-1029", "Sender ID does not exist."];
    if (title === INACTIVE_TITLE) return [403, "TS-1028", "Sender ID is not active."];
    if (typeof text !== "string" || text.length === 0) return [400, "TS-1026", "Message text is empty."];
    if (!text.includes("TS-CODE")) return [400, "TS-1033", "The text field must contain the TS-CODE placeholder."];
  }
  return null;
}

function misbehave(fault, req, res, hanging, key) {
  switch (fault) {
    case "html-500":
    case "html-502":
    case "html-503": {
      const status = Number(fault.slice(5));
      res.writeHead(status, { "Content-Type": "text/html" });
      return res.end(`<html><body><h1>${status}</h1><p>The upstream server failed.</p></body></html>`);
    }
    case "hang":
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return; // never answers; the client's timeout must end it
    case "slow-drip": {
      hanging.add(res);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write("{");
      const drip = setInterval(() => res.write(" "), 200);
      const stop = setTimeout(() => res.end('"result":true}'), 60_000);
      res.on("close", () => {
        clearInterval(drip);
        clearTimeout(stop);
        hanging.delete(res);
      });
      return;
    }
    case "reset-after-headers":
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
      res.write('{"result":');
      return setTimeout(() => req.socket.destroy(), 20);
    case "json-array":
      return send(res, 200, [{ result: true, result_code: "TS-1024" }]);
    case "wrong-types":
      return send(res, 200, { result: "yes", result_code: 1024, result_message: "OK" });
    case "huge-body": {
      res.writeHead(200, { "Content-Type": "application/json" });
      const filler = "x".repeat(64 * 1024);
      res.write('{"result":true,"result_code":"TS-1024","padding":"');
      let sent = 0;
      const more = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += filler.length;
          if (!res.write(filler)) return res.once("drain", more);
        }
        res.end('"}');
      };
      res.on("error", () => {});
      return more();
    }
    case "wrong-content-type":
      res.writeHead(200, { "Content-Type": "text/html" });
      return res.end(
        JSON.stringify({
          result: true,
          result_code: "TS-1024",
          result_message: "OTP dispatched successfully.",
          sms_id: 1,
        }),
      );
    case "reset":
      return req.socket.destroy();
    case "not-json":
      res.writeHead(200, { "Content-Type": "text/plain" });
      return res.end("OK");
    case "not-envelope":
      return send(res, 200, { status: "ok" });
    case "bare-success":
      return send(res, 200, { result: true, result_code: "TS-1024" });
    case "otp-code":
      return send(res, 200, {
        result: true,
        result_code: "TS-1024",
        result_message: "OTP dispatched successfully.",
        sms_id: "A-77",
        otp_code: 4821,
      });
    case "unknown-code":
      return send(res, 400, { result: false, result_code: "TS-1999", result_message: "Something new went wrong." });
    case "echo-key": {
      // A server (or a proxy in front of it) that repeats the key back in every form it has.
      const forms = [key, encodeURIComponent(key), key.toUpperCase(), key.toLowerCase(), key.slice(3, 11)];
      return send(res, 401, {
        result: false,
        result_code: "TS-1031",
        result_message: `Invalid api_key ${forms.join(" | ")}.`,
        api_key: key,
        forms,
      });
    }
  }
}

function cors(res) {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Methods", "POST, GET, DELETE, OPTIONS");
  res.setHeader("Access-Control-Allow-Headers", "Content-Type, Accept");
}

function send(res, status, value) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(value));
}

/** What GET /sandbox/* shows: everything but the key itself. */
/**
 * A `?mobile=` filter in any spelling a person types ("+90 532 …", "0532 …", "0090…"), read as
 * the digits TurkeySMS is sent (905321234567). The sandbox's own reading, for its inbox only.
 */
function digitsOf(typed) {
  if (typed === null) return null;
  const digits = typed.replace(/\D/g, "");
  if (digits.startsWith("00")) return digits.slice(2);
  if (/^0\d{10}$/.test(digits)) return `9${digits}`;
  if (/^5\d{9}$/.test(digits)) return `90${digits}`;
  return digits;
}

function publicView({ apiKey, body, ...rest }) {
  const view = { ...rest, keySha256: apiKey === null ? null : sha256(apiKey) };
  if (body !== undefined)
    view.body = isPlainObject(body) && "api_key" in body ? { ...body, api_key: "[redacted]" } : body;
  return view;
}

export function sha256(text) {
  return text === null ? null : createHash("sha256").update(text).digest("hex");
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > 1_000_000) req.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPlainObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function canonical(value) {
  if (!isPlainObject(value)) return JSON.stringify(value);
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(",")}}`;
}

/**
 * The sandbox in a child process of its own (for load tests and benchmarks, so its work does not
 * share the caller's event loop), on a free port: resolves to { url, stop() } once it listens.
 */
export function spawnSandbox(args = []) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      const url = /http:\/\/[\d.:]+/.exec(String(d))?.[0];
      if (url) resolve({ url, stop: () => child.kill() });
    });
    child.on("exit", (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
}

function flag(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

/** Whether this file is the program being run: through npx or npm's .bin, argv[1] is a symlink to it. */
function isMain() {
  try {
    return realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1] ?? "");
  } catch {
    return false;
  }
}

if (isMain()) {
  const args = process.argv.slice(2);
  const webhookUrl = flag(args, "--webhook-url", process.env.SANDBOX_WEBHOOK_URL) ?? null;
  const sandbox = await startSandbox({
    host: flag(args, "--host", process.env.SANDBOX_HOST ?? "127.0.0.1"),
    port: Number(flag(args, "--port", process.env.SANDBOX_PORT ?? 8910)),
    rateLimit: Number(flag(args, "--rate-limit", process.env.SANDBOX_RATE_LIMIT ?? SETTINGS.rateLimit)),
    duplicateWindowMs: Number(
      flag(args, "--duplicate-window-ms", process.env.SANDBOX_DUPLICATE_WINDOW_MS ?? SETTINGS.duplicateWindowMs),
    ),
    otpCode: !args.includes("--no-otp-code"),
    webhookUrl,
    webhookSecret: flag(args, "--webhook-secret", process.env.SANDBOX_WEBHOOK_SECRET) ?? null,
    webhookDelaysMs: flag(args, "--webhook-delays-ms", SETTINGS.webhookDelaysMs.join(",")).split(",").map(Number),
    webhookRetryBaseMs: Number(flag(args, "--webhook-retry-base-ms", SETTINGS.webhookRetryBaseMs)),
    webhookMaxAttempts: Number(flag(args, "--webhook-max-attempts", SETTINGS.webhookMaxAttempts)),
  });
  console.log(`TurkeySMS sandbox listening on ${sandbox.url}`);
  console.log(`  pass baseUrl: "${sandbox.url}" (or TURKEYSMS_BASE_URL=${sandbox.url}) with any apiKey`);
  if (webhookUrl) console.log(`webhooks: posting signed events to ${webhookUrl}`);
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
