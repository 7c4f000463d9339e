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
// Each reserve and release is one script (EVAL), atomic in Redis: two instances reserving at once
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
  };
}
