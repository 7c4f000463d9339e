-- KEYS: the counters' keys, then, with a range's record among them, its list's key. ARGV: the
-- record's place g (0: none), its minConversion and suspendMs, then limit, windowMs and cost of
-- each counter, in turn. Answers {0, 0} when it counted each, or {i, ms}: counter i is full for ms
-- more, nothing counted; {i, ms, sends, verified} when this call started range i's suspension.
local g = tonumber(ARGV[1])
local n = (#ARGV - 3) / 3
local guard = nil
if g > 0 then
  guard = { place = g, conversion = tonumber(ARGV[2]), suspendMs = tonumber(ARGV[3]), list = KEYS[n + 1] }
end
local i, ms, s, v = full(1, 4, n, guard)
if i > 0 then
  if s then return {i, ms, s, v} end
  return {i, ms}
end
count(1, 4, n, guard)
return {0, 0}
