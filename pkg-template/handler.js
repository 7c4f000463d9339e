// createOtpHandler: a fetch-API handler (Request => Response) that keeps the TurkeySMS key on
// the server and stops the usual abuse of "send me a code" endpoints. It serves the same paths
// as TurkeySMS, so a page simply calls sendOtp({ baseUrl: "/api", mobile }) with no key.
//
// The order of the controls (docs/SECURITY.md says what each stops):
//   1. path, origin (CORS), method, content type: refused with nothing read;
//   2. the body: at most maxBodyBytes, within bodyTimeoutMs, a JSON object;
//   3. the request itself: a configured template, a valid number, an allowed country (the
//      package's own rules) and, when configured, Turnstile;
//   4. the counters, in one atomic reservation in the store: cooldown and limit per number, per
//      client IP, global. A refusal counts nothing, so refused requests cost no one else budget;
//   5. the send. If it fails, the cooldown is given back (a TurkeySMS outage must not look like a
//      cooldown), except when the code may have gone out (a timeout); the per-number, per-IP and
//      global counts stay spent, so failing sends (a number TurkeySMS refuses, an outage) cannot
//      be repeated without limit against TurkeySMS and its per-key rate limit.
// The page learns only a fixed text and a public code; onEvent tells the operator everything.

import { clientBucket, UNKNOWN_CLIENT } from "./client-ip.js";
import { readConfig } from "./handler-config.js";
import { memoryStore } from "./store-memory.js";

const TURNSTILE_SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const MINUTE = 60_000;

/** The refusal each counter gives, by the prefix of its key. */
const REFUSALS = {
  cooldown: ["COOLDOWN", "A code was just sent to this number; wait before asking again."],
  number: ["NUMBER_LIMIT", "Too many codes for this number; try again later."],
  ip: ["IP_LIMIT", "Too many codes from this address; try again later."],
  global: ["GLOBAL_LIMIT", "Too many codes are being sent; try again in a minute."],
};

function envelope(status, code, message, headers = {}) {
  return new Response(JSON.stringify({ result: status < 300, result_code: code, result_message: message }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/** The body as text; null when larger than `max`; "timeout" when it does not arrive in time. */
async function readBody(request, max, timeoutMs) {
  if (Number(request.headers.get("content-length")) > max) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), late]);
      if (next === "timeout") return "timeout";
      if (next.done) break;
      size += next.value.byteLength;
      if (size > max) return null;
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** What the page is told of a failed send: its own number's problem, or that sending is unavailable. */
function publicFailure(error) {
  if (error.code === "TS-1034") return [400, "INVALID_MOBILE", "This number cannot receive codes."];
  if (error.code === "TS-1032") return [403, "COUNTRY_NOT_ALLOWED", "Codes cannot be sent to this country."];
  return [503, "UNAVAILABLE", "Codes cannot be sent right now; try again later."];
}

/** A timeout, a 2xx nobody understood, or a call cut short by a trap may have sent the code. */
const mayHaveSent = (error) => ["TIMEOUT", "BAD_RESPONSE", "INTERNAL_ERROR"].includes(error?.code);

/** 905321234567 -> 90532*****67: enough for an operator to see a pattern, not to message anyone. */
const mask = (mobile) =>
  mobile.length > 7 ? mobile.slice(0, 5) + "*".repeat(mobile.length - 7) + mobile.slice(-2) : "*";

/** Whether Cloudflare's siteverify accepts `token` for this site (fails closed: no answer is no). */
async function turnstilePassed(turnstile, token, client) {
  const form = new URLSearchParams({ secret: turnstile.secret, response: token });
  if (client && client !== UNKNOWN_CLIENT && !client.endsWith("/64")) form.set("remoteip", client);
  try {
    const answer = await fetch(turnstile.siteverifyUrl ?? TURNSTILE_SITEVERIFY, {
      method: "POST",
      body: form,
      signal: AbortSignal.timeout(turnstile.timeoutMs),
    });
    const verdict = await answer.json();
    return (
      verdict?.success === true &&
      (turnstile.hostname === undefined || verdict.hostname === turnstile.hostname) &&
      (turnstile.action === undefined || verdict.action === turnstile.action)
    );
  } catch {
    return false;
  }
}

/** The handler; `sdk` is the package's own functions, passed in by each entry. */
export function createHandler(config, sdk) {
  const c = readConfig(config, sdk, memoryStore);
  const origins = new Set(c.allowedOrigins);
  const emit = (event) => {
    if (!c.onEvent) return;
    try {
      Promise.resolve(c.onEvent(event)).catch(() => {});
    } catch {}
  };

  /** The counters one send spends, in the order a refusal is reported. */
  const countersFor = (mobile, client) =>
    [
      c.cooldownMs > 0 && { key: `cooldown:${mobile}`, limit: 1, windowMs: c.cooldownMs },
      { key: `number:${mobile}`, ...c.perNumber },
      client !== null && { key: `ip:${client}`, ...c.perIp },
      { key: "global", limit: c.globalPerMinute, windowMs: MINUTE },
    ].filter(Boolean);

  return async function handle(request) {
    const started = Date.now();
    const url = new URL(request.url);
    // Browsers send Origin on every POST, same-origin ones included: those are always welcome.
    const origin = request.headers.get("origin");
    const foreign = origin !== null && origin !== url.origin;
    const cors =
      foreign && origins.has(origin)
        ? { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" }
        : {};
    const client = clientBucket(request, c.trustProxy, c.proxyHops);
    let mobile = null;
    const answer = (status, code, message, headers = {}, detail = {}) => {
      const type = status < 300 ? "sent" : detail.upstream ? "failed" : "refused";
      emit({ type, code, status, mobile: mobile && mask(mobile), client, ms: Date.now() - started, ...detail });
      return envelope(status, code, message, { ...cors, ...headers });
    };

    const kind = { [`${c.prefix}/otp/send`]: "standard", [`${c.prefix}/otp/detailed`]: "custom" }[url.pathname];
    if (!kind) return answer(404, "NOT_FOUND", `POST ${c.prefix}/otp/send or ${c.prefix}/otp/detailed`);
    if (foreign && !origins.has(origin)) {
      return answer(
        403,
        "ORIGIN_NOT_ALLOWED",
        `The origin ${origin} may not call this endpoint: add it to allowedOrigins.`,
      );
    }
    if (request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          "Access-Control-Allow-Methods": "POST",
          "Access-Control-Allow-Headers": "Content-Type, Accept, cf-turnstile-response",
          "Access-Control-Max-Age": "600",
        },
      });
    }
    if (request.method !== "POST") return answer(405, "METHOD_NOT_ALLOWED", "Use POST.", { Allow: "POST, OPTIONS" });
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      return answer(415, "UNSUPPORTED_MEDIA_TYPE", "Send Content-Type: application/json.");
    }
    const text = await readBody(request, c.maxBodyBytes, c.bodyTimeoutMs).catch(() => null);
    if (text === "timeout") return answer(408, "BODY_TIMEOUT", "The body did not arrive in time.");
    if (text === null) return answer(413, "BODY_TOO_LARGE", `The body may be at most ${c.maxBodyBytes} bytes.`);
    let body;
    try {
      body = JSON.parse(text);
    } catch {}
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return answer(400, "INVALID_JSON", "The body must be a JSON object.");
    }

    // The page names the number (and, for /otp/detailed, a template); everything else is the
    // server's: the key, where codes go, their length and language.
    const options = {
      apiKey: c.apiKey,
      baseUrl: c.baseUrl,
      mobile: body.mobile,
      digits: c.digits,
      lang: c.lang,
      timeoutMs: c.timeoutMs,
      maxRetries: c.maxRetries,
    };
    if (kind === "custom") {
      // Only server-side templates: a page must not turn this into an open SMS relay.
      const template = c.templates.find((t) => t.title === body.title && t.text === body.text);
      if (!template) {
        return answer(400, "UNKNOWN_TEMPLATE", "Custom texts must be one of the templates configured on the server.");
      }
      Object.assign(options, { title: template.title, text: template.text });
    }
    const [issue] = sdk.validateOptions(options, kind).issues;
    if (issue) return answer(400, issue.code, issue.message);
    mobile = sdk.normalizeMobile(options.mobile);
    if (!c.allowedCountries.some((cc) => mobile.startsWith(cc))) {
      return answer(403, "COUNTRY_NOT_ALLOWED", "Codes cannot be sent to this country.");
    }
    if (c.turnstile) {
      const token = body["cf-turnstile-response"] ?? request.headers.get("cf-turnstile-response");
      if (typeof token !== "string" || token === "") {
        return answer(403, "TURNSTILE_REQUIRED", "Complete the challenge first.");
      }
      if (!(await turnstilePassed(c.turnstile, token, client))) {
        return answer(403, "TURNSTILE_FAILED", "The challenge was not passed.");
      }
    }

    const counters = countersFor(mobile, client);
    let reserved;
    try {
      reserved = await c.store.reserve(counters, Date.now());
      if (reserved?.ok !== true && (reserved?.ok !== false || typeof reserved.key !== "string")) {
        throw new Error(`the store's reserve answered ${JSON.stringify(reserved)}, not a reservation`);
      }
    } catch (error) {
      emit({ type: "store-error", error: String(error?.message ?? error), client, ms: Date.now() - started });
      return answer(503, "STORE_UNAVAILABLE", "Codes cannot be sent right now; try again later.", {
        "Retry-After": "5",
      });
    }
    if (!reserved.ok) {
      const [code, message] = REFUSALS[reserved.key.split(":")[0]] ?? REFUSALS.global;
      const seconds = String(Math.max(1, Math.ceil(reserved.retryAfterMs / 1000)));
      return answer(429, code, message, { "Retry-After": seconds });
    }

    try {
      await (kind === "custom" ? sdk.sendCustomOtp : sdk.sendOtp)(options);
      return answer(200, "TS-1024", "A code was sent.");
    } catch (error) {
      const cooldown = counters.filter((counter) => counter.key.startsWith("cooldown:"));
      if (!mayHaveSent(error) && cooldown.length) {
        await Promise.resolve()
          .then(() => c.store.release(cooldown, Date.now()))
          .catch((e) =>
            emit({ type: "store-error", error: String(e?.message ?? e), client, ms: Date.now() - started }),
          );
      }
      const [status, code, message] = publicFailure(error);
      return answer(status, code, message, {}, { upstream: error.code, attempts: error.attempts });
    }
  };
}
