-- Gives a state topic's data set a new epoch at the same version if it is still of the expected
-- one, empties its log, and PUBLISHes the whole state as a change of the new version.
-- KEYS: meta, value, log    ARGV: channel, expected epoch, new epoch
-- Returns {epoch, v}: the new one, or the topic's own when it is of another epoch ('0', 0: nothing stored).
local meta, value, log = KEYS[1], KEYS[2], KEYS[3]
local channel, expected, new_epoch = ARGV[1], ARGV[2], ARGV[3]
local stored = redis.call('HMGET', meta, 'e', 'v', 'k')
if not stored[1] then
  return {'0', 0}
end
if stored[1] ~= expected then
  return {stored[1], tonumber(stored[2])}
end
local kind, whole = stored[3], nil
if kind == 'list' then
  whole = '[' .. table.concat(redis.call('LRANGE', value, 0, -1), ',') .. ']'
elseif kind == 'map' then
  local flat, members = redis.call('HGETALL', value), {}
  for i = 1, #flat, 2 do
    members[#members + 1] = flat[i] .. ':' .. flat[i + 1]
  end
  whole = '{' .. table.concat(members, ',') .. '}'
else
  whole = redis.call('GET', value)
end
redis.call('HSET', meta, 'e', new_epoch)
redis.call('DEL', log)
redis.call('PUBLISH', channel, new_epoch .. ':' .. stored[2] .. ':s:' .. whole)
return {new_epoch, tonumber(stored[2])}
