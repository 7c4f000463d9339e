-- Prepended to reserve.lua and check-code.lua. The counters are KEYS[from], KEYS[from + 1], ...;
-- their limit, windowMs and cost (1, or 0: it only needs room) are ARGV[at], ARGV[at + 1],
-- ARGV[at + 2], then the next three. A key is made by the first count of a window with an expiry
-- of windowMs, so Redis' clock ends windows; a key without an expiry (not one this store left)
-- gets one on its next count.

-- The first full counter's place (from 1) and the ms until its window ends, or 0, 0.
local function full(from, at)
  for i = 0, #KEYS - from do
    local key = KEYS[from + i]
    if tonumber(redis.call("GET", key) or "0") >= tonumber(ARGV[at + 3 * i]) then
      local ttl = redis.call("PTTL", key)
      if ttl < 0 then ttl = tonumber(ARGV[at + 3 * i + 1]) end
      return i + 1, ttl
    end
  end
  return 0, 0
end

-- Counts cost in each counter.
local function count(from, at)
  for i = 0, #KEYS - from do
    local key = KEYS[from + i]
    if ARGV[at + 3 * i + 2] ~= "0" then
      redis.call("INCR", key)
      if redis.call("PTTL", key) < 0 then redis.call("PEXPIRE", key, ARGV[at + 3 * i + 1]) end
    end
  end
end
