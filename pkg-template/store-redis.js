// redisStore(client): the handler's counters in Redis, for Node, Bun and Deno servers, and for
// many instances of the handler (processes, machines behind a load balancer) that share one
// Redis: every instance counts against the same limits. It implements the store interface
// described at the top of store-memory.js.
//
// `client` is a connected client of the `redis` npm package (node-redis v5 or later), made and
// owned by the caller: this file imports nothing, and never connects, closes or reconfigures it.
// Give it a bounded failure mode, so that a request fails fast (503) rather than waiting for a
// Redis that is gone:
//
//   createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(n * 100, 2000) } })
//
// Keys: one string per counter, `${prefix}${counter.key}` (prefix "turkeysms-otp:" by default),
// holding the count in its current window. The key is created by the first count of a window with
// an expiry of windowMs (PEXPIRE), so counters expire by themselves in Redis: nothing to clean up,
// and Redis' clock, not the caller's `nowMs`, decides when a window ends. A release never changes
// a key's expiry. The keys of one reservation are touched by one Lua script, so on Redis Cluster
// they must hash to one slot (a prefix such as "{turkeysms-otp}:" does that).
//
// Each reserve, release and code operation is one script (EVAL), atomic in Redis: two instances reserving at once
// can never both take a counter's last unit. Any Redis error (connection lost, server stopped,
// script error) rejects the promise; the handler then refuses with 503 STORE_UNAVAILABLE.

// KEYS: the counters' keys; ARGV: limit and windowMs of each, in turn. Answers {0, 0} when it
// counted one in each, or {i, ms}: counter i (from 1) is full and its window ends in ms; then it
// counted nothing. A key without an expiry (not one this store left) gets one on its next count.
const RESERVE = `
for i = 1, #KEYS do
  local count = tonumber(redis.call("GET", KEYS[i]) or "0")
  if count >= tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call("PTTL", KEYS[i])
    if ttl < 0 then ttl = tonumber(ARGV[2 * i]) end
    return {i, ttl}
  end
end
for i = 1, #KEYS do
  redis.call("INCR", KEYS[i])
  if redis.call("PTTL", KEYS[i]) < 0 then redis.call("PEXPIRE", KEYS[i], ARGV[2 * i]) end
end
return {0, 0}
`;

// KEYS: the counters' keys. Takes one from each count above zero; DECR keeps the key's expiry.
const RELEASE = `
for i = 1, #KEYS do
  if tonumber(redis.call("GET", KEYS[i]) or "0") > 0 then redis.call("DECR", KEYS[i]) end
end
return 0
`;

// Pending codes: one hash per number, `${prefix}${key}` with fields h (the code's keyed hash, never
// the code), n (attempts counted) and t (ttlMs). The key lives 2 * ttlMs, so Redis' clock decides
// both ends: while PTTL > t the code can be checked, after that it is expired, then gone.
// KEYS: the code's key; ARGV: hash, ttlMs.
// The same hash again while the code is live keeps its attempts.
const PUT_CODE = `
local ttl = redis.call("PTTL", KEYS[1])
local fields = redis.call("HMGET", KEYS[1], "h", "n", "t")
local n = 0
if fields[1] == ARGV[1] and tonumber(fields[3]) and ttl > tonumber(fields[3]) then n = tonumber(fields[2]) or 0 end
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], "h", ARGV[1], "n", n, "t", ARGV[2])
redis.call("PEXPIRE", KEYS[1], 2 * tonumber(ARGV[2]))
return 0
`;

// KEYS: the code's key; ARGV: maxAttempts. Answers {"none"}, {"expired"}, {"exhausted"} or
// {"live", hash, attempts}, counting the attempt. A key without an expiry is not one this store
// left: it is treated as expired (fails closed).
const ATTEMPT_CODE = `
local ttl = redis.call("PTTL", KEYS[1])
if ttl == -2 then return {"none"} end
local fields = redis.call("HMGET", KEYS[1], "h", "n", "t")
local hash, n, t = fields[1], tonumber(fields[2]), tonumber(fields[3])
if not hash or not n or not t then return {"none"} end
if ttl < 0 or ttl <= t then return {"expired"} end
if n >= tonumber(ARGV[1]) then return {"exhausted"} end
return {"live", hash, redis.call("HINCRBY", KEYS[1], "n", 1)}
`;

// KEYS: the code's key; ARGV: hash. Deletes the code if it is still that one.
const CONSUME_CODE = `
if redis.call("HGET", KEYS[1], "h") == ARGV[1] then
  redis.call("DEL", KEYS[1])
  return 1
end
return 0
`;

const CODE_STATES = ["none", "expired", "exhausted"];

export function redisStore(client, { prefix = "turkeysms-otp:" } = {}) {
  if (!client || typeof client.eval !== "function") {
    throw new TypeError("redisStore: pass a connected client of the `redis` package (createClient().connect())");
  }
  const keysOf = (counters) => counters.map((c) => `${prefix}${c.key}`);

  return {
    // nowMs is not used: Redis keeps the windows on its own clock.
    async reserve(counters, _nowMs) {
      const args = [];
      for (const c of counters) args.push(String(c.limit), String(Math.max(1, Math.ceil(c.windowMs))));
      const reply = await client.eval(RESERVE, { keys: keysOf(counters), arguments: args });
      const [index, ttl] = Array.isArray(reply) ? reply.map(Number) : [];
      if (index === 0) return { ok: true };
      const counter = counters[index - 1];
      if (!counter || !(ttl >= 0)) throw new Error(`redisStore: unexpected reply from Redis: ${JSON.stringify(reply)}`);
      return { ok: false, key: counter.key, retryAfterMs: Math.max(1, ttl) };
    },

    async release(counters, _nowMs) {
      await client.eval(RELEASE, { keys: keysOf(counters), arguments: [] });
    },

    async putCode(key, hash, ttlMs) {
      const ttl = String(Math.max(1, Math.ceil(ttlMs)));
      await client.eval(PUT_CODE, { keys: [`${prefix}${key}`], arguments: [hash, ttl] });
    },

    async attemptCode(key, maxAttempts) {
      const reply = await client.eval(ATTEMPT_CODE, { keys: [`${prefix}${key}`], arguments: [String(maxAttempts)] });
      const [state, hash, attempts] = Array.isArray(reply) ? reply : [];
      if (CODE_STATES.includes(state)) return { state };
      if (state === "live" && typeof hash === "string" && Number.isInteger(Number(attempts))) {
        return { state, hash, attempts: Number(attempts) };
      }
      throw new Error("redisStore: unexpected reply from Redis to a code check");
    },

    async consumeCode(key, hash) {
      return Number(await client.eval(CONSUME_CODE, { keys: [`${prefix}${key}`], arguments: [hash] })) === 1;
    },
  };
}
