-- KEYS: the counters' keys. Takes one from each count above zero; DECR keeps the key's expiry.
for i = 1, #KEYS do
  if tonumber(redis.call("GET", KEYS[i]) or "0") > 0 then redis.call("DECR", KEYS[i]) end
end
return 0
