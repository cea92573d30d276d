-- The versions of many state topics in one call.
-- KEYS: their meta hashes. Returns {epoch or false, v or false, ...}, two per key.
local versions = {}
for i, meta in ipairs(KEYS) do
  local stored = redis.call('HMGET', meta, 'e', 'v')
  versions[2 * i - 1] = stored[1]
  versions[2 * i] = stored[2]
end
return versions
