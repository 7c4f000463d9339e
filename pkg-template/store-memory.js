// memoryStore(): the handler's state in this process or isolate's memory. Good for one server;
// it holds nothing across Cloudflare's many isolates or behind a load balancer (use
// durableObjectStore or redisStore there).
//
// The store interface every store implements (the conformance suite in tests/stores/ holds them
// to it):
//
//   reserve(counters, nowMs) -> Promise<{ ok: true } | { ok: false, key, retryAfterMs }>
//     counters: [{ key, limit, windowMs }]. Atomically: when every counter has room in its
//     current window (fewer than `limit` counted), count one in each and answer ok; otherwise
//     count none and name the first counter that is full, with the time until its window ends.
//     A window starts at the first count and lasts `windowMs`.
//   release(counters, nowMs) -> Promise<void>
//     Takes back one count from each counter (never below zero): a reservation whose send failed.
//
//   putCode(key, hash, ttlMs) -> Promise<void>
//     Keeps a pending code's keyed hash under `key` with no attempts counted, replacing whatever
//     was there (a new send replaces the pending code); the same hash again while it is live
//     keeps the attempts it has had. It can be checked for ttlMs; for ttlMs
//     more it is remembered as expired (so a late try hears CODE_EXPIRED); then it is gone.
//   attemptCode(key, maxAttempts) -> Promise<{ state: "none" | "expired" | "exhausted" }
//                                            | { state: "live", hash, attempts }>
//     Atomically: a live code with fewer than maxAttempts attempts counts one more and answers
//     its hash and the attempts now counted. The caller compares after the attempt is counted, so
//     many concurrent guesses can never be compared more than maxAttempts times.
//   consumeCode(key, hash) -> Promise<boolean>
//     Atomically deletes the code if it is still the one with `hash`; true when this call did. Of
//     two concurrent right answers only one consumes it: a code works once.
//
// Any store failure rejects, and the handler then refuses with 503 STORE_UNAVAILABLE: it never
// sends without counting, and never says a code is right without the store saying so.

/**
 * The most counters (and, apart, the most pending codes) kept. Past it a reservation (or a
 * putCode) that needs a new one rejects, and the handler refuses with 503 until some expire: the
 * store fails closed rather than forgetting counts (which would loosen every limit). The
 * handler's own use stays far below it: only sends, and checks against a live code, make counters.
 */
const MAX_COUNTERS = 200_000;

export function memoryStore({ maxCounters = MAX_COUNTERS } = {}) {
  // Pending codes, oldest put first (a put deletes and re-inserts): with the handler's one
  // codeTtlMs the ones gone are always at the front.
  const codes = new Map();
  // One map per window length: counters of one length expire in the order they were made, so
  // expired ones are always at the front and are dropped without scanning the rest.
  const byWindow = new Map();
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
        size -= 1;
      }
    }
  }

  /** The live counter for `key`, or null. */
  function current(counter, nowMs) {
    const w = windowsOf(counter.windowMs).get(counter.key);
    return w && w.resetAt > nowMs ? w : null;
  }

  function forget(nowMs) {
    for (const [key, code] of codes) {
      if (code.goneAt > nowMs) break;
      codes.delete(key);
    }
  }

  return {
    async reserve(counters, nowMs = Date.now()) {
      expire(nowMs);
      for (const counter of counters) {
        const w = current(counter, nowMs);
        if (w && w.count >= counter.limit) return { ok: false, key: counter.key, retryAfterMs: w.resetAt - nowMs };
        if (!w && counter.limit < 1) return { ok: false, key: counter.key, retryAfterMs: counter.windowMs };
      }
      const fresh = counters.filter((counter) => !current(counter, nowMs)).length;
      if (size + fresh > maxCounters) throw new Error(`memoryStore is full (${maxCounters} counters)`);
      for (const counter of counters) {
        const w = current(counter, nowMs);
        if (w) w.count += 1;
        else {
          windowsOf(counter.windowMs).set(counter.key, { count: 1, resetAt: nowMs + counter.windowMs });
          size += 1;
        }
      }
      return { ok: true };
    },

    async release(counters, nowMs = Date.now()) {
      for (const counter of counters) {
        const w = current(counter, nowMs);
        if (w && w.count > 0) w.count -= 1;
      }
    },

    async putCode(key, hash, ttlMs, nowMs = Date.now()) {
      forget(nowMs);
      const previous = codes.get(key);
      if (!previous && codes.size >= maxCounters) throw new Error(`memoryStore is full (${maxCounters} codes)`);
      // The same code again (TurkeySMS answering a duplicate send) keeps the tries it has had.
      const attempts = previous?.hash === hash && previous.expiresAt > nowMs ? previous.attempts : 0;
      codes.delete(key);
      codes.set(key, { hash, attempts, expiresAt: nowMs + ttlMs, goneAt: nowMs + 2 * ttlMs });
    },

    async attemptCode(key, maxAttempts, nowMs = Date.now()) {
      const code = codes.get(key);
      if (!code || code.goneAt <= nowMs) return { state: "none" };
      if (code.expiresAt <= nowMs) return { state: "expired" };
      if (code.attempts >= maxAttempts) return { state: "exhausted" };
      code.attempts += 1;
      return { state: "live", hash: code.hash, attempts: code.attempts };
    },

    async consumeCode(key, hash) {
      if (codes.get(key)?.hash !== hash) return false;
      codes.delete(key);
      return true;
    },

    /** For tests: how many counters are held. */
    get size() {
      return size;
    },
  };
}
