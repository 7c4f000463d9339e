// The options of createOtpService and createOtpHandler: one row each, with what it is for
// (`http`: the handler's only), how it is checked, its default and its documentation. Checking a
// configuration, its INVALID_CONFIG messages and the defaults all come from these rows; every
// default number is src/defaults.rs's (DEFAULTS); tests/js/options.test.mjs holds
// index.d.ts and docs/API.md to the rows. A new option is a new row.

import { sdkError, validateOptions } from "../sdk.js";
import { memoryStore } from "../stores/memory.js";
import { DEFAULTS } from "./defaults.js";
import { checkSecrets, weakness } from "./secrets.js";

/** A number every rule accepts, for checking the options that are not the number. */
const SAMPLE_MOBILE = "905321234567";
const TRUST = ["none", "cloudflare", "x-forwarded-for"];

// Checks: (value given, fail, name, failAt) => the value to use. `fail(message)` throws
// INVALID_CONFIG for this option; `failAt(field, message)` for one inside it.
const count =
  (min = 0) =>
  (value, fail, name) =>
    Number.isInteger(value) && value >= min ? value : fail(`${name} must be a whole number of at least ${min}.`);
const windowed = (value, fail, name) => {
  if (typeof value !== "object" || value === null) return fail(`${name} must be { limit, windowMs }.`);
  return value;
};
const strings = (pattern, example) => (value, fail, name) =>
  Array.isArray(value) && value.every((s) => typeof s === "string" && pattern.test(s))
    ? value
    : fail(`${name} must be an array of ${example}.`);
const text = (value, fail, name) =>
  typeof value === "string" && value !== "" ? value : fail(`${name} must be a non-empty string.`);
const fn = (signature) => (value, fail, name) =>
  typeof value === "function" ? value : fail(`${name} must be a function ${signature}.`);
/** Checked with the SDK's own rules, all together, in `read()`. */
const sdkRule = (value) => value;

/** `{ limit, windowMs }` with each part's default; `fail(field, message)` throws. */
const limitOf = (value, fallback, fail, name) => {
  const part = (key, min) =>
    value?.[key] === undefined
      ? fallback[key]
      : count(min)(value[key], (message) => fail(`${name}.${key}`, message), `${name}.${key}`);
  return { limit: part("limit", 0), windowMs: part("windowMs", 1) };
};

/** `guard`'s fields, each checked, its default from DEFAULTS.handler.guard. */
function guardOf(value, fail, name, failAt) {
  const d = DEFAULTS.handler.guard;
  /** @type {(min: number, max: number) => (v: any) => boolean} */
  const whole = (min, max) => (v) => Number.isSafeInteger(v) && v >= min && v <= max;
  /** @type {Record<string, [(v: any) => boolean, string]>} */
  const rules = {
    minSends: [whole(1, Number.MAX_SAFE_INTEGER), "a whole number of at least 1"],
    minConversion: [
      (v) => typeof v === "number" && v >= 0 && v <= 1,
      "a number from 0 to 1 (the share of codes typed back)",
    ],
    windowMs: [whole(1, Number.MAX_SAFE_INTEGER), "a whole number of milliseconds of at least 1"],
    suspendMs: [whole(1, Number.MAX_SAFE_INTEGER), "a whole number of milliseconds of at least 1"],
    prefixDigits: [
      whole(d.minPrefixDigits, d.maxPrefixDigits),
      `a whole number from ${d.minPrefixDigits} to ${d.maxPrefixDigits} (the digits of a number that name its range)`,
    ],
  };
  const names = Object.keys(rules);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(`${name} must be { ${names.join("?, ")}? } ({} for the defaults).`);
  }
  const unknown = Object.keys(value).filter((key) => !names.includes(key));
  if (unknown.length)
    failAt(`${name}.${unknown[0]}`, `unknown option ${name}.${unknown[0]}; the options are ${names.join(", ")}.`);
  const out = {};
  for (const [key, [ok, rule]] of Object.entries(rules)) {
    out[key] = value[key] === undefined ? d[key] : value[key];
    if (!ok(out[key])) failAt(`${name}.${key}`, `${name}.${key} must be ${rule}.`);
  }
  return out;
}

/** The rows of `verify`. */
export const VERIFY_OPTIONS = {
  secret: {
    check: (value, fail) => checkSecrets(value, DEFAULTS.handler.verify, fail),
    required:
      "verify.secret is missing: a random string of at least 32 bytes, from a secret (e.g. openssl rand -base64 32).",
    doc: "At least 32 bytes, random, from a secret (or a list, newest first, to rotate): it keys the stored hashes and signs the tokens.",
  },
  codeTtlMs: { check: count(1), default: (d) => d.verify.codeTtlMs, doc: "How long a code can be checked." },
  maxAttempts: {
    check: count(1),
    default: (d) => d.verify.maxAttempts,
    doc: "Tries per code, the right one included; the last wrong one answers TOO_MANY_ATTEMPTS.",
  },
  perNumber: {
    check: windowed,
    default: (d) => d.verify.perNumber,
    limit: true,
    doc: "Checks of live codes per number per window.",
  },
  perIp: {
    check: windowed,
    default: (d) => d.verify.perIp,
    limit: true,
    doc: "Checks of live codes per client IP per window (only with a client address).",
  },
  tokenTtlMs: {
    http: true,
    check: (value, fail, name) => count(DEFAULTS.handler.verify.minTokenTtlMs)(value, fail, name),
    default: (d) => d.verify.tokenTtlMs,
    doc: "How long a token is valid.",
  },
  issuer: { http: true, check: text, doc: "The token's `iss`." },
  audience: { http: true, check: text, doc: "The token's `aud`." },
  onVerified: {
    http: true,
    check: fn("(claims, request, token) => Response | undefined"),
    doc: "Called after a right code; may return its own Response.",
  },
};

/** The rows of the configuration. */
export const OPTIONS = {
  apiKey: {
    check: text,
    required: "apiKey is missing: the service adds your TurkeySMS key to every request (from a secret).",
    doc: "Your TurkeySMS key.",
  },
  baseUrl: { check: sdkRule, doc: "Where codes go; default TurkeySMS itself (the sandbox's URL in development)." },
  digits: { check: sdkRule, doc: "Code length, 4 to 6; TurkeySMS's default (6) when not given." },
  lang: { check: sdkRule, doc: "The standard template's language." },
  timeoutMs: { check: sdkRule, doc: "Per call to TurkeySMS." },
  maxRetries: { check: sdkRule, doc: "Retries of a call that surely did not reach TurkeySMS." },
  allowedCountries: {
    check: strings(/^\d{1,3}$/, 'country codes such as ["90"]'),
    default: (d) => d.allowedCountries,
    doc: "Country codes numbers may have.",
  },
  cooldownMs: {
    check: count(0),
    default: (d) => d.cooldownMs,
    doc: "The least time between two codes to one number; 0 turns it off.",
  },
  perNumber: { check: windowed, default: (d) => d.perNumber, limit: true, doc: "Codes per number per window." },
  perIp: {
    check: windowed,
    default: (d) => d.perIp,
    limit: true,
    doc: "Codes per client IP per window (only with a client address).",
  },
  globalPerMinute: {
    check: count(0),
    default: (d) => d.globalPerMinute,
    doc: "Codes per minute in all: a ceiling on the bill.",
  },
  templates: {
    check: (value, fail, name) =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? value
        : fail(`${name} must be { name: { title, text } }.`),
    default: () => ({}),
    doc: "Named texts for custom sends; without any, custom texts are refused.",
  },
  store: {
    check: (value, fail) =>
      ["reserve", "release"].every((m) => typeof value?.[m] === "function")
        ? value
        : fail(
            "store must be memoryStore(), redisStore(client), durableObjectStore(namespace) or a store of that shape.",
          ),
    default: () => memoryStore(),
    doc: "Where counters and pending codes live.",
  },
  onEvent: { check: fn("(event) => void"), doc: "Told of every answer, with what the caller is not told." },
  namespace: {
    check: (value, fail, name) =>
      typeof value === "string" && /^[\w.-]{1,64}$/.test(value)
        ? value
        : fail(`${name} must be 1 to 64 letters, digits, "_", "-" or ".".`),
    doc: "Keeps this service's keys apart in a shared store. Default: derived from apiKey and the oldest verify secret; give two services the same one to share limits and codes on purpose.",
  },
  verify: {
    check: (value, fail, name, failAt) =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? readRows(value, VERIFY_OPTIONS, DEFAULTS.handler, `${name}.`, failAt, false)
        : fail(`${name} must be { secret, ${Object.keys(VERIFY_OPTIONS).slice(1).join("?, ")}? }.`),
    doc: "Keep a keyed hash of each code sent, and check codes.",
  },
  guard: {
    check: (value, fail, name, failAt) => guardOf(value, fail, name, failAt),
    doc: "The SMS-pumping guard: refuse sends to a number range whose codes are not typed back.",
  },
  webhook: {
    check: (value, fail, name) => {
      const d = DEFAULTS.handler;
      if (typeof value !== "object" || value === null || typeof value.secret !== "string" || value.secret === "") {
        return fail(`${name} must be { secret, toleranceMs? }: the webhook secret TurkeySMS shows for your endpoint.`);
      }
      const unknown = Object.keys(value).filter((key) => !["secret", "toleranceMs"].includes(key));
      if (unknown.length) return fail(`unknown option ${name}.${unknown[0]}; the options are secret, toleranceMs.`);
      const bytes = new TextEncoder().encode(value.secret);
      const weak = bytes.length < d.minWebhookSecretBytes ? "it is too short" : weakness(bytes, d.minWebhookSecretBits);
      if (weak) {
        return fail(
          `${name}.secret is not a secret (${weak}): pass the webhook secret TurkeySMS shows for your endpoint, from an environment variable.`,
        );
      }
      const toleranceMs = count(1)(value.toleranceMs ?? d.webhookToleranceMs, fail, `${name}.toleranceMs`);
      if (toleranceMs > d.maxWebhookToleranceMs) {
        return fail(
          `${name}.toleranceMs may be at most ${d.maxWebhookToleranceMs} (an hour): a captured event stays fresh that long.`,
        );
      }
      return { secret: value.secret, toleranceMs };
    },
    doc: "TurkeySMS's signed delivery webhooks, and the status of each send.",
  },
  // The handler's own: HTTP.
  prefix: {
    http: true,
    check: (value, fail) =>
      typeof value === "string" && (value === "" || /^\/[^?#]*[^/?#]$/.test(value))
        ? value
        : fail('prefix must be "" or a path such as "/api" (no trailing slash).'),
    default: () => "",
    doc: "The path prefix the routes are served under.",
  },
  allowedOrigins: {
    http: true,
    check: strings(/^https?:\/\/[^/]+$/, 'origins such as ["https://shop.example"]'),
    default: () => [],
    doc: "Origins of other sites whose pages may call (CORS).",
  },
  trustProxy: {
    http: true,
    check: (value, fail) => (TRUST.includes(value) ? value : fail(`trustProxy must be one of ${TRUST.join(", ")}.`)),
    default: () => "none",
    doc: "Which proxy header names the client's address.",
  },
  clientIp: {
    http: true,
    check: fn("(request, ...rest) => string | undefined"),
    doc: "Your own way to read the client's address (e.g. node:http's socket address); instead of trustProxy.",
  },
  proxyHops: {
    http: true,
    check: count(1),
    default: (d) => d.proxyHops,
    doc: 'With "x-forwarded-for": how many trusted proxies append to it.',
  },
  turnstile: {
    http: true,
    check: (value, fail, name) => {
      if (typeof value !== "object" || value === null || typeof value.secret !== "string" || value.secret === "") {
        return fail(`${name} must be { secret, hostname?, action?, siteverifyUrl?, timeoutMs? }.`);
      }
      const timeoutMs = value.timeoutMs ?? DEFAULTS.handler.turnstileTimeoutMs;
      return { ...value, timeoutMs: count(1)(timeoutMs, fail, `${name}.timeoutMs`) };
    },
    doc: "Cloudflare Turnstile before every send.",
  },
  maxBodyBytes: { http: true, check: count(1), default: (d) => d.maxBodyBytes, doc: "The largest request body." },
  bodyTimeoutMs: {
    http: true,
    check: count(1),
    default: (d) => d.bodyTimeoutMs,
    doc: "How long a client may take to send its body.",
  },
};

/** The checked values of `given` by `rows`, defaults filled in. */
function readRows(given, rows, d, path, fail, http) {
  const names = Object.keys(rows).filter((name) => http || !rows[name].http || path !== "");
  const unknown = Object.keys(given).filter((name) => !names.includes(name));
  if (unknown.length) {
    const where = !http && unknown.every((name) => rows[name]?.http) ? " (an option of createOtpHandler: HTTP)" : "";
    fail(
      `${path}${unknown[0]}`,
      `unknown option ${unknown.map((u) => path + u).join(", ")}${where}; the options are ${names.join(", ")}.`,
    );
  }
  const out = {};
  for (const name of names) {
    const row = rows[name];
    const value = given[name]; // an option given as undefined is an option not given
    const failHere = (message) => fail(`${path}${name}`, message);
    if (value === undefined && row.required) failHere(row.required);
    if (row.limit) {
      const fallback = row.default(d);
      const given = value === undefined ? {} : row.check(value, failHere, path + name, fail);
      out[name] = limitOf(given, fallback, fail, path + name);
    } else if (value === undefined) {
      out[name] = row.default?.(d);
    } else out[name] = row.check(value, failHere, path + name, fail);
  }
  return out;
}

/**
 * The checked configuration of a service (`http` false) or a handler (`http` true), defaults
 * filled in; throws an OtpError (INVALID_CONFIG) naming the option. `who` names the function in
 * the messages.
 */
export function readConfig(config, { http, who }) {
  const fail = (field, message) => {
    throw sdkError("INVALID_CONFIG", `${who}: ${message}`, field);
  };
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    fail("config", "pass an object, e.g. { apiKey: env.TURKEYSMS_API_KEY }.");
  }
  const c = readRows(config, OPTIONS, DEFAULTS.handler, "", fail, http);

  if (c.clientIp && c.trustProxy !== "none") {
    fail("clientIp", "clientIp and trustProxy both say where the client's address comes from: give one.");
  }
  if (c.verify && !["putCode", "checkCode"].every((m) => typeof c.store[m] === "function")) {
    fail("store", "verify needs a store with putCode and checkCode (every store of the package has them).");
  }
  if (c.guard && !c.verify) {
    fail("guard", "guard needs verify: it judges a number range by the codes typed back, which only verify sees.");
  }
  if (c.guard && typeof c.store.guardStats !== "function") {
    fail("store", "guard needs a store with guardStats (every store of the package has it).");
  }
  if (c.webhook && !["putCode", "delivery", "deliveryEvent"].every((m) => typeof c.store[m] === "function")) {
    fail(
      "store",
      "webhook needs a store with putCode, delivery and deliveryEvent (every store of the package has them).",
    );
  }
  // What goes to TurkeySMS is checked by the SDK's own rules, now.
  const sent = { apiKey: c.apiKey, baseUrl: c.baseUrl, mobile: SAMPLE_MOBILE, digits: c.digits, lang: c.lang };
  const [issue] = validateOptions({ ...sent, timeoutMs: c.timeoutMs, maxRetries: c.maxRetries }, "standard").issues;
  if (issue) fail(issue.field, issue.message);
  for (const [name, template] of Object.entries(c.templates)) {
    const [problem] = validateOptions({ ...sent, title: template?.title, text: template?.text }, "custom").issues;
    if (problem) fail(`templates.${name}.${problem.field}`, `templates.${name}: ${problem.message}`);
  }
  return c;
}
