-- Prepended to reserve.lua and check-code.lua. take(from, at) counts cost (1, or 0: it only needs
-- room) in each counter whose key is KEYS[from], KEYS[from + 1], ... (their limit, windowMs and
-- cost are ARGV[at], ARGV[at + 1], ARGV[at + 2], then the next three), or none when one is full. Answers 0, 0 when it counted, or the
-- full counter's place (from 1) and the ms until its window ends. A key is made by the first
-- count of a window with an expiry of windowMs, so Redis' clock ends windows; a key without an
-- expiry (not one this store left) gets one on its next count.
local function take(from, at)
  local n = #KEYS - from + 1
  for i = 0, n - 1 do
    local key = KEYS[from + i]
    local count = tonumber(redis.call("GET", key) or "0")
    if count >= tonumber(ARGV[at + 3 * i]) then
      local ttl = redis.call("PTTL", key)
      if ttl < 0 then ttl = tonumber(ARGV[at + 3 * i + 1]) end
      return i + 1, ttl
    end
  end
  for i = 0, n - 1 do
    local key = KEYS[from + i]
    if ARGV[at + 3 * i + 2] ~= "0" then
      redis.call("INCR", key)
      if redis.call("PTTL", key) < 0 then redis.call("PEXPIRE", key, ARGV[at + 3 * i + 1]) end
    end
  end
  return 0, 0
end
