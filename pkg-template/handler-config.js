// The configuration of createOtpHandler, checked when the handler is made: a mistake throws
// there, naming the option, instead of failing every request later. The numeric defaults come
// from the Rust rules (`sdk.defaults()`, src/defaults.rs); the rules about numbers, texts and
// options are the package's own (`sdk.validateOptions`).

import { secretBytes } from "./token.js";

const OPTIONS = [
  "apiKey",
  "baseUrl",
  "prefix",
  "allowedCountries",
  "allowedOrigins",
  "cooldownMs",
  "perNumber",
  "perIp",
  "globalPerMinute",
  "trustProxy",
  "proxyHops",
  "turnstile",
  "maxBodyBytes",
  "bodyTimeoutMs",
  "templates",
  "store",
  "timeoutMs",
  "maxRetries",
  "digits",
  "lang",
  "onEvent",
  "verify",
];
const VERIFY_OPTIONS = [
  "secret",
  "codeTtlMs",
  "maxAttempts",
  "perNumber",
  "perIp",
  "tokenTtlMs",
  "issuer",
  "audience",
  "onVerified",
];
const TRUST = ["none", "cloudflare", "x-forwarded-for"];
/** A number every rule accepts, for checking the options that are not the number. */
const SAMPLE_MOBILE = "905321234567";

/** The checked configuration, defaults filled in; throws an OtpError (INVALID_CONFIG) naming the option. */
export function readConfig(config, sdk, makeDefaultStore) {
  const fail = (field, message) => {
    throw sdk.error("INVALID_CONFIG", `createOtpHandler: ${message}`, field);
  };
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    fail("config", "pass an object, e.g. { apiKey: env.TURKEYSMS_API_KEY }.");
  }
  const unknown = Object.keys(config).filter((name) => !OPTIONS.includes(name));
  if (unknown.length) fail(unknown[0], `unknown option ${unknown.join(", ")}; the options are ${OPTIONS.join(", ")}.`);
  // An option given as undefined is an option not given: it keeps its default.
  const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  const defaults = sdk.defaults().handler;

  if (typeof given.apiKey !== "string" || given.apiKey.trim() === "") {
    fail("apiKey", "apiKey is missing: the handler adds your TurkeySMS key to every request (from a secret).");
  }
  const count = (field, value, fallback, min = 0) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) fail(field, `${field} must be a whole number of at least ${min}.`);
    return value;
  };
  const windowed = (field, value, fallback) => {
    if (value !== undefined && (typeof value !== "object" || value === null)) {
      fail(field, `${field} must be { limit, windowMs }.`);
    }
    return {
      limit: count(`${field}.limit`, value?.limit, fallback.limit),
      windowMs: count(`${field}.windowMs`, value?.windowMs, fallback.windowMs, 1),
    };
  };
  const strings = (field, value, fallback, pattern, example) => {
    if (value === undefined) return fallback;
    if (!Array.isArray(value) || !value.every((s) => typeof s === "string" && pattern.test(s))) {
      fail(field, `${field} must be an array of ${example}.`);
    }
    return value;
  };

  const c = {
    apiKey: given.apiKey,
    baseUrl: given.baseUrl,
    prefix: given.prefix ?? "",
    allowedCountries: strings(
      "allowedCountries",
      given.allowedCountries,
      defaults.allowedCountries,
      /^\d{1,3}$/,
      'country codes such as ["90"]',
    ),
    allowedOrigins: strings(
      "allowedOrigins",
      given.allowedOrigins,
      [],
      /^https?:\/\/[^/]+$/,
      'origins such as ["https://shop.example"]',
    ),
    cooldownMs: count("cooldownMs", given.cooldownMs, defaults.cooldownMs),
    perNumber: windowed("perNumber", given.perNumber, defaults.perNumber),
    perIp: windowed("perIp", given.perIp, defaults.perIp),
    globalPerMinute: count("globalPerMinute", given.globalPerMinute, defaults.globalPerMinute),
    trustProxy: given.trustProxy ?? "none",
    proxyHops: count("proxyHops", given.proxyHops, 1, 1),
    maxBodyBytes: count("maxBodyBytes", given.maxBodyBytes, defaults.maxBodyBytes, 1),
    bodyTimeoutMs: count("bodyTimeoutMs", given.bodyTimeoutMs, defaults.bodyTimeoutMs, 1),
    templates: Object.values(given.templates ?? {}),
    store: given.store ?? makeDefaultStore(),
    timeoutMs: given.timeoutMs,
    maxRetries: given.maxRetries,
    digits: given.digits,
    lang: given.lang,
    onEvent: given.onEvent,
    turnstile: given.turnstile,
  };
  if (typeof c.prefix !== "string" || (c.prefix !== "" && !/^\/[^?#]*[^/?#]$/.test(c.prefix))) {
    fail("prefix", 'prefix must be "" or a path such as "/api" (no trailing slash).');
  }
  if (!TRUST.includes(c.trustProxy)) fail("trustProxy", `trustProxy must be one of ${TRUST.join(", ")}.`);
  if (typeof c.store?.reserve !== "function" || typeof c.store?.release !== "function") {
    fail(
      "store",
      "store must be memoryStore(), redisStore(client), durableObjectStore(namespace) or a store of that shape.",
    );
  }
  if (c.onEvent !== undefined && typeof c.onEvent !== "function") fail("onEvent", "onEvent must be a function.");
  if (c.turnstile !== undefined) {
    const t = c.turnstile;
    if (typeof t !== "object" || t === null || typeof t.secret !== "string" || t.secret === "") {
      fail("turnstile", "turnstile must be { secret, hostname?, action?, siteverifyUrl?, timeoutMs? }.");
    }
    c.turnstile = { ...t, timeoutMs: count("turnstile.timeoutMs", t.timeoutMs, defaults.turnstileTimeoutMs, 1) };
  }

  if (given.verify !== undefined) c.verify = readVerify(given.verify, defaults.verify, { fail, count, windowed });
  if (c.verify && !["putCode", "attemptCode", "consumeCode"].every((m) => typeof c.store[m] === "function")) {
    fail(
      "store",
      "verify needs a store with putCode, attemptCode and consumeCode (every store of the package has them).",
    );
  }

  // What goes to TurkeySMS is checked by the SDK's own rules, now.
  const sent = { apiKey: c.apiKey, baseUrl: c.baseUrl, mobile: SAMPLE_MOBILE, digits: c.digits, lang: c.lang };
  const options = { ...sent, timeoutMs: c.timeoutMs, maxRetries: c.maxRetries };
  const [issue] = sdk.validateOptions(options, "standard").issues;
  if (issue) fail(issue.field, issue.message);
  if (given.templates !== undefined && (typeof given.templates !== "object" || given.templates === null)) {
    fail("templates", "templates must be { name: { title, text } }.");
  }
  for (const [name, template] of Object.entries(given.templates ?? {})) {
    const [problem] = sdk.validateOptions({ ...sent, title: template?.title, text: template?.text }, "custom").issues;
    if (problem) fail(`templates.${name}.${problem.field}`, `templates.${name}: ${problem.message}`);
  }
  return c;
}

/** The checked `verify` option, defaults filled in. */
function readVerify(v, defaults, { fail, count, windowed }) {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    fail(
      "verify",
      "verify must be { secret, codeTtlMs?, maxAttempts?, perNumber?, perIp?, tokenTtlMs?, issuer?, audience?, onVerified? }.",
    );
  }
  const unknown = Object.keys(v).filter((name) => !VERIFY_OPTIONS.includes(name));
  if (unknown.length) {
    fail(
      `verify.${unknown[0]}`,
      `unknown option verify.${unknown.join(", verify.")}; the options are ${VERIFY_OPTIONS.join(", ")}.`,
    );
  }
  const bytes = secretBytes(v.secret, defaults.minSecretBytes);
  if (!bytes) {
    fail(
      "verify.secret",
      `verify.secret must be a random string of at least ${defaults.minSecretBytes} bytes, from a secret (e.g. openssl rand -base64 32): it signs the tokens and keys the stored codes.`,
    );
  }
  for (const name of ["issuer", "audience"]) {
    if (v[name] !== undefined && (typeof v[name] !== "string" || v[name] === "")) {
      fail(`verify.${name}`, `verify.${name} must be a non-empty string.`);
    }
  }
  if (v.onVerified !== undefined && typeof v.onVerified !== "function") {
    fail("verify.onVerified", "verify.onVerified must be a function (claims, request) => Response | undefined.");
  }
  return {
    secret: v.secret,
    secretBytes: bytes,
    codeTtlMs: count("verify.codeTtlMs", v.codeTtlMs, defaults.codeTtlMs, 1),
    maxAttempts: count("verify.maxAttempts", v.maxAttempts, defaults.maxAttempts, 1),
    perNumber: windowed("verify.perNumber", v.perNumber, defaults.perNumber),
    perIp: windowed("verify.perIp", v.perIp, defaults.perIp),
    tokenTtlMs: count("verify.tokenTtlMs", v.tokenTtlMs, defaults.tokenTtlMs, 1000),
    issuer: v.issuer,
    audience: v.audience,
    onVerified: v.onVerified,
  };
}
