-- The whole check of a typed code, in one call. KEYS[1]: the code's key (see put-code.lua), then
-- the counters' keys, then, with the pumping guard, the number's range record (counters.lua),
-- which a "verified" counts one more v in (never past its s). ARGV: maxAttempts, the number h of
-- candidate hashes, the h hashes, then limit, windowMs and cost of each counter. Answers
-- {"refused", i, ms} when counter i is full, whatever is pending (so a full budget cannot tell
-- which numbers have a code); {"none"} for no code record, counting nothing; otherwise counts the
-- counters and answers {"none"} (used), {"expired"} or {"exhausted"}, or, for a live code, counts
-- a try and answers {"wrong", tries} or {"verified"}. A key without an expiry is not one this
-- store left: expired (fails closed).
local h = tonumber(ARGV[2])
local c = (#ARGV - 2 - h) / 3
local i, ms = full(2, 3 + h, c)
if i > 0 then return {"refused", i, ms} end
local ttl = redis.call("PTTL", KEYS[1])
if ttl == -2 then return {"none"} end
local f = redis.call("HMGET", KEYS[1], "h", "n", "t", "u")
local hash, n, t = f[1], tonumber(f[2]), tonumber(f[3])
if not hash or not n or not t then return {"none"} end
-- A code record, live or not: the check counts (sweeping numbers for "expired" costs the caller).
count(2, 3 + h, c)
if f[4] == "1" then return {"none"} end
if ttl < 0 or ttl <= t then return {"expired"} end
if n >= tonumber(ARGV[1]) then return {"exhausted"} end
n = redis.call("HINCRBY", KEYS[1], "n", 1)
for k = 3, 2 + h do
  if ARGV[k] == hash then
    redis.call("HSET", KEYS[1], "u", "1")
    redis.call("PEXPIRE", KEYS[1], ttl - t)
    if #KEYS == c + 2 then
      local r = redis.call("HMGET", KEYS[c + 2], "s", "v")
      if tonumber(r[1] or "0") > tonumber(r[2] or "0") then redis.call("HINCRBY", KEYS[c + 2], "v", 1) end
    end
    return {"verified"}
  end
end
return {"wrong", n}
