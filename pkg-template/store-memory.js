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
// Any store failure rejects, and the handler then refuses with 503 STORE_UNAVAILABLE: it never
// sends without counting.

/** The most counters kept; past it the ones closest to expiry go first, so memory stays bounded. */
const MAX_COUNTERS = 200_000;

export function memoryStore({ maxCounters = MAX_COUNTERS } = {}) {
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

  function evictOldest() {
    let oldest = null;
    for (const windows of byWindow.values()) {
      const first = windows.entries().next().value;
      if (first && (!oldest || first[1].resetAt < oldest.w.resetAt)) oldest = { windows, key: first[0], w: first[1] };
    }
    if (oldest) {
      oldest.windows.delete(oldest.key);
      size -= 1;
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
      for (const counter of counters) {
        const w = current(counter, nowMs);
        if (w) w.count += 1;
        else {
          if (size >= maxCounters) evictOldest();
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

    /** For tests: how many counters are held. */
    get size() {
      return size;
    },
  };
}
