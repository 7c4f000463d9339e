// POST <prefix>/otp/send and /otp/detailed: the request itself (a configured template, a valid
// number, an allowed country, Turnstile), the counters, the send, and (with `verify`) keeping
// the code's keyed hash for /otp/verify.

import { UNKNOWN_CLIENT } from "./client-ip.js";
import { reserve } from "./handler-http.js";
import { keepCode } from "./handler-verify.js";

const TURNSTILE_SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const MINUTE = 60_000;

/** The refusal each counter gives, by the prefix of its key. */
const REFUSALS = {
  cooldown: ["COOLDOWN", "A code was just sent to this number; wait before asking again."],
  number: ["NUMBER_LIMIT", "Too many codes for this number; try again later."],
  ip: ["IP_LIMIT", "Too many codes from this address; try again later."],
  global: ["GLOBAL_LIMIT", "Too many codes are being sent; try again in a minute."],
};

/** What the page is told of a failed send: its own number's problem, or that sending is unavailable. */
function publicFailure(error) {
  if (error.code === "TS-1034") return [400, "INVALID_MOBILE", "This number cannot receive codes."];
  if (error.code === "TS-1032") return [403, "COUNTRY_NOT_ALLOWED", "Codes cannot be sent to this country."];
  return [503, "UNAVAILABLE", "Codes cannot be sent right now; try again later."];
}

/** A timeout, a 2xx nobody understood, or a call cut short by a trap may have sent the code. */
const mayHaveSent = (error) => ["TIMEOUT", "BAD_RESPONSE", "INTERNAL_ERROR"].includes(error?.code);

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

/** The counters one send spends, in the order a refusal is reported. */
const countersFor = (c, mobile, client) =>
  [
    c.cooldownMs > 0 && { key: `cooldown:${mobile}`, limit: 1, windowMs: c.cooldownMs },
    { key: `number:${mobile}`, ...c.perNumber },
    client !== null && { key: `ip:${client}`, ...c.perIp },
    { key: "global", limit: c.globalPerMinute, windowMs: MINUTE },
  ].filter(Boolean);

/** Sends a code for a request whose body is `body`; `kind` is "standard" or "custom". */
export async function sendCode(ctx, body, kind) {
  const { c, sdk, client, answer } = ctx;
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
  const mobile = ctx.setMobile(sdk.normalizeMobile(options.mobile));
  if (!c.allowedCountries.some((cc) => mobile.startsWith(cc))) {
    return answer(403, "COUNTRY_NOT_ALLOWED", "Codes cannot be sent to this country.");
  }
  if (c.turnstile) {
    const token = body["cf-turnstile-response"] ?? ctx.request.headers.get("cf-turnstile-response");
    if (typeof token !== "string" || token === "") {
      return answer(403, "TURNSTILE_REQUIRED", "Complete the challenge first.");
    }
    if (!(await turnstilePassed(c.turnstile, token, client))) {
      return answer(403, "TURNSTILE_FAILED", "The challenge was not passed.");
    }
  }

  const counters = countersFor(c, mobile, client);
  const refused = await reserve(ctx, counters, REFUSALS);
  if (refused) return refused;

  let sent;
  try {
    sent = await (kind === "custom" ? sdk.sendCustomOtp : sdk.sendOtp)(options);
  } catch (error) {
    const cooldown = counters.filter((counter) => counter.key.startsWith("cooldown:"));
    if (!mayHaveSent(error) && cooldown.length) {
      await Promise.resolve()
        .then(() => c.store.release(cooldown, Date.now()))
        .catch((e) => ctx.emit({ type: "store-error", error: String(e?.message ?? e) }));
    }
    const [status, code, message] = publicFailure(error);
    return answer(status, code, message, {}, { upstream: error.code, attempts: error.attempts });
  }
  if (c.verify) {
    const failed = await keepCode(ctx, mobile, sent);
    if (failed) return failed;
  }
  return answer(200, "TS-1024", "A code was sent.");
}
