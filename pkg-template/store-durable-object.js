// durableObjectStore(): the handler's counters in one Cloudflare Durable Object, so every isolate
// in every location counts against the same numbers. The store interface is described at the
// top of store-memory.js; tests/stores/ holds this store to it under wrangler dev.
//
// This module imports nothing (in particular not "cloudflare:workers"), so it loads in Node,
// Deno and browsers too, where it is simply unused. The client speaks to the object over
// stub.fetch() with JSON bodies rather than RPC for the same reason.
//
// Setup, in wrangler.toml:
//
//   [[durable_objects.bindings]]
//   name = "OTP_STORE"
//   class_name = "OtpStore"
//
//   [[migrations]]
//   tag = "v1"
//   new_sqlite_classes = ["OtpStore"]
//
// and in the Worker's main module: `export { OtpStore }` next to the default export, then
// `createOtpHandler({ ..., store: durableObjectStore(env.OTP_STORE) })`.
//
// One named object holds every counter. That is what makes the limits exact: a Durable Object
// runs its requests one at a time in one place, so counts are strongly consistent across all
// isolates and locations. It is also the ceiling: one object's throughput, on the order of a
// thousand requests a second, shared by all of the app's sends (each send is one reserve, and a
// failed send one release). Give each app (or environment) its own `name` so they count apart.

/** Expired rows deleted per reservation, on top of the ones it meets itself (see sweep()). */
const SWEEP_ROWS = 100;
/** The most counters one reservation may carry; the handler sends a handful. */
const MAX_COUNTERS_PER_CALL = 64;
const MAX_KEY_LENGTH = 512;

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** The counters of a request body, or a string saying what is wrong with them. */
function parseCounters(body) {
  const counters = body?.counters;
  if (!Array.isArray(counters) || counters.length > MAX_COUNTERS_PER_CALL) return "counters must be an array";
  for (const c of counters) {
    if (typeof c?.key !== "string" || c.key.length === 0 || c.key.length > MAX_KEY_LENGTH) return "bad counter key";
    if (!Number.isSafeInteger(c.limit) || c.limit < 0) return `bad limit for ${c.key}`;
    if (!Number.isSafeInteger(c.windowMs) || c.windowMs < 1) return `bad windowMs for ${c.key}`;
  }
  return counters;
}

/**
 * The Durable Object. Export it from the Worker's main module and declare it with a
 * `new_sqlite_classes` migration: the counters live in the object's SQLite storage.
 *
 *   counters(key TEXT PRIMARY KEY, count INTEGER, reset_at INTEGER)
 *
 * A row is one counter's current window: `count` counted so far, ending at `reset_at` (epoch ms,
 * by the object's own clock). A row whose reset_at has passed is expired and counts as 0.
 *
 * POST /reserve { counters } -> { ok: true } | { ok: false, key, retryAfterMs }
 * POST /release { counters } -> { ok: true }
 *
 * A client-sent `nowMs` is ignored: every window is timed by this object's Date.now(), so
 * isolates with skewed clocks cannot stretch or shorten each other's windows.
 */
export class OtpStore {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
    this.sql = ctx.storage.sql;
    // Idempotent, and cheap enough to run on every start of the object.
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, reset_at INTEGER NOT NULL)",
    );
    this.sql.exec("CREATE INDEX IF NOT EXISTS counters_reset_at ON counters (reset_at)");
  }

  async fetch(request) {
    const { pathname } = new URL(request.url);
    const op = pathname === "/reserve" ? "reserve" : pathname === "/release" ? "release" : null;
    if (!op) return json({ error: "not found" }, 404);
    if (request.method !== "POST") return json({ error: "method not allowed" }, 405);
    let body;
    try {
      body = await request.json();
    } catch {
      return json({ error: "body is not JSON" }, 400);
    }
    const counters = parseCounters(body);
    if (typeof counters === "string") return json({ error: counters }, 400);
    // From here on everything is synchronous: SQL calls on a Durable Object's storage do not
    // yield, so no other request runs in between, and transactionSync rolls back on a throw.
    // That is what makes a reservation count one in every counter or in none.
    const nowMs = Date.now();
    const answer = this.ctx.storage.transactionSync(() =>
      op === "reserve" ? this.reserve(counters, nowMs) : this.release(counters, nowMs),
    );
    return json(answer);
  }

  reserve(counters, nowMs) {
    for (const c of counters) {
      const row = this.sql.exec("SELECT count, reset_at FROM counters WHERE key = ?", c.key).toArray()[0];
      const live = row && row.reset_at > nowMs;
      if ((live ? row.count : 0) >= c.limit) {
        return { ok: false, key: c.key, retryAfterMs: live ? row.reset_at - nowMs : c.windowMs };
      }
    }
    for (const c of counters) {
      // A new or expired row starts a window of windowMs (the expired one is overwritten, which
      // is its deletion); a live one counts one more.
      this.sql.exec(
        `INSERT INTO counters (key, count, reset_at) VALUES (?1, 1, ?2 + ?3)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN reset_at > ?2 THEN count + 1 ELSE 1 END,
           reset_at = CASE WHEN reset_at > ?2 THEN reset_at ELSE ?2 + ?3 END`,
        c.key,
        nowMs,
        c.windowMs,
      );
    }
    this.sweep(nowMs);
    return { ok: true };
  }

  release(counters, nowMs) {
    for (const c of counters) {
      // Expired: there is nothing to give back, and the row goes. Live: one back, never below 0.
      this.sql.exec("DELETE FROM counters WHERE key = ? AND reset_at <= ?", c.key, nowMs);
      this.sql.exec("UPDATE counters SET count = count - 1 WHERE key = ? AND count > 0", c.key);
    }
    return { ok: true };
  }

  /**
   * Bounded cleanup, run with every successful reservation: delete up to SWEEP_ROWS expired
   * rows, oldest first, found through the reset_at index (so a sweep with nothing to do reads
   * next to nothing). Rows are only ever made by reservations, and each reservation makes at
   * most a handful while this removes up to a hundred, so the table stays at about the number
   * of live windows and never grows without bound. Chosen over an alarm because an alarm wakes
   * (and bills) an idle object and adds scheduling state, while this rides on requests that are
   * already running; the cost is that an idle object keeps its last expired rows until the next
   * reservation, which is harmless. (A subquery rather than DELETE ... LIMIT, which SQLite only
   * has when built with SQLITE_ENABLE_UPDATE_DELETE_LIMIT.)
   */
  sweep(nowMs) {
    this.sql.exec(
      "DELETE FROM counters WHERE key IN (SELECT key FROM counters WHERE reset_at <= ? ORDER BY reset_at LIMIT ?)",
      nowMs,
      SWEEP_ROWS,
    );
  }
}

/**
 * The store client over an OtpStore namespace binding (`env.OTP_STORE`). Every call goes to the
 * one object named `name` (default "turkeysms-otp"; give each app its own). A non-2xx answer or
 * a thrown error (the object unreachable, reset, overloaded) rejects, and the handler then
 * refuses with 503 STORE_UNAVAILABLE: it never sends without counting.
 */
export function durableObjectStore(namespace, { name = "turkeysms-otp" } = {}) {
  if (typeof namespace?.idFromName !== "function" || typeof namespace?.get !== "function") {
    throw new TypeError("durableObjectStore: pass a Durable Object namespace binding, such as env.OTP_STORE");
  }
  const id = namespace.idFromName(name);

  async function call(op, counters) {
    // A new stub per call: a stub is an I/O object of the request that made it (the handler's
    // store outlives requests), and Cloudflare advises a fresh stub after any error anyway.
    // Making one is local and cheap.
    const response = await namespace.get(id).fetch(`https://otp-store/${op}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ counters: counters.map(({ key, limit, windowMs }) => ({ key, limit, windowMs })) }),
    });
    if (!response.ok) {
      const detail = await response.text().catch(() => "");
      throw new Error(
        `durableObjectStore: ${op} answered ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ""}`,
      );
    }
    return response.json();
  }

  return {
    async reserve(counters, _nowMs) {
      const answer = await call("reserve", counters);
      if (answer?.ok === true) return { ok: true };
      if (answer?.ok === false && typeof answer.key === "string" && Number.isFinite(answer.retryAfterMs)) {
        return { ok: false, key: answer.key, retryAfterMs: answer.retryAfterMs };
      }
      throw new Error("durableObjectStore: reserve got an answer it does not understand");
    },

    async release(counters, _nowMs) {
      await call("release", counters);
    },
  };
}
