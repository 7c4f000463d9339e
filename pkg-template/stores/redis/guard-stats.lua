-- The pumping guard's live range records. KEYS[1]: their list (counters.lua), trimmed of the
-- ended ones as it is read. Answers {key, sends, verified, suspendedForMs} for each. The records'
-- keys are read from the list, not given: one Redis, or a Cluster prefix with a hash tag.
local t = redis.call("TIME")
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
local out = {}
for _, key in ipairs(redis.call("ZRANGE", KEYS[1], 0, -1)) do
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
return out
