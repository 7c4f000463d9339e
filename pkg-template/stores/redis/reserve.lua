-- KEYS: the counters' keys; ARGV: limit and windowMs of each, in turn.
-- Answers {0, 0} when it counted one in each, or {i, ms}: counter i is full for ms more.
local full, left = take(1, 1)
return {full, left}
