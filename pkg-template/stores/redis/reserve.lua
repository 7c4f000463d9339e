-- KEYS: the counters' keys; ARGV: limit, windowMs and cost of each, in turn.
-- Answers {0, 0} when it counted each, or {i, ms}: counter i is full for ms more; nothing counted.
local i, ms = full(1, 1)
if i > 0 then return {i, ms} end
count(1, 1)
return {0, 0}
