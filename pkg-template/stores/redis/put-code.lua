-- A pending code: one hash per number with the fields h (the code's keyed hash, never the
-- code), n (tries counted), t (ttlMs) and u ("1" once used). The key lives 2 * t, so Redis'
-- clock decides both ends: while PTTL > t the code can be checked, after that it is expired,
-- then gone. A used code lives only until it would have expired.
-- KEYS[1]: the code's key; ARGV: hash, ttlMs. The same hash again, live or used, changes nothing.
local ttl = redis.call("PTTL", KEYS[1])
local f = redis.call("HMGET", KEYS[1], "h", "t", "u")
local t = tonumber(f[2])
if f[1] == ARGV[1] and t and (f[3] == "1" or ttl > t) then return 0 end
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], "h", ARGV[1], "n", 0, "t", ARGV[2])
redis.call("PEXPIRE", KEYS[1], 2 * tonumber(ARGV[2]))
return 0
