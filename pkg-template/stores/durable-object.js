// durableObjectStore(): the service's state in one Cloudflare Durable Object, so every isolate
// in every location counts against the same numbers. The store interface is described at the
// top of memory.js; tests/stores/ holds this store to it under wrangler dev. Each operation is
// one request to the object.
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
// The live ranges one /guard-stats request reads: a page, so a stats() never holds the object long.
const GUARD_PAGE = 1000;
/** The most counters one reservation may carry; the handler sends a handful. */
const MAX_COUNTERS_PER_CALL = 64;
const MAX_KEY_LENGTH = 512;

/** The object's operations, by path, and the method that does each. */
const OPERATIONS_METHODS = {
  reserve: "reserve",
  release: "release",
  "put-code": "putCode",
  "check-code": "checkCode",
  delivery: "delivery",
  "delivery-event": "deliveryEvent",
  "guard-stats": "guardStats",
};
const OPERATIONS = Object.keys(OPERATIONS_METHODS);

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const validKey = (key) => typeof key === "string" && key.length > 0 && key.length <= MAX_KEY_LENGTH;
const MAX_HASH_LENGTH = 128;

const MAX_HASHES = 8;
const validHash = (hash) => typeof hash === "string" && hash.length <= MAX_HASH_LENGTH;

const STATUSES = ["QUEUED", "SENT", "DELIVERED", "FAILED", "EXPIRED"];
/** The statuses in their order; the last three are final. */
const RANK = { QUEUED: 0, SENT: 1, DELIVERED: 2, FAILED: 2, EXPIRED: 2 };

/** A send's delivery keys (putCode's `delivery`), or a string saying what is wrong. */
function parseDelivery(d) {
  if (d === undefined || d === null) return null;
  if (!validKey(d.id) || !validKey(d.latest) || (d.sms !== null && !validKey(d.sms))) return "bad delivery keys";
  const c = d.cooldown;
  if (c !== null && (!validKey(c?.key) || !Number.isSafeInteger(c.windowMs) || c.windowMs < 1)) {
    return "bad delivery cooldown";
  }
  return d;
}

/** An operation's body, or a string saying what is wrong with it. */
function parseCode(op, body) {
  if (op === "delivery") return validKey(body?.id) ? body : "bad delivery id";
  if (op === "guard-stats") {
    if (!validKey(body?.list)) return "bad guard list";
    return body.after === "" || validKey(body.after) ? body : "bad guard page";
  }
  if (op === "delivery-event") {
    if (!validKey(body?.sms) || !validKey(body.event)) return "bad delivery event keys";
    if (!STATUSES.includes(body.status)) return "bad status";
    if (!Number.isSafeInteger(body.eventTtlMs) || body.eventTtlMs < 1) return "bad eventTtlMs";
    return body;
  }
  if (op === "put-code") {
    if (body?.key !== null && !validKey(body?.key)) return "bad code key";
    if (body.key !== null && !validHash(body.hash)) return "bad hash";
    if (!Number.isSafeInteger(body.ttlMs) || body.ttlMs < 1) return "bad ttlMs";
    const delivery = parseDelivery(body.delivery);
    return typeof delivery === "string" ? delivery : body;
  }
  if (!validKey(body?.key)) return "bad code key";
  if (!Array.isArray(body.hashes) || body.hashes.length > MAX_HASHES || !body.hashes.every(validHash)) {
    return "bad hashes";
  }
  if (!Number.isSafeInteger(body.maxAttempts) || body.maxAttempts < 0) return "bad maxAttempts";
  if (body.guardKey !== undefined && body.guardKey !== null && !validKey(body.guardKey)) return "bad guardKey";
  const counters = parseCounters(body);
  return typeof counters === "string" ? counters : body;
}

/** The counters of a request body, or a string saying what is wrong with them. */
function parseCounters(body) {
  const counters = body?.counters;
  if (!Array.isArray(counters) || counters.length > MAX_COUNTERS_PER_CALL) return "counters must be an array";
  for (const c of counters) {
    if (!validKey(c?.key)) return "bad counter key";
    if (!Number.isSafeInteger(c.limit) || c.limit < 0) return `bad limit for ${c.key}`;
    if (!Number.isSafeInteger(c.windowMs) || c.windowMs < 1) return `bad windowMs for ${c.key}`;
    if (c.cost !== undefined && c.cost !== 0 && c.cost !== 1) return `bad cost for ${c.key}`;
    const g = c.guard;
    if (g !== undefined && g !== null) {
      if (typeof g.minConversion !== "number" || !(g.minConversion >= 0 && g.minConversion <= 1)) {
        return `bad minConversion for ${c.key}`;
      }
      if (!Number.isSafeInteger(g.suspendMs) || g.suspendMs < 1) return `bad suspendMs for ${c.key}`;
      if (!validKey(g.list)) return `bad guard list for ${c.key}`;
    }
  }
  if (counters.filter((c) => c.guard).length > 1) return "at most one guard per call";
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
 * and the pending codes (only their keyed hashes), one row per number:
 *
 *   codes(key TEXT PRIMARY KEY, hash TEXT, attempts INTEGER, expires_at INTEGER, gone_at INTEGER, used INTEGER)
 *
 * POST /put-code { key, hash, ttlMs } -> { ok: true }
 * POST /check-code { key, hashes, maxAttempts, counters, guardKey? } -> { state, attempts?, key?, retryAfterMs? }
 *
 * and the pumping guard's number ranges (a counter with `guard`), one row per range:
 *
 *   guards(key TEXT PRIMARY KEY, list TEXT, sends INTEGER, verified INTEGER, reset_at INTEGER, suspended INTEGER)
 *
 * whose window ends at reset_at (the suspension's end once suspended).
 * POST /guard-stats { list, after } -> { records: [{ key, sends, verified, suspendedForMs }], next }
 *   one page of GUARD_PAGE live ranges, by key, after the key `after` ("" for the first); `next`
 *   is the last key of a full page, or null: a stats() never holds the object for every range.
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
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS codes (key TEXT PRIMARY KEY, hash TEXT NOT NULL, attempts INTEGER NOT NULL, expires_at INTEGER NOT NULL, gone_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0)",
    );
    this.sql.exec("CREATE INDEX IF NOT EXISTS codes_gone_at ON codes (gone_at)");
    // Deliveries (with the service's webhook), the keys that point at them (an sms_id, a number's
    // latest send), and the events seen (by the hash of their raw body), each gone at gone_at.
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, status TEXT NOT NULL, code TEXT, hash TEXT, cooldown TEXT, cooldown_window INTEGER, latest TEXT NOT NULL, gone_at INTEGER NOT NULL)",
    );
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS pointers (key TEXT PRIMARY KEY, target TEXT NOT NULL, gone_at INTEGER NOT NULL)",
    );
    this.sql.exec("CREATE TABLE IF NOT EXISTS events (key TEXT PRIMARY KEY, gone_at INTEGER NOT NULL)");
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS guards (key TEXT PRIMARY KEY, list TEXT NOT NULL, sends INTEGER NOT NULL, verified INTEGER NOT NULL, reset_at INTEGER NOT NULL, suspended INTEGER NOT NULL DEFAULT 0)",
    );
    this.sql.exec("CREATE INDEX IF NOT EXISTS guards_reset_at ON guards (reset_at)");
    this.sql.exec("CREATE INDEX IF NOT EXISTS guards_list ON guards (list)");
    for (const table of ["deliveries", "pointers", "events"]) {
      this.sql.exec(`CREATE INDEX IF NOT EXISTS ${table}_gone_at ON ${table} (gone_at)`);
    }
    // Objects made before codes could be used up get the column (SQLite has no ADD COLUMN IF NOT EXISTS).
    const columns = this.sql.exec("PRAGMA table_info(codes)").toArray();
    if (!columns.some((column) => column.name === "used")) {
      this.sql.exec("ALTER TABLE codes ADD COLUMN used INTEGER NOT NULL DEFAULT 0");
    }
  }

  async fetch(request) {
    const op = new URL(request.url).pathname.slice(1);
    if (!OPERATIONS.includes(op)) return json({ error: "not found" }, 404);
    if (request.method !== "POST") return json({ error: "method not allowed" }, 405);
    let body;
    try {
      body = await request.json();
    } catch {
      return json({ error: "body is not JSON" }, 400);
    }
    const input = op === "reserve" || op === "release" ? parseCounters(body) : parseCode(op, body);
    if (typeof input === "string") return json({ error: input }, 400);
    // From here on everything is synchronous: SQL calls on a Durable Object's storage do not
    // yield, so no other request runs in between, and transactionSync rolls back on a throw.
    // That is what makes a reservation count one in every counter or in none, and an attempt
    // count before anyone compares.
    const nowMs = Date.now();
    return json(this.ctx.storage.transactionSync(() => this[OPERATIONS_METHODS[op]](input, nowMs)));
  }

  putCode({ key, hash, ttlMs, delivery }, nowMs) {
    if (delivery) {
      const goneAt = nowMs + 2 * ttlMs;
      const c = delivery.cooldown;
      this.sql.exec(
        "INSERT OR REPLACE INTO deliveries (id, status, code, hash, cooldown, cooldown_window, latest, gone_at) VALUES (?, 'QUEUED', ?, ?, ?, ?, ?, ?)",
        delivery.id,
        key,
        hash,
        c ? c.key : null,
        c ? c.windowMs : null,
        delivery.latest,
        goneAt,
      );
      for (const pointer of [delivery.sms, delivery.latest].filter(Boolean)) {
        this.sql.exec(
          "INSERT OR REPLACE INTO pointers (key, target, gone_at) VALUES (?, ?, ?)",
          pointer,
          delivery.id,
          goneAt,
        );
      }
      for (const table of ["deliveries", "pointers", "events"]) {
        const id = table === "deliveries" ? "id" : "key";
        this.sql.exec(
          `DELETE FROM ${table} WHERE ${id} IN (SELECT ${id} FROM ${table} WHERE gone_at <= ? ORDER BY gone_at LIMIT ?)`,
          nowMs,
          SWEEP_ROWS,
        );
      }
    }
    if (key === null) return { ok: true };
    // A new code replaces the pending one; the same code again, live or used, changes nothing.
    this.sql.exec(
      `INSERT INTO codes (key, hash, attempts, expires_at, gone_at, used) VALUES (?1, ?2, 0, ?3, ?4, 0)
       ON CONFLICT (key) DO UPDATE SET
         attempts = excluded.attempts, expires_at = excluded.expires_at, gone_at = excluded.gone_at,
         used = excluded.used, hash = excluded.hash
       WHERE NOT (hash = excluded.hash AND expires_at > ?5)`,
      key,
      hash,
      nowMs + ttlMs,
      nowMs + 2 * ttlMs,
      nowMs,
    );
    this.sql.exec(
      "DELETE FROM codes WHERE key IN (SELECT key FROM codes WHERE gone_at <= ? ORDER BY gone_at LIMIT ?)",
      nowMs,
      SWEEP_ROWS,
    );
    return { ok: true };
  }

  delivery({ id }, nowMs) {
    const row = this.sql.exec("SELECT status FROM deliveries WHERE id = ? AND gone_at > ?", id, nowMs).toArray()[0];
    return { status: row ? row.status : null };
  }

  deliveryEvent({ sms, status, event, eventTtlMs }, nowMs) {
    const pointer = (key) =>
      this.sql.exec("SELECT target FROM pointers WHERE key = ? AND gone_at > ?", key, nowMs).toArray()[0]?.target;
    const id = pointer(sms);
    const row =
      id === undefined
        ? undefined
        : this.sql.exec("SELECT * FROM deliveries WHERE id = ? AND gone_at > ?", id, nowMs).toArray()[0];
    if (!row) return { result: "unknown" };
    if (this.sql.exec("SELECT 1 FROM events WHERE key = ? AND gone_at > ?", event, nowMs).toArray().length) {
      return { result: "duplicate", status: row.status };
    }
    this.sql.exec("INSERT OR REPLACE INTO events (key, gone_at) VALUES (?, ?)", event, nowMs + eventTtlMs);
    if (RANK[row.status] === 2 || RANK[status] <= RANK[row.status]) return { result: "ignored", status: row.status };
    this.sql.exec("UPDATE deliveries SET status = ? WHERE id = ?", status, id);
    const freed = (status === "FAILED" || status === "EXPIRED") && pointer(row.latest) === id;
    if (freed) {
      // Its cooldown released (the counter's window kept), its pending code dropped if still its own.
      if (row.cooldown !== null) {
        this.sql.exec("UPDATE counters SET count = 0 WHERE key = ? AND reset_at > ?", row.cooldown, nowMs);
      }
      if (row.code !== null) {
        // Marked used, not deleted: a resend with the same code cannot bring it back fresh.
        this.sql.exec(
          "UPDATE codes SET used = 1, gone_at = expires_at WHERE key = ? AND hash = ? AND used = 0",
          row.code,
          row.hash,
        );
      }
    }
    return { result: "applied", status, freed };
  }

  checkCode({ key, hashes, maxAttempts, counters, guardKey }, nowMs) {
    // A full counter refuses whatever is pending: a used-up budget cannot tell which numbers
    // have a code. Then only a live code counts anything.
    const limited = this.full(counters, nowMs);
    if (limited) return { state: "refused", key: limited.key, retryAfterMs: limited.retryAfterMs };
    const row = this.sql
      .exec("SELECT hash, attempts, expires_at, gone_at, used FROM codes WHERE key = ?", key)
      .toArray()[0];
    if (!row || row.gone_at <= nowMs) return { state: "none" };
    // A code record, live or not: the check counts (sweeping numbers for "expired" costs the caller).
    const reserved = this.reserve(counters, nowMs);
    if (!reserved.ok) return { state: "refused", key: reserved.key, retryAfterMs: reserved.retryAfterMs };
    if (row.used) return { state: "none" };
    if (row.expires_at <= nowMs) return { state: "expired" };
    if (row.attempts >= maxAttempts) return { state: "exhausted" };
    if (hashes.includes(row.hash)) {
      // Used: kept until it would have expired, so a resend of the same code stays used.
      this.sql.exec("UPDATE codes SET attempts = attempts + 1, used = 1, gone_at = expires_at WHERE key = ?", key);
      if (guardKey) {
        this.sql.exec(
          "UPDATE guards SET verified = verified + 1 WHERE key = ? AND reset_at > ? AND verified < sends",
          guardKey,
          nowMs,
        );
      }
      return { state: "verified" };
    }
    this.sql.exec("UPDATE codes SET attempts = attempts + 1 WHERE key = ?", key);
    return { state: "wrong", attempts: row.attempts + 1 };
  }

  /** The first full counter's refusal, or null. */
  full(counters, nowMs) {
    for (const c of counters) {
      if (c.guard) {
        const refused = this.suspension(c, nowMs);
        if (refused) return refused;
        continue;
      }
      const row = this.sql.exec("SELECT count, reset_at FROM counters WHERE key = ?", c.key).toArray()[0];
      const live = row && row.reset_at > nowMs;
      if ((live ? row.count : 0) >= c.limit) {
        return { ok: false, key: c.key, retryAfterMs: live ? row.reset_at - nowMs : c.windowMs };
      }
    }
    return null;
  }

  /**
   * A range's refusal, or null: suspended, or about to be (then the suspension starts here and
   * the range's window ends with it).
   */
  suspension(c, nowMs) {
    const row = this.sql
      .exec("SELECT sends, verified, reset_at, suspended FROM guards WHERE key = ? AND reset_at > ?", c.key, nowMs)
      .toArray()[0];
    if (!row) return null;
    if (row.suspended) return { ok: false, key: c.key, retryAfterMs: row.reset_at - nowMs };
    if (row.sends < c.limit || row.verified >= c.guard.minConversion * row.sends) return null;
    const { suspendMs } = c.guard;
    this.sql.exec("UPDATE guards SET suspended = 1, reset_at = ? WHERE key = ?", nowMs + suspendMs, c.key);
    return { ok: false, key: c.key, retryAfterMs: suspendMs, suspended: { sends: row.sends, verified: row.verified } };
  }

  reserve(counters, nowMs) {
    const refused = this.full(counters, nowMs);
    if (refused) return refused;
    for (const c of counters.filter((counter) => counter.guard)) {
      // A send in the range's record; a new or ended one starts a window of windowMs.
      this.sql.exec(
        `INSERT INTO guards (key, list, sends, verified, reset_at, suspended) VALUES (?1, ?2, 1, 0, ?3 + ?4, 0)
         ON CONFLICT (key) DO UPDATE SET
           sends = CASE WHEN reset_at > ?3 THEN sends + 1 ELSE 1 END,
           verified = CASE WHEN reset_at > ?3 THEN verified ELSE 0 END,
           suspended = CASE WHEN reset_at > ?3 THEN suspended ELSE 0 END,
           reset_at = CASE WHEN reset_at > ?3 THEN reset_at ELSE ?3 + ?4 END,
           list = excluded.list`,
        c.key,
        c.guard.list,
        nowMs,
        c.windowMs,
      );
    }
    for (const c of counters.filter((counter) => counter.cost !== 0 && !counter.guard)) {
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
      if (c.guard) {
        // A range's send back, never below the codes typed back.
        this.sql.exec(
          "UPDATE guards SET sends = sends - 1 WHERE key = ? AND reset_at > ? AND sends > verified",
          c.key,
          nowMs,
        );
        continue;
      }
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
    for (const table of ["counters", "guards"]) {
      this.sql.exec(
        `DELETE FROM ${table} WHERE key IN (SELECT key FROM ${table} WHERE reset_at <= ? ORDER BY reset_at LIMIT ?)`,
        nowMs,
        SWEEP_ROWS,
      );
    }
  }

  guardStats({ list, after }, nowMs) {
    const rows = this.sql
      .exec(
        "SELECT key, sends, verified, reset_at, suspended FROM guards WHERE list = ? AND reset_at > ? AND key > ? ORDER BY key LIMIT ?",
        list,
        nowMs,
        after,
        GUARD_PAGE,
      )
      .toArray();
    return {
      records: rows.map((r) => ({
        key: r.key,
        sends: r.sends,
        verified: r.verified,
        suspendedForMs: r.suspended ? r.reset_at - nowMs : 0,
      })),
      next: rows.length === GUARD_PAGE ? rows.at(-1).key : null,
    };
  }
}

/**
 * The store client over an OtpStore namespace binding (`env.OTP_STORE`). Every call goes to the
 * one object named `name` (default "turkeysms-otp"; give each app its own). A non-2xx answer or
 * a thrown error (the object unreachable, reset, overloaded) rejects, and the service then
 * refuses with 503 STORE_UNAVAILABLE: it never sends without counting.
 */
/**
 * @param {import("../index.d.ts").OtpStoreNamespace} namespace
 * @param {{ name?: string }} [options]
 * @returns {import("../index.d.ts").OtpHandlerStore}
 */
export function durableObjectStore(namespace, { name = "turkeysms-otp" } = {}) {
  if (typeof namespace?.idFromName !== "function" || typeof namespace?.get !== "function") {
    throw new TypeError("durableObjectStore: pass a Durable Object namespace binding, such as env.OTP_STORE");
  }
  const id = namespace.idFromName(name);

  async function call(op, body) {
    // A new stub per call: a stub is an I/O object of the request that made it (the handler's
    // store outlives requests), and Cloudflare advises a fresh stub after any error anyway.
    // Making one is local and cheap.
    const response = await namespace.get(/** @type {never} */ (id)).fetch(`https://otp-store/${op}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const detail = await response.text().catch(() => "");
      throw new Error(
        `durableObjectStore: ${op} answered ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ""}`,
      );
    }
    return response.json();
  }
  const plain = (counters) => ({
    counters: counters.map(({ key, limit, windowMs, cost, guard }) => ({
      key,
      limit,
      windowMs,
      cost: cost === 0 ? 0 : 1,
      ...(guard && { guard: { ...guard, suspendMs: Math.max(1, Math.ceil(guard.suspendMs)) } }),
    })),
  });

  return {
    async reserve(counters, _nowMs) {
      const answer = await call("reserve", plain(counters));
      if (answer?.ok === true) return { ok: true };
      if (answer?.ok === false && typeof answer.key === "string" && Number.isFinite(answer.retryAfterMs)) {
        const refused = { ok: false, key: answer.key, retryAfterMs: answer.retryAfterMs };
        const { sends, verified } = answer.suspended ?? {};
        return Number.isInteger(sends) && Number.isInteger(verified)
          ? { ...refused, suspended: { sends, verified } }
          : refused;
      }
      throw new Error("durableObjectStore: reserve got an answer it does not understand");
    },

    async release(counters, _nowMs) {
      await call("release", plain(counters));
    },

    async putCode(key, hash, ttlMs, _nowMs, delivery = undefined) {
      await call("put-code", { key, hash, ttlMs: Math.max(1, Math.ceil(ttlMs)), delivery });
    },

    async delivery(id, _nowMs) {
      const answer = await call("delivery", { id });
      if (answer?.status === null) return null;
      if (!STATUSES.includes(answer?.status))
        throw new Error("durableObjectStore: delivery got an answer it does not understand");
      return { status: answer.status };
    },

    async deliveryEvent(sms, status, event, eventTtlMs, _nowMs) {
      const answer = await call("delivery-event", {
        sms,
        status,
        event,
        eventTtlMs: Math.max(1, Math.ceil(eventTtlMs)),
      });
      const { result } = answer ?? {};
      if (result === "unknown") return { result };
      if (["duplicate", "ignored", "applied"].includes(result) && STATUSES.includes(answer.status)) {
        return result === "applied"
          ? { result, status: answer.status, freed: answer.freed === true }
          : { result, status: answer.status };
      }
      throw new Error("durableObjectStore: delivery-event got an answer it does not understand");
    },

    async checkCode(key, hashes, maxAttempts, counters, _nowMs, guardKey = undefined) {
      const answer = await call("check-code", { key, hashes, maxAttempts, ...plain(counters), guardKey });
      const state = answer?.state;
      if (["none", "expired", "exhausted", "verified"].includes(state)) return { state };
      if (state === "wrong" && Number.isInteger(answer.attempts)) return { state, attempts: answer.attempts };
      if (state === "refused" && typeof answer.key === "string" && Number.isFinite(answer.retryAfterMs)) {
        return { state, key: answer.key, retryAfterMs: answer.retryAfterMs };
      }
      throw new Error("durableObjectStore: check-code got an answer it does not understand");
    },

    async guardStats(list, _nowMs) {
      // Page by page, a request each, so other requests run between them.
      const records = [];
      const valid = (r) =>
        typeof r?.key === "string" && [r.sends, r.verified, r.suspendedForMs].every(Number.isInteger);
      let after = "";
      do {
        const answer = await call("guard-stats", { list, after });
        const page = answer?.records;
        if (!Array.isArray(page) || !page.every(valid) || (answer.next !== null && typeof answer.next !== "string")) {
          throw new Error("durableObjectStore: guard-stats got an answer it does not understand");
        }
        for (const { key, sends, verified, suspendedForMs } of page)
          records.push({ key, sends, verified, suspendedForMs });
        after = answer.next;
      } while (after !== null);
      return records;
    },
  };
}
