-- One page of the pumping guard's live range records. KEYS[1]: their list (counters.lua); ARGV:
-- the ZSCAN cursor ("0" to start) and how many members one page reads. Answers {cursor, rows}:
-- the next cursor ("0" when done) and {key, sends, verified, suspendedForMs} for each live record
-- of the page. A page, not the whole list: a script blocks every client of Redis while it runs,
-- and a sprayed list holds a record per range (100 000 took 0.37 s in one script). ZSCAN returns
-- a member present from the first page to the last at least once (the caller drops repeats). The
-- first page trims the ended ones; the records' keys are read from the list, not given: one
-- Redis, or a Cluster prefix with a hash tag.
if ARGV[1] == "0" then
  local t = redis.call("TIME")
  redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
end
local page = redis.call("ZSCAN", KEYS[1], ARGV[1], "COUNT", ARGV[2])
local out = {}
local members = page[2]
for m = 1, #members, 2 do
  local key = members[m]
  local r = redis.call("HMGET", key, "s", "v", "u")
  local ttl = redis.call("PTTL", key)
  if r[1] and ttl ~= -2 then
    local suspended = 0
    if r[3] == "1" then suspended = math.max(1, ttl) end
    out[#out + 1] = {key, tonumber(r[1]), tonumber(r[2] or "0"), suspended}
  else
    redis.call("ZREM", KEYS[1], key)
  end
end
return {page[1], out}
