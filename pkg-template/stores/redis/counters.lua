-- Prepended to reserve.lua and check-code.lua. The n counters are KEYS[from], ...,
-- KEYS[from + n - 1]; their limit, windowMs and cost (1, or 0: it only needs room) are ARGV[at],
-- ARGV[at + 1], ARGV[at + 2], then the next three. A key is made by the first count of a window
-- with an expiry of windowMs, so Redis' clock ends windows; a key without an expiry (not one this
-- store left) gets one on its next count.
--
-- `guard` (reserve only, or nil): { place, conversion, suspendMs, list }. The counter at `place`
-- is a number range's record (the pumping guard): a hash of s (sends), v (verified) and u ("1"
-- while suspended), living windowMs from its first send, or suspendMs from its suspension; its
-- limit is minSends. `list` is a sorted set of the records' keys scored by when they end.

-- Redis' clock, in ms.
local function now()
  local t = redis.call("TIME")
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Keeps `key` in the list, ending at `ends`; drops the ended ones (the list lives as long as its
-- longest record could).
local function listed(guard, key, ends, t)
  redis.call("ZADD", guard.list, ends, key)
  redis.call("ZREMRANGEBYSCORE", guard.list, "-inf", t)
  redis.call("PEXPIRE", guard.list, math.max(ends - t, tonumber(redis.call("PTTL", guard.list))))
end

-- The range's refusal: the ms it stays suspended (0: it may send), and, when this call started
-- the suspension, its sends and verified.
local function suspension(key, limit, guard)
  local r = redis.call("HMGET", key, "s", "v", "u")
  local s, v = tonumber(r[1]), tonumber(r[2] or "0")
  if not s then return 0 end
  if r[3] == "1" then
    local ttl = redis.call("PTTL", key)
    if ttl < 0 then ttl = guard.suspendMs end
    return math.max(1, ttl)
  end
  if s < tonumber(limit) or v >= guard.conversion * s then return 0 end
  local t = now()
  redis.call("HSET", key, "u", "1")
  redis.call("PEXPIRE", key, guard.suspendMs)
  listed(guard, key, t + guard.suspendMs, t)
  return guard.suspendMs, s, v
end

-- The first full counter's place (from 1) and the ms until its window ends (and, for a range
-- whose suspension this call started, its sends and verified), or 0, 0.
local function full(from, at, n, guard)
  for i = 0, n - 1 do
    local key = KEYS[from + i]
    if guard and guard.place == i + 1 then
      local ms, s, v = suspension(key, ARGV[at + 3 * i], guard)
      if ms > 0 then return i + 1, ms, s, v end
    elseif tonumber(redis.call("GET", key) or "0") >= tonumber(ARGV[at + 3 * i]) then
      local ttl = redis.call("PTTL", key)
      if ttl < 0 then ttl = tonumber(ARGV[at + 3 * i + 1]) end
      return i + 1, ttl
    end
  end
  return 0, 0
end

-- Counts cost in each counter (a send in a range's record, which its first send makes).
local function count(from, at, n, guard)
  for i = 0, n - 1 do
    local key = KEYS[from + i]
    local windowMs = ARGV[at + 3 * i + 1]
    if guard and guard.place == i + 1 then
      if redis.call("HINCRBY", key, "s", 1) == 1 and redis.call("PTTL", key) < 0 then
        local t = now()
        redis.call("HSET", key, "v", 0)
        redis.call("PEXPIRE", key, windowMs)
        listed(guard, key, t + tonumber(windowMs), t)
      end
    elseif ARGV[at + 3 * i + 2] ~= "0" then
      redis.call("INCR", key)
      if redis.call("PTTL", key) < 0 then redis.call("PEXPIRE", key, windowMs) end
    end
  end
end
