-- One change of a state topic, atomically: the value, the version, the log and the PUBLISH of
-- the change, so that every node receives a topic's changes in version order.
-- KEYS: meta (HASH e, v, k), value (STRING, LIST or HASH by kind), log (LIST of "<v>:<form>:<body>")
-- ARGV: channel, epoch to draw if the topic has none, kind, log size, op, the op's arguments:
--   append   max items, item...                   (each item one JSON value)
--   put      field, path, value                    (field: the key as a JSON string; path: its JSON Pointer as a JSON string)
--   remove   field, path
--   putEntry field, '1' and the expected entry or '0' and '', value, form, body
--   replace  expected epoch, expected version, form, body, parts...  (value: the JSON; list: one part per element; map: field, value...)
--   clear    the value kind's initial JSON
-- Returns {'ok', epoch, v}, {'unchanged', epoch, v}, {'conflict', epoch, v, entry or false}, or {'kind', stored kind}.
local meta, value, log = KEYS[1], KEYS[2], KEYS[3]
local channel, new_epoch, kind, log_size, op = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]

local stored = redis.call('HMGET', meta, 'e', 'v', 'k')
local epoch, v = stored[1], stored[2]
if epoch and stored[3] ~= kind then
  return {'kind', stored[3]}
end
if not epoch then
  epoch, v = '0', '0'
end

local CHUNK = 1000
local function push_all(key, first)
  for i = first, #ARGV, CHUNK do
    redis.call('RPUSH', key, unpack(ARGV, i, math.min(i + CHUNK - 1, #ARGV)))
  end
end

if op == 'remove' and redis.call('HEXISTS', value, ARGV[6]) == 0 then
  return {'unchanged', epoch, tonumber(v)}
end
if op == 'putEntry' then
  local entry = redis.call('HGET', value, ARGV[6])
  local expected = ARGV[7] == '1' and ARGV[8] or false
  if entry ~= expected then
    return {'conflict', epoch, tonumber(v), entry}
  end
end
if op == 'replace' and (ARGV[6] ~= epoch or ARGV[7] ~= v) then
  return {'conflict', epoch, tonumber(v), false}
end

if epoch == '0' then
  redis.call('DEL', value, log)
  epoch = new_epoch
  redis.call('HSET', meta, 'e', epoch, 'v', 0, 'k', kind)
end

local form, body
if op == 'append' then
  local ops = {}
  for i = 7, #ARGV do
    ops[#ops + 1] = '{"op":"add","path":"/-","value":' .. ARGV[i] .. '}'
  end
  push_all(value, 7)
  local max_items = tonumber(ARGV[6])
  local length = redis.call('LLEN', value)
  if max_items > 0 and length > max_items then
    redis.call('LPOP', value, length - max_items)
    for _ = 1, length - max_items do
      ops[#ops + 1] = '{"op":"remove","path":"/0"}'
    end
  end
  form, body = 'p', '[' .. table.concat(ops, ',') .. ']'
elseif op == 'put' then
  redis.call('HSET', value, ARGV[6], ARGV[8])
  form, body = 'p', '[{"op":"add","path":' .. ARGV[7] .. ',"value":' .. ARGV[8] .. '}]'
elseif op == 'remove' then
  redis.call('HDEL', value, ARGV[6])
  form, body = 'p', '[{"op":"remove","path":' .. ARGV[7] .. '}]'
elseif op == 'putEntry' then
  redis.call('HSET', value, ARGV[6], ARGV[9])
  form, body = ARGV[10], ARGV[11]
elseif op == 'replace' then
  redis.call('DEL', value)
  if kind == 'value' then
    redis.call('SET', value, ARGV[10])
  elseif kind == 'list' then
    push_all(value, 10)
  else
    for i = 10, #ARGV, CHUNK do
      redis.call('HSET', value, unpack(ARGV, i, math.min(i + CHUNK - 1, #ARGV)))
    end
  end
  form, body = ARGV[8], ARGV[9]
elseif op == 'clear' then
  redis.call('DEL', value)
  if kind == 'value' then
    redis.call('SET', value, ARGV[6])
    body = ARGV[6]
  elseif kind == 'list' then
    body = '[]'
  else
    body = '{}'
  end
  form = 's'
else
  return redis.error_reply('unknown state op ' .. op)
end

local next_v = redis.call('HINCRBY', meta, 'v', 1)
if log_size > 0 then
  redis.call('RPUSH', log, next_v .. ':' .. form .. ':' .. body)
  redis.call('LTRIM', log, -log_size, -1)
else
  redis.call('DEL', log)
end
redis.call('PUBLISH', channel, epoch .. ':' .. next_v .. ':' .. form .. ':' .. body)
return {'ok', epoch, next_v}
