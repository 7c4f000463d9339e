// createOtpService: the OTP service itself, with no HTTP in it. It decides everything: which
// numbers and texts may be sent, the limits, the codes and their checks. Every door is a thin
// layer over it: the HTTP handler (http/), a backend's own routes, the auth adapters
// (adapters/). It rejects with OtpErrors whose code, `status` and `retryAfter` (seconds) are the
// ones the handler answers with (answers.js).
//
// A send:  the request (a configured template, the number by the Rust rules, an allowed
//          country) → the counters, in one atomic reservation: per client, global, with `guard`
//          the number's range (guard.js: SMS pumping), cooldown and limit per number. A refusal
//          counts nothing, so refused requests cost no one else budget → the send → with
//          `verify`, the code's keyed hash kept in the store. If the send fails the cooldown and
//          the range's send are given back (an outage must not look like a cooldown, nor like a
//          range nobody types codes back from), except when the code may have gone out; the other
//          counts stay spent, so failing sends cannot be repeated without limit.
// A check: the code and number by the Rust rules → the code's keyed hash under each secret →
//          one store call that finds the pending code, counts the check per number and per
//          client and the try, compares and uses the code up, all atomically. With nothing
//          pending it counts nothing and takes the same work and the same one round trip.
//
// Store keys: `<namespace>:` then `cooldown:`, `number:`, `ip:`, `global`, `verify-number:`,
// `verify-ip:` or `code:`, each followed by the number or the client's bucket, or `guard:` and a
// range (listed under `guards`). The namespace
// keeps applications that share a Redis or a Durable Object apart.

import { normalizeCode, normalizeMobile, sendCustomOtp, sendOtp, validateOptions } from "../sdk.js";
import { refusal, storeFailure, storeUnavailable } from "./answers.js";
import { countryOf } from "./country.js";
import { DEFAULTS } from "./defaults.js";
import { deliveryOf } from "./delivery.js";
import { guardCounter, guardsKey, prefixOf, rangeKey, STATS_LIMIT, statsOf } from "./guard.js";
import { readConfig } from "./options.js";
import { bucketsOf, mask, mayHaveSent, publicFailure } from "./policy.js";

const encoder = new TextEncoder();
/** What a code's keyed hash covers: the number and the code, so a hash fits one number only. */
const signed = (mobile, code) => encoder.encode(`turkeysms-otp:code:${mobile}:${code}`);
const base64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/**
 * The default namespace: 16 characters of SHA-256 over the API key and the oldest verify secret
 * (the one a rotation keeps longest), so two applications are apart unless they share both, and
 * neither can be read back from it.
 */
async function derivedNamespace(c) {
  const oldest = c.verify ? new TextDecoder().decode(c.verify.secret.at(-1)) : "";
  const input = encoder.encode(`turkeysms-otp:namespace\n${c.apiKey}\n${oldest}`);
  return base64url(await crypto.subtle.digest("SHA-256", input)).slice(0, 16);
}

/** A random id for a send: 128 bits, revealing nothing of the number or TurkeySMS's sms_id. */
const newId = () => base64url(crypto.getRandomValues(new Uint8Array(16)));

/**
 * The service over a checked configuration `c` (options.js's readConfig). `emit` hears every
 * event, with what the caller is not told.
 */
export function serviceOf(c, emit) {
  const d = DEFAULTS.handler;
  const v = c.verify;
  // The HMAC keys of the verify secrets, newest first, made on first use.
  let keys;
  const hmacKeys = () => {
    keys ??= Promise.all(
      v.secret.map((bytes) =>
        crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
      ),
    );
    return keys;
  };
  /** The keyed hash of `code` for `mobile` under each secret, newest first. */
  const hashesOf = async (mobile, code) =>
    Promise.all(
      (await hmacKeys()).map(async (key) => base64url(await crypto.subtle.sign("HMAC", key, signed(mobile, code)))),
    );

  let namespace;
  /** The store key of `key`, in this service's namespace. */
  const keyer = async () => {
    namespace ??= c.namespace === undefined ? derivedNamespace(c) : Promise.resolve(c.namespace);
    const ns = await namespace;
    return (key) => `${ns}:${key}`;
  };

  const deliveries = deliveryOf(c, { keyer, emit });

  /** Runs `work` for one call, telling onEvent how it ended; `what` is the success's event type. */
  async function call(what, work) {
    const started = Date.now();
    const action = what === "sent" ? "send" : "check";
    // What the event tells: the number and client once known (and for a send, `about`: its
    // country and template); `type` when the failure has its own (a store error, a code that
    // cannot be checked, an upstream failure); `detail`, what the call learnt on the way
    // (TurkeySMS's code and time).
    const state = { mobile: null, client: null, about: {}, type: null, detail: {} };
    const tell = (event) =>
      emit({
        action,
        client: state.client,
        mobile: state.mobile && mask(state.mobile),
        ...state.about,
        ms: Date.now() - started,
        ...event,
      });
    try {
      const result = await work(state, tell);
      tell({ type: what, code: what === "sent" ? "TS-1024" : "VERIFIED", status: 200, ...state.detail });
      return result;
    } catch (error) {
      if (error?.name !== "OtpError") throw error;
      const type = state.type ?? (state.detail.upstream ? "failed" : "refused");
      tell({ type, code: error.code, status: error.status ?? 400, ...state.detail });
      throw error;
    }
  }

  /** The input object of send/check, or a refusal. */
  function inputOf(input, name, fields) {
    if (typeof input !== "object" || input === null) {
      throw Object.assign(refusal("INVALID_OPTIONS", { message: `${name}: pass { ${fields} }.` }), { field: "input" });
    }
    return input;
  }

  /** The client's buckets for `clientIp` (an IPv6 client's /64 and /48), or [] when none was given. */
  const bucketsFor = (clientIp) => (clientIp === undefined || clientIp === null ? [] : bucketsOf(String(clientIp)));
  /** One counter per bucket of the client: its own with `limit`, a /48 with d.ipv6SiteFactor times it. */
  const perClient = (k, prefix, buckets, limit, code) =>
    buckets.map((b, i) => ({
      key: k(`${prefix}:${b}`),
      limit: i === 0 ? limit.limit : limit.limit * d.ipv6SiteFactor,
      windowMs: limit.windowMs,
      code,
    }));

  /**
   * Reserves `counters` ({ key, limit, windowMs, code }); rejects with the full one's refusal.
   * When the reservation started a range's suspension, tells `prefix-suspended` (once: only this
   * request started it).
   */
  async function reserve(counters, state, tell) {
    let reserved;
    try {
      reserved = await c.store.reserve(counters, Date.now());
      if (reserved?.ok !== true && (reserved?.ok !== false || typeof reserved.key !== "string")) {
        throw new Error("the store's reserve answered something that is not a reservation");
      }
    } catch (error) {
      throw storeFailed(error, state);
    }
    if (!reserved.ok) {
      const { sends, verified } = reserved.suspended ?? {};
      if (c.guard && Number.isInteger(sends) && Number.isInteger(verified)) {
        tell({ type: "prefix-suspended", prefix: prefixOf(state.mobile, c.guard.prefixDigits), sends, verified });
      }
      throw limited(counters, reserved);
    }
  }

  /** The refusal of the counter the store named as full. */
  function limited(counters, { key, retryAfterMs }) {
    const counter = counters.find((one) => one.key === key) ?? counters[counters.length - 1];
    return refusal(counter.code, { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
  }

  function storeFailed(error, state) {
    state.type = "store-error";
    Object.assign(state.detail, { error: String(error?.message ?? error) });
    return storeUnavailable();
  }

  /** The rules' own error for bad input, as a refusal with its status (400). */
  function invalid(error) {
    if (error?.name !== "OtpError") throw error;
    return Object.assign(refusal(error.code, { message: error.message }), { field: error.field });
  }

  /**
   * The counters one send spends, in the order a refusal is reported: the caller's own first
   * (its address, then the global cap), so that a caller who may not send learns nothing about
   * any number (a number's COOLDOWN or NUMBER_LIMIT would tell that someone is signing in).
   * Then, with `guard`, the number's range: a range of thousands of numbers, so its refusal
   * tells nothing about one number. With `verify`, the number's checks must have room too
   * (cost 0: counted by checks, not sends): a code nobody could check is not worth sending, nor
   * billing.
   */
  const sendCounters = (k, mobile, buckets) =>
    [
      ...perClient(k, "ip", buckets, c.perIp, "IP_LIMIT"),
      { key: k("global"), limit: c.globalPerMinute, windowMs: d.globalWindowMs, code: "GLOBAL_LIMIT" },
      c.guard && guardCounter(k, mobile, c.guard),
      c.cooldownMs > 0 && { key: k(`cooldown:${mobile}`), limit: 1, windowMs: c.cooldownMs, code: "COOLDOWN" },
      { key: k(`number:${mobile}`), ...c.perNumber, code: "NUMBER_LIMIT" },
      v && { key: k(`verify-number:${mobile}`), ...v.perNumber, code: "NUMBER_LIMIT", cost: 0 },
    ].filter(Boolean);

  /** The counters one check spends (when the number has a code record), the caller's first. */
  const checkCounters = (k, mobile, buckets) => [
    ...perClient(k, "verify-ip", buckets, v.perIp, "IP_LIMIT"),
    { key: k(`verify-number:${mobile}`), ...v.perNumber, code: "NUMBER_LIMIT" },
  ];

  /**
   * After a send: keeps, in one store call, the code's keyed hash (with `verify`: TurkeySMS must
   * have returned the code) and the send's delivery status (with `webhook`).
   */
  async function keep(k, mobile, sent, state, id, counters) {
    const delivery = deliveryFor(k, id, mobile, sent.smsId, counters);
    if (!v) {
      // Without verify the send stands: a status that could not be kept is the operator's.
      if (delivery) await keepDelivery(delivery);
      return;
    }
    let code;
    try {
      code = normalizeCode(sent.otpCode);
    } catch {
      // The SMS went out: this send is the number's latest, whose cooldown an older send's
      // failure must not release.
      if (delivery) await keepDelivery(delivery);
      const reason = sent.otpCode === undefined ? "no otp_code in TurkeySMS's answer" : "otp_code is not 4 to 6 digits";
      state.type = "verify-unavailable";
      Object.assign(state.detail, { reason });
      throw refusal("VERIFY_UNAVAILABLE");
    }
    try {
      const [hash] = await hashesOf(mobile, code);
      await c.store.putCode(k(`code:${mobile}`), hash, v.codeTtlMs, Date.now(), delivery);
    } catch (error) {
      // The SMS went out but cannot be checked: an answer a page never retries (a retry of a 503
      // would send another SMS).
      state.type = "store-error";
      Object.assign(state.detail, { error: String(error?.message ?? error) });
      throw refusal("VERIFY_UNAVAILABLE");
    }
  }

  /** What a send leaves for its status (with `webhook`), its cooldown counter included. */
  const deliveryFor = (k, id, mobile, smsId, counters) =>
    deliveries.of(
      k,
      id,
      mobile,
      smsId,
      counters.find((counter) => counter.code === "COOLDOWN"),
    );

  /** Keeps a send's delivery record alone (no code); a store failure is the operator's to hear. */
  const keepDelivery = (delivery) =>
    c.store
      .putCode(null, null, v?.codeTtlMs ?? DEFAULTS.handler.verify.codeTtlMs, Date.now(), delivery)
      .catch((error) =>
        emit({ type: "store-error", error: String(error?.message ?? error), client: null, mobile: null, ms: 0 }),
      );

  /**
   * Sends a code. `gate`, for the HTTP layer, is an async check run once the request is valid
   * and before anything is counted (Turnstile); it rejects with a refusal.
   * @param {import("../index.d.ts").OtpSendInput} input
   * @param {{ gate?: () => Promise<void> }} [options]
   * @returns {Promise<{ mobile: string, id: string }>}
   */
  async function send(input, { gate } = {}) {
    return call("sent", async (state, tell) => {
      const { mobile: typed, clientIp, template: name } = inputOf(input, "send", "mobile, clientIp?, template?");
      const custom = name !== undefined;
      const template = custom ? c.templates[name] : undefined;
      if (custom && (typeof name !== "string" || !Object.hasOwn(c.templates, name))) throw refusal("UNKNOWN_TEMPLATE");
      // The caller names the number (and a template); everything else is the service's.
      const options = {
        apiKey: c.apiKey,
        baseUrl: c.baseUrl,
        mobile: typed,
        digits: c.digits,
        lang: c.lang,
        timeoutMs: c.timeoutMs,
        maxRetries: c.maxRetries,
        // Never a second SMS nobody counted: no retry of an attempt that may have reached
        // TurkeySMS (a timeout, a reset, a 5xx); the caller hears at once and may ask again.
        retryUnsentOnly: true,
        ...(custom && { title: template.title, text: template.text }),
      };
      const kind = custom ? "custom" : "standard";
      const [issue] = validateOptions(options, kind).issues;
      if (issue) throw Object.assign(refusal(issue.code, { message: issue.message }), { field: issue.field });
      const mobile = normalizeMobile(typed);
      state.mobile = mobile;
      state.about = { country: countryOf(mobile), template: custom ? name : "standard" };
      const buckets = bucketsFor(clientIp);
      state.client = buckets[0] ?? null;
      if (!c.allowedCountries.some((cc) => mobile.startsWith(cc))) throw refusal("COUNTRY_NOT_ALLOWED");
      if (gate) await gate();

      const k = await keyer();
      const counters = sendCounters(k, mobile, buckets);
      await reserve(counters, state, tell);
      let sent;
      const asked = Date.now();
      try {
        sent = await (custom ? sendCustomOtp : sendOtp)(options);
      } catch (error) {
        if (error?.name !== "OtpError") throw error;
        Object.assign(state.detail, { upstream: error.code, upstreamMs: Date.now() - asked, attempts: error.attempts });
        // Given back when it surely did not go out: the cooldown, and the range's send (a code
        // that was never sent cannot be typed back; counting it would suspend ranges after an
        // outage). The per-number, per-client and global counts stay spent.
        const givenBack = counters.filter((counter) => counter.code === "COOLDOWN" || counter.guard);
        if (!mayHaveSent(error.code) && givenBack.length) {
          await Promise.resolve()
            .then(() => c.store.release(givenBack, Date.now()))
            .catch((e) => tell({ type: "store-error", error: String(e?.message ?? e) }));
        }
        // It may have gone out and keeps its cooldown: it is the number's latest send now, so an
        // older send's failure must not release that cooldown.
        const delivery = mayHaveSent(error.code) && deliveryFor(k, newId(), mobile, undefined, counters);
        if (delivery) await keepDelivery(delivery);
        const code = publicFailure(error.code);
        throw refusal(code, code === "INVALID_MOBILE" ? { message: "This number cannot receive codes." } : {});
      }
      Object.assign(state.detail, { upstream: sent.code, upstreamMs: Date.now() - asked });
      const id = newId();
      await keep(k, mobile, sent, state, id, counters);
      return { mobile, id };
    });
  }

  /**
   * Checks a code.
   * @param {import("../index.d.ts").OtpCheckInput} input
   * @returns {Promise<{ mobile: string }>}
   */
  async function check(input) {
    if (!v)
      throw refusal("INVALID_CONFIG", {
        message: "check: the service has no `verify` option: add verify: { secret }.",
      });
    return call("verified", async (state) => {
      const { mobile: typed, code: typedCode, clientIp } = inputOf(input, "check", "mobile, code, clientIp?");
      let code;
      let mobile;
      try {
        code = normalizeCode(typedCode);
        mobile = normalizeMobile(typed);
      } catch (error) {
        throw invalid(error);
      }
      state.mobile = mobile;
      const buckets = bucketsFor(clientIp);
      state.client = buckets[0] ?? null;
      // The hashes first, whatever is pending: every check takes the same work and one round trip.
      const hashes = await hashesOf(mobile, code);
      const k = await keyer();
      const counters = checkCounters(k, mobile, buckets);
      let result;
      try {
        // With `guard`, a right code counts as typed back in the number's range, in the same call.
        const range = c.guard ? rangeKey(k, mobile, c.guard) : undefined;
        result = await c.store.checkCode(k(`code:${mobile}`), hashes, v.maxAttempts, counters, Date.now(), range);
      } catch (error) {
        throw storeFailed(error, state);
      }
      switch (result?.state) {
        case "verified":
          return { mobile };
        case "none":
          throw refusal("CODE_INVALID");
        case "wrong":
          throw refusal(result.attempts >= v.maxAttempts ? "TOO_MANY_ATTEMPTS" : "CODE_INVALID");
        case "expired":
          throw refusal("CODE_EXPIRED");
        case "exhausted":
          throw refusal("TOO_MANY_ATTEMPTS");
        case "refused":
          throw limited(counters, result);
        default:
          throw storeFailed(new Error("the store's checkCode answered a state it should not"), state);
      }
    });
  }

  /**
   * The pumping guard's view (needs `guard`): sends, codes typed back and the conversion per
   * range (the `limit` with most sends, default STATS_LIMIT) and per country in their current
   * windows, and each range's suspension.
   * @param {{ limit?: number }} [options]
   * @returns {Promise<import("../index.d.ts").OtpGuardStats>}
   */
  async function stats({ limit = STATS_LIMIT } = {}) {
    if (!c.guard) {
      throw refusal("INVALID_CONFIG", { message: "stats: the service has no `guard` option: add guard: {}." });
    }
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw Object.assign(refusal("INVALID_OPTIONS", { message: "stats: limit must be a whole number from 0." }), {
        field: "limit",
      });
    }
    const k = await keyer();
    let records;
    try {
      records = await c.store.guardStats(guardsKey(k), Date.now());
      if (!Array.isArray(records)) throw new Error("the store's guardStats answered something that is not a list");
    } catch (error) {
      throw storeFailure(emit, error);
    }
    return statsOf(records, k, c.guard.windowMs, limit);
  }

  return { send, check, stats, status: deliveries.status, webhook: deliveries.webhook };
}

/** Calls `onEvent` without letting it change or delay an answer's outcome. */
export function emitter(onEvent) {
  return (event) => {
    if (!onEvent) return;
    try {
      Promise.resolve(onEvent(event)).catch(() => {});
    } catch {}
  };
}

/**
 * The public createOtpService: the service of a checked configuration.
 * @param {import("../index.d.ts").OtpServiceConfig} config
 * @returns {import("../index.d.ts").OtpService}
 */
export function createService(config) {
  const c = readConfig(config, { http: false, who: "createOtpService" });
  return serviceOf(c, emitter(c.onEvent));
}
