// redisStore(client): the service's state in Redis, for Node, Bun and Deno servers, and for many
// instances (processes, machines behind a load balancer) that share one Redis: every instance
// counts against the same limits. It implements the store interface described at the top of
// memory.js, each operation one Lua script (stores/redis/*.lua), atomic in Redis.
//
// `client` is a connected client of the `redis` npm package (node-redis v5 or later), made and
// owned by the caller: this file imports nothing, and never connects, closes or reconfigures it.
// Give it a bounded failure mode, so that a request fails fast (503) rather than waiting for a
// Redis that is gone:
//
//   createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(n * 100, 2000) } })
//
// Scripts are called by their SHA-1 (EVALSHA), so only their arguments travel; when Redis does
// not have a script (a restart, SCRIPT FLUSH) it is loaded with SCRIPT LOAD and called again: a
// script loaded that way stays until SCRIPT FLUSH, where one that EVAL loaded may be evicted
// (Redis 7.4 and later evict EVAL's scripts, least recently used, when there are many). One
// operation is one round trip, but for the first call of each script after Redis lost it: three
// (the EVALSHA answered NOSCRIPT, SCRIPT LOAD, the EVALSHA).
//
// Keys: `${prefix}${key}`. Counters are strings holding the count of their window, made with an
// expiry of windowMs, so Redis' clock ends every window and nothing needs cleaning up. The keys
// of one operation are touched by one script, so on Redis Cluster they must hash to one slot (a
// prefix such as "{turkeysms-otp}:" does that). Any Redis error rejects; the service then refuses
// with 503 STORE_UNAVAILABLE.
//
// The pumping guard's range records are hashes, listed in a sorted set per namespace
// (counters.lua); guardStats reads the records the list names, which only works when they are on
// the same node as the list (one Redis, or a Cluster prefix with a hash tag, as above). It reads
// them a page (GUARD_PAGE records) per script, a round trip each, so a list of 100 000 sprayed
// ranges never blocks Redis for more than a page.

import CHECK_CODE from "./redis/check-code.lua";
import COUNTERS from "./redis/counters.lua";
import DELIVERY from "./redis/delivery.lua";
import DELIVERY_EVENT from "./redis/delivery-event.lua";
import GUARD_STATS from "./redis/guard-stats.lua";
import PUT_CODE from "./redis/put-code.lua";
import RELEASE from "./redis/release.lua";
import RESERVE from "./redis/reserve.lua";

/** The scripts, as Redis runs them: the counters' shared function first where they use it. */
export const SCRIPTS = {
  reserve: `${COUNTERS}\n${RESERVE}`,
  release: RELEASE,
  putCode: PUT_CODE,
  checkCode: `${COUNTERS}\n${CHECK_CODE}`,
  delivery: DELIVERY,
  deliveryEvent: DELIVERY_EVENT,
  guardStats: GUARD_STATS,
};

/** Each script's SHA-1 in hex, as EVALSHA names it; computed once, with WebCrypto. */
const hashes = new Map();
function sha1(script) {
  if (!hashes.has(script)) {
    const digest = crypto.subtle.digest("SHA-1", new TextEncoder().encode(script));
    hashes.set(
      script,
      digest.then((bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("")),
    );
  }
  return hashes.get(script);
}

/** The range records one guardStats script reads (about 4 ms of Redis' time at 1 000). */
const GUARD_PAGE = 1000;

const CODE_STATES = ["none", "expired", "exhausted", "verified"];
/** @type {unknown[]} */
const STATUSES = ["QUEUED", "SENT", "DELIVERED", "FAILED", "EXPIRED"];
const strange = (what, reply) => new Error(`redisStore: unexpected reply from Redis to ${what}: ${typeof reply}`);

/**
 * @param {import("../index.d.ts").RedisScriptClient} client
 * @param {{ prefix?: string }} [options]
 * @returns {import("../index.d.ts").OtpHandlerStore}
 */
export function redisStore(client, { prefix = "turkeysms-otp:" } = {}) {
  if (!client || typeof client.evalSha !== "function" || typeof client.scriptLoad !== "function") {
    throw new TypeError("redisStore: pass a connected client of the `redis` package (createClient().connect())");
  }
  const keyOf = (key) => `${prefix}${key}`;
  const ms = (value) => String(Math.max(1, Math.ceil(value)));
  const limits = (counters) => counters.flatMap((c) => [String(c.limit), ms(c.windowMs), c.cost === 0 ? "0" : "1"]);

  async function run(script, keys, args) {
    const options = { keys, arguments: args };
    const sha = await sha1(script);
    try {
      return await client.evalSha(sha, options);
    } catch (error) {
      if (!String(error?.message).startsWith("NOSCRIPT")) throw error;
      await client.scriptLoad(script);
      return client.evalSha(sha, options);
    }
  }

  return {
    // nowMs is not used: Redis keeps the windows on its own clock.
    async reserve(counters, _nowMs) {
      // At most one range record (the pumping guard) per reservation: its place, its rules, its list.
      const place = counters.findIndex((c) => c.guard) + 1;
      const guard = counters[place - 1]?.guard;
      const reply = await run(
        SCRIPTS.reserve,
        [...counters.map((c) => keyOf(c.key)), ...(guard ? [keyOf(guard.list)] : [])],
        [String(place), String(guard?.minConversion ?? 0), ms(guard?.suspendMs ?? 1), ...limits(counters)],
      );
      const [index, ttl, sends, verified] = Array.isArray(reply) ? reply.map(Number) : [];
      if (index === 0) return { ok: true };
      const counter = counters[index - 1];
      if (!counter || !(ttl >= 0)) throw strange("a reservation", reply);
      const refused = { ok: false, key: counter.key, retryAfterMs: Math.max(1, ttl) };
      return verified >= 0 ? { ...refused, suspended: { sends, verified } } : refused;
    },

    async release(counters, _nowMs) {
      await run(
        SCRIPTS.release,
        counters.map((c) => keyOf(c.key)),
        counters.map((c) => (c.guard ? "1" : "0")),
      );
    },

    async putCode(key, hash, ttlMs, _nowMs, delivery = undefined) {
      const keys = [key === null ? "" : keyOf(key)];
      const args = [hash ?? "", String(Math.max(1, Math.ceil(ttlMs)))];
      if (delivery) {
        keys.push(keyOf(delivery.id), delivery.sms === null ? "" : keyOf(delivery.sms), keyOf(delivery.latest));
        args.push(delivery.cooldown ? keyOf(delivery.cooldown.key) : "");
      }
      await run(SCRIPTS.putCode, keys, args);
    },

    async delivery(id, _nowMs) {
      const status = await run(SCRIPTS.delivery, [keyOf(id)], []);
      if (status === null || status === undefined || status === false) return null;
      if (typeof status !== "string" || !STATUSES.includes(status)) throw strange("a delivery", status);
      return { status: /** @type {import("../index.d.ts").DeliveryStatus} */ (status) };
    },

    async deliveryEvent(sms, status, event, eventTtlMs, _nowMs) {
      const reply = await run(
        SCRIPTS.deliveryEvent,
        [keyOf(sms), keyOf(event)],
        [status, String(Math.max(1, Math.ceil(eventTtlMs)))],
      );
      const [result, now, freed] = Array.isArray(reply) ? reply : [];
      if (result === "unknown") return { result };
      if (!["duplicate", "ignored", "applied"].includes(result) || !STATUSES.includes(now)) {
        throw strange("a delivery event", reply);
      }
      return result === "applied" ? { result, status: now, freed: Number(freed) === 1 } : { result, status: now };
    },

    async checkCode(key, hashes, maxAttempts, counters, _nowMs, guardKey = undefined) {
      const reply = await run(
        SCRIPTS.checkCode,
        [keyOf(key), ...counters.map((c) => keyOf(c.key)), ...(guardKey ? [keyOf(guardKey)] : [])],
        [String(maxAttempts), String(hashes.length), ...hashes, ...limits(counters)],
      );
      const [state, a, b] = Array.isArray(reply) ? reply : [];
      if (CODE_STATES.includes(state)) return { state };
      if (state === "wrong" && Number.isInteger(Number(a))) return { state, attempts: Number(a) };
      const counter = counters[Number(a) - 1];
      if (state === "refused" && counter && Number(b) >= 0) {
        return { state, key: counter.key, retryAfterMs: Math.max(1, Number(b)) };
      }
      throw strange("a code check", reply);
    },

    async guardStats(list, _nowMs) {
      // Page by page (GUARD_PAGE members a script), each page one short script: a round trip per
      // page. A record ZSCAN returns twice is kept once.
      const records = new Map();
      let cursor = "0";
      do {
        const reply = await run(SCRIPTS.guardStats, [keyOf(list)], [cursor, String(GUARD_PAGE)]);
        const [next, rows] = Array.isArray(reply) ? reply : [];
        if (typeof next !== "string" || !/^\d+$/.test(next) || !Array.isArray(rows))
          throw strange("guard stats", reply);
        for (const row of rows) {
          const [key, sends, verified, suspendedForMs] = Array.isArray(row) ? row : [];
          if (!String(key).startsWith(prefix) || ![sends, verified, suspendedForMs].every(Number.isInteger)) {
            throw strange("guard stats", row);
          }
          records.set(key, { key: String(key).slice(prefix.length), sends, verified, suspendedForMs });
        }
        cursor = next;
      } while (cursor !== "0");
      return [...records.values()];
    },
  };
}
