-- A delivery event, in one call. KEYS[1]: TurkeySMS's sms_id's key; KEYS[2]: the event's key (the
-- hash of its raw body). ARGV: the new status, and how long the event is remembered (ms).
-- Answers {"unknown"} (no send left this sms_id: nothing kept), {"duplicate", status},
-- {"ignored", status} (a status moves forward only, and DELIVERED, FAILED and EXPIRED are final)
-- or {"applied", status, freed}: freed is 1 when the send failed or expired while it was its
-- number's latest, and then its cooldown counter is set to 0 and its pending code, if still this
-- send's and unused, is marked used.
local id = redis.call("GET", KEYS[1])
if not id then return {"unknown"} end
local r = redis.call("HMGET", id, "s", "c", "h", "k", "l")
if not r[1] then return {"unknown"} end
if redis.call("EXISTS", KEYS[2]) == 1 then return {"duplicate", r[1]} end
redis.call("SET", KEYS[2], "1", "PX", ARGV[2])
local rank = {QUEUED = 0, SENT = 1, DELIVERED = 2, FAILED = 2, EXPIRED = 2}
if rank[r[1]] == 2 or rank[ARGV[1]] <= rank[r[1]] then return {"ignored", r[1]} end
redis.call("HSET", id, "s", ARGV[1])
if (ARGV[1] ~= "FAILED" and ARGV[1] ~= "EXPIRED") or redis.call("GET", r[5]) ~= id then
  return {"applied", ARGV[1], 0}
end
if r[4] ~= "" and redis.call("EXISTS", r[4]) == 1 then redis.call("SET", r[4], "0", "KEEPTTL") end
-- The code is marked used, not deleted: a resend TurkeySMS answers with the same code (and no
-- SMS) cannot bring it back with fresh tries. It lives until it would have expired.
if r[2] ~= "" and redis.call("HGET", r[2], "h") == r[3] and redis.call("HGET", r[2], "u") ~= "1" then
  redis.call("HSET", r[2], "u", "1")
  local left = redis.call("PTTL", r[2]) - tonumber(redis.call("HGET", r[2], "t"))
  if left > 0 then redis.call("PEXPIRE", r[2], left) else redis.call("DEL", r[2]) end
end
return {"applied", ARGV[1], 1}
