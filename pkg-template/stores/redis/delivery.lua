-- KEYS[1]: a send's delivery record (see put-code.lua). Answers its status, or false.
return redis.call("HGET", KEYS[1], "s")
