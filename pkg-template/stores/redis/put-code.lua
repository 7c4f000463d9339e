-- What a send leaves behind, in one call. KEYS[1]: the code's key ("" for no code), then, with a
-- delivery, KEYS[2] the send's record, KEYS[3] TurkeySMS's sms_id ("" for none), KEYS[4] the
-- number's latest send. ARGV: hash, ttlMs, and with a delivery the cooldown counter's key ("" for
-- none).
--
-- A pending code: one hash per number with the fields h (the code's keyed hash, never the
-- code), n (tries counted), t (ttlMs) and u ("1" once used). The key lives 2 * t, so Redis'
-- clock decides both ends: while PTTL > t the code can be checked, after that it is expired,
-- then gone. A used code lives only until it would have expired. The same hash again, live or
-- used, changes nothing.
--
-- A delivery: a hash with s (the status), c (the code's key), h (its hash), k (the cooldown's
-- key) and l (the latest send's key), living 2 * t; the sms_id and latest keys hold its key.
-- These name other keys, so a delivery event (delivery-event.lua) touches keys it was not given:
-- one Redis, not a Cluster.
local ttl2 = 2 * tonumber(ARGV[2])
if #KEYS >= 4 then
  redis.call("DEL", KEYS[2])
  redis.call("HSET", KEYS[2], "s", "QUEUED", "c", KEYS[1], "h", ARGV[1], "k", ARGV[3], "l", KEYS[4])
  redis.call("PEXPIRE", KEYS[2], ttl2)
  if KEYS[3] ~= "" then redis.call("SET", KEYS[3], KEYS[2], "PX", ttl2) end
  redis.call("SET", KEYS[4], KEYS[2], "PX", ttl2)
end
if KEYS[1] == "" then return 0 end
local ttl = redis.call("PTTL", KEYS[1])
local f = redis.call("HMGET", KEYS[1], "h", "t", "u")
local t = tonumber(f[2])
if f[1] == ARGV[1] and t and (f[3] == "1" or ttl > t) then return 0 end
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], "h", ARGV[1], "n", 0, "t", ARGV[2])
redis.call("PEXPIRE", KEYS[1], ttl2)
return 0
