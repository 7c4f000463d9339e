-- KEYS: the counters' keys; ARGV: limit, windowMs and cost of each, in turn.
-- Answers {0, 0} when it counted one in each, or {i, ms}: counter i is full for ms more.
local full, left = take(1, 1)
return {full, left}
