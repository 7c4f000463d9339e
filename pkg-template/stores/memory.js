// memoryStore(): the service's state in this process or isolate's memory. Good for one server;
// it holds nothing across Cloudflare's many isolates or behind a load balancer (use
// durableObjectStore or redisStore there).
//
// The store interface every store implements (tests/stores/conformance.js holds all three to
// it). Each method is one round trip to the store, and atomic in it:
//
//   reserve(counters, nowMs) -> Promise<{ ok: true } | { ok: false, key, retryAfterMs }>
//     counters: [{ key, limit, windowMs, cost? }]. When every counter has room in its current
//     window (fewer than `limit` counted), count `cost` (1, or 0: it only needs room) in each and
//     answer ok; otherwise count none and name the first counter that is full, with the time
//     until its window ends. A window starts at the first count and lasts `windowMs`.
//   release(counters, nowMs) -> Promise<void>
//     Takes back one count from each counter (never below zero): a reservation whose send failed.
//
//   The pumping guard (server/guard.js), in the same calls:
//   a counter with `guard: { minConversion, suspendMs, list }` is a number range's record: it
//     counts `sends` (its count) and `verified` in a window of `windowMs`, and is kept in `list`.
//     In `reserve` it is full while the range is suspended (retryAfterMs: the rest of the
//     suspension), or when `sends >= limit` and `verified < minConversion * sends`: then the
//     reservation starts a suspension of `suspendMs` (the record's window now ends with it) and
//     answers { ok: false, key, retryAfterMs, suspended: { sends, verified } }, the only answer
//     that says a suspension just started. `release` takes a send back (never below `verified`).
//   checkCode(..., nowMs, guardKey?): a "verified" answer also counts one `verified` in the live
//     record `guardKey`, never past its `sends`.
//   guardStats(list, nowMs) -> Promise<[{ key, sends, verified, suspendedForMs }]>
//     The live records kept in `list` (suspendedForMs: 0 when not suspended).
//
//   putCode(key, hash, ttlMs, nowMs, delivery?) -> Promise<void>
//     What a send leaves behind, in one call: the code (when `key` is not null) and, with
//     `delivery` ({ id, sms, latest, cooldown }), the send's delivery status.
//     Keeps a pending code's keyed hash under `key` with no tries counted, replacing whatever was
//     there (a new send replaces the pending code). The same hash again while it is live changes
//     nothing: it keeps its tries, its expiry, and, once used, stays used (TurkeySMS answers a
//     resend inside its duplicate window with the same code). It can be checked for ttlMs; for
//     ttlMs more it is remembered as expired (a late try hears CODE_EXPIRED); then it is gone.
//   checkCode(key, hashes, maxAttempts, counters, nowMs)
//       -> Promise<{ state: "none" | "expired" | "exhausted" | "verified" }
//                | { state: "wrong", attempts } | { state: "refused", key, retryAfterMs }>
//     The whole check. A full counter refuses ("refused", nothing counted) whatever is pending,
//     so a used-up budget cannot tell which numbers have a code. No code record at all: "none",
//     counting nothing, so a check with nothing pending leaves no state behind. A record that is
//     not live (used, expired, out of tries): counts `counters` and answers that. A live code:
//     count `counters` and a try, then compare: a stored hash among `hashes` (one per secret) is "verified" and the code is
//     used (kept as used until it would have expired); otherwise "wrong" with the tries counted.
//     Many concurrent guesses can never get more than maxAttempts comparisons, and of two
//     concurrent right answers only one is "verified".
//
//   Delivery (with the service's `webhook`): putCode's `delivery` keeps, for 2 * ttlMs, the
//   send's status "QUEUED" under `delivery.id`, with the code's key and hash and the cooldown
//   counter ({ key, windowMs }); `delivery.sms` (TurkeySMS's sms_id) and `delivery.latest` (the
//   number's latest send) point at `delivery.id`.
//   delivery(id) -> Promise<{ status } | null>
//   deliveryEvent(sms, status, event, eventTtlMs, nowMs)
//       -> Promise<{ result: "unknown" | "duplicate" | "ignored" | "applied", status?, freed? }>
//     A delivery event, atomically: an `sms` no send left is "unknown" (nothing kept); an `event`
//     key seen within eventTtlMs is a "duplicate"; otherwise the event is remembered, and the
//     status moves forward only (QUEUED < SENT < DELIVERED, FAILED, EXPIRED; the last three are
//     final): anything else is "ignored". A send that becomes FAILED or EXPIRED while it is its
//     number's latest frees the number (`freed`): its cooldown is released and its pending code,
//     if still this send's, is marked used (so the same code cannot come back with new tries).
//
// Any store failure rejects, and the service then refuses with 503 STORE_UNAVAILABLE: it never
// sends without counting, and never says a code is right without the store saying so.

import { DEFAULTS } from "../server/defaults.js";

/** The delivery statuses in their order; the last three are final (FAILED and EXPIRED free the number). */
const RANK = { QUEUED: 0, SENT: 1, DELIVERED: 2, FAILED: 2, EXPIRED: 2 };
const FINAL = ["DELIVERED", "FAILED", "EXPIRED"];

/**
 * @param {{ maxCounters?: number }} [options]
 * @returns {import("../index.d.ts").OtpHandlerStore & { readonly size: number }}
 */
export function memoryStore({ maxCounters = DEFAULTS.handler.maxCounters } = {}) {
  // Pending codes, oldest put first (a put deletes and re-inserts): with one codeTtlMs the ones
  // gone are always at the front.
  const codes = new Map();
  // Delivery records and their pointers, oldest put first, each with the time it is gone.
  const values = new Map();
  // One map per window length: counters of one length expire in the order they were made, so
  // expired ones are always at the front and are dropped without scanning the rest. A range's
  // record (the guard) is a counter with `verified`, `list` and `suspended`: in the map of its
  // windowMs, then, once suspended, of its suspendMs; `guards` finds it by key.
  const byWindow = new Map();
  const guards = new Map();
  let size = 0;

  function windowsOf(windowMs) {
    let windows = byWindow.get(windowMs);
    if (!windows) {
      windows = new Map();
      byWindow.set(windowMs, windows);
    }
    return windows;
  }

  function expire(nowMs) {
    for (const windows of byWindow.values()) {
      for (const [key, w] of windows) {
        if (w.resetAt > nowMs) break;
        windows.delete(key);
        if (guards.get(key) === w) guards.delete(key);
        size -= 1;
      }
    }
  }

  /** The live counter for `counter` (a range's record for a guard), or null. */
  function current(counter, nowMs) {
    const w = counter.guard ? guards.get(counter.key) : windowsOf(counter.windowMs).get(counter.key);
    return w && w.resetAt > nowMs ? w : null;
  }

  /**
   * A range's refusal, or null: suspended, or about to be (then the suspension starts here, and
   * the record moves to the map of its new end).
   */
  function suspended(counter, w, nowMs) {
    if (!w) return null;
    if (w.suspended) return { ok: false, key: counter.key, retryAfterMs: w.resetAt - nowMs };
    if (w.count < counter.limit || w.verified >= counter.guard.minConversion * w.count) return null;
    const { suspendMs } = counter.guard;
    windowsOf(counter.windowMs).delete(counter.key);
    windowsOf(suspendMs).set(counter.key, w);
    w.suspended = true;
    w.resetAt = nowMs + suspendMs;
    return {
      ok: false,
      key: counter.key,
      retryAfterMs: suspendMs,
      suspended: { sends: w.count, verified: w.verified },
    };
  }

  function forget(nowMs) {
    for (const [key, code] of codes) {
      if (code.goneAt > nowMs) break;
      codes.delete(key);
    }
  }

  /** A kept value, or undefined once gone. */
  function value(key, nowMs) {
    const kept = values.get(key);
    return kept && kept.goneAt > nowMs ? kept.value : undefined;
  }
  function keep(key, v, ttlMs, nowMs) {
    for (const [old, kept] of values) {
      if (kept.goneAt > nowMs) break;
      values.delete(old);
    }
    if (!values.has(key) && values.size >= maxCounters) throw new Error(`memoryStore is full (${maxCounters} values)`);
    values.delete(key);
    values.set(key, { value: v, goneAt: nowMs + ttlMs });
  }

  /** The first full counter's refusal, or null. */
  function full(counters, nowMs) {
    expire(nowMs);
    for (const counter of counters) {
      const w = current(counter, nowMs);
      if (counter.guard) {
        const refused = suspended(counter, w, nowMs);
        if (refused) return refused;
        continue;
      }
      if (w && w.count >= counter.limit) return { ok: false, key: counter.key, retryAfterMs: w.resetAt - nowMs };
      if (!w && counter.limit < 1) return { ok: false, key: counter.key, retryAfterMs: counter.windowMs };
    }
    return null;
  }

  /** reserve() without the promise: null when counted, or the refusal. Throws when the store is full. */
  function take(counters, nowMs) {
    const refused = full(counters, nowMs);
    if (refused) return refused;
    const counted = counters.filter((counter) => counter.cost !== 0);
    const fresh = counted.filter((counter) => !current(counter, nowMs)).length;
    if (size + fresh > maxCounters) throw new Error(`memoryStore is full (${maxCounters} counters)`);
    for (const counter of counted) {
      const w = current(counter, nowMs);
      if (w) w.count += 1;
      else {
        const made = { count: 1, resetAt: nowMs + counter.windowMs };
        windowsOf(counter.windowMs).delete(counter.key);
        windowsOf(counter.windowMs).set(counter.key, made);
        if (counter.guard) guards.set(counter.key, Object.assign(made, { verified: 0, list: counter.guard.list }));
        size += 1;
      }
    }
    return null;
  }

  return {
    async reserve(counters, nowMs = Date.now()) {
      return take(counters, nowMs) ?? { ok: true };
    },

    async release(counters, nowMs = Date.now()) {
      for (const counter of counters) {
        const w = current(counter, nowMs);
        if (w && w.count > (w.verified ?? 0)) w.count -= 1;
      }
    },

    async putCode(key, hash, ttlMs, nowMs = Date.now(), delivery = undefined) {
      if (delivery) {
        const record = { status: "QUEUED", code: key, hash, cooldown: delivery.cooldown, latest: delivery.latest };
        keep(delivery.id, record, 2 * ttlMs, nowMs);
        if (delivery.sms) keep(delivery.sms, delivery.id, 2 * ttlMs, nowMs);
        keep(delivery.latest, delivery.id, 2 * ttlMs, nowMs);
      }
      if (key === null) return;
      forget(nowMs);
      const previous = codes.get(key);
      if (previous?.hash === hash && previous.expiresAt > nowMs) return;
      if (!previous && codes.size >= maxCounters) throw new Error(`memoryStore is full (${maxCounters} codes)`);
      codes.delete(key);
      codes.set(key, { hash, attempts: 0, used: false, expiresAt: nowMs + ttlMs, goneAt: nowMs + 2 * ttlMs });
    },

    async delivery(id, nowMs = Date.now()) {
      const record = value(id, nowMs);
      return record ? { status: record.status } : null;
    },

    async deliveryEvent(sms, status, event, eventTtlMs, nowMs = Date.now()) {
      const id = value(sms, nowMs);
      const record = id === undefined ? undefined : value(id, nowMs);
      if (!record) return { result: "unknown" };
      if (value(event, nowMs)) return { result: "duplicate", status: record.status };
      keep(event, true, eventTtlMs, nowMs);
      if (FINAL.includes(record.status) || RANK[status] <= RANK[record.status]) {
        return { result: "ignored", status: record.status };
      }
      record.status = status;
      const freed = FINAL.slice(1).includes(status) && value(record.latest, nowMs) === id;
      if (freed) {
        const cooldown = record.cooldown && current(record.cooldown, nowMs);
        if (cooldown) cooldown.count = 0;
        // Dropped as used, not deleted: a resend TurkeySMS answers with the same code (and no
        // SMS) inside its duplicate window cannot bring it back with fresh tries.
        const code = record.code === null ? undefined : codes.get(record.code);
        if (code && code.hash === record.hash) code.used = true;
      }
      return { result: "applied", status, freed };
    },

    async checkCode(key, hashes, maxAttempts, counters, nowMs = Date.now(), guardKey = undefined) {
      const limited = full(counters, nowMs);
      if (limited) return { state: "refused", key: limited.key, retryAfterMs: limited.retryAfterMs };
      const code = codes.get(key);
      if (!code || code.goneAt <= nowMs || (code.used && code.expiresAt <= nowMs)) return { state: "none" };
      // A code record (live, used, expired or out of tries): the check counts, so that sweeping
      // numbers for CODE_EXPIRED costs the caller its budget.
      const refused = take(counters, nowMs);
      if (refused) return { state: "refused", key: refused.key, retryAfterMs: refused.retryAfterMs };
      if (code.used) return { state: "none" };
      if (code.expiresAt <= nowMs) return { state: "expired" };
      if (code.attempts >= maxAttempts) return { state: "exhausted" };
      code.attempts += 1;
      if (!hashes.includes(code.hash)) return { state: "wrong", attempts: code.attempts };
      // Used: remembered until it would have expired, so a resend of the same code stays used.
      code.used = true;
      const range = guardKey && guards.get(guardKey);
      if (range && range.resetAt > nowMs && range.verified < range.count) range.verified += 1;
      return { state: "verified" };
    },

    async guardStats(list, nowMs = Date.now()) {
      expire(nowMs);
      return [...guards]
        .filter(([, w]) => w.list === list && w.resetAt > nowMs)
        .map(([key, w]) => ({
          key,
          sends: w.count,
          verified: w.verified,
          suspendedForMs: w.suspended ? w.resetAt - nowMs : 0,
        }));
    },

    /** For tests: how many counters are held. */
    get size() {
      return size;
    },
  };
}
