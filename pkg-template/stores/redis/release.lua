-- KEYS: the counters' keys; ARGV[i]: "1" when KEYS[i] is a range's record (see counters.lua).
-- Takes one from each count above zero (a range's sends: above its verified); DECR and HINCRBY
-- keep the key's expiry.
for i = 1, #KEYS do
  if ARGV[i] == "1" then
    local r = redis.call("HMGET", KEYS[i], "s", "v")
    if tonumber(r[1] or "0") > tonumber(r[2] or "0") then redis.call("HINCRBY", KEYS[i], "s", -1) end
  elseif tonumber(redis.call("GET", KEYS[i]) or "0") > 0 then
    redis.call("DECR", KEYS[i])
  end
end
return 0
