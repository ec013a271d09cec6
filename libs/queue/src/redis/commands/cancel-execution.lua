-- ARGV: prefix, executionId → { removed count, leased ids }
local p, exec = ARGV[1], ARGV[2]
local ek = p .. 'exec:' .. exec .. ':jobs'
local removed, leased = 0, {}
for _, id in ipairs(redis.call('SMEMBERS', ek)) do
  local jk = p .. 'job:' .. id
  local state = redis.call('HGET', jk, 'state')
  if state == 'queued' then
    redis.call('LREM', p .. 'queue:' .. redis.call('HGET', jk, 'pool') .. ':' .. redis.call('HGET', jk, 'priority'), 0, id)
    redis.call('DEL', jk)
    redis.call('SREM', ek, id)
    removed = removed + 1
  elseif state == 'leased' then
    -- The worker sees 'cancelled' on its next renew, stops, and acks.
    redis.call('HSET', jk, 'state', 'cancelled')
    leased[#leased + 1] = id
  end
end
return { removed, leased }
