-- A state topic's meta, value and log tail in one consistent read.
-- KEYS: meta, value, log    ARGV: how many of the log's last entries to return
-- Returns {epoch or false, v, kind, parts, log}: parts are the value's JSON (value), its elements
-- (list) or its fields and values (map).
local meta, value, log = KEYS[1], KEYS[2], KEYS[3]
local stored = redis.call('HMGET', meta, 'e', 'v', 'k')
if not stored[1] then
  return {false}
end
local kind, parts = stored[3], nil
if kind == 'list' then
  parts = redis.call('LRANGE', value, 0, -1)
elseif kind == 'map' then
  parts = redis.call('HGETALL', value)
else
  parts = {redis.call('GET', value)}
end
local tail = tonumber(ARGV[1])
local entries = tail > 0 and redis.call('LRANGE', log, -tail, -1) or {}
return {stored[1], stored[2], kind, parts, entries}
