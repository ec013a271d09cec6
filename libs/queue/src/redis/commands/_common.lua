-- Shared by every script (prepended by script-loader.ts). Keys are built from the prefix in
-- ARGV[1], so the adapter keeps to one Redis node (not Redis Cluster).
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Ends a lease that will not be acked (expired, failed, worker gone): attempts + 1, then
-- queued again first in line, or dead past maxAttempts. Returns 'requeued', 'dead' or 'skip'.
local function end_lease(p, id, reason)
  local jk = p .. 'job:' .. id
  local pool = redis.call('HGET', jk, 'pool')
  if not pool then return 'skip' end
  redis.call('ZREM', p .. 'lease:' .. pool, id)
  local worker = redis.call('HGET', jk, 'workerId')
  if worker and worker ~= '' then redis.call('SREM', p .. 'lease:worker:' .. worker, id) end
  local state = redis.call('HGET', jk, 'state')
  if state == 'cancelled' then
    redis.call('SREM', p .. 'exec:' .. redis.call('HGET', jk, 'executionId') .. ':jobs', id)
    redis.call('DEL', jk)
    return 'skip'
  end
  if state ~= 'leased' then return 'skip' end
  local attempts = redis.call('HINCRBY', jk, 'attempts', 1)
  local max = tonumber(redis.call('HGET', jk, 'maxAttempts'))
  redis.call('HSET', jk, 'lastError', reason, 'token', '', 'workerId', '')
  if attempts >= max then
    redis.call('HSET', jk, 'state', 'dead')
    redis.call('RPUSH', p .. 'dead:' .. pool, id)
    return 'dead'
  end
  redis.call('HSET', jk, 'state', 'queued')
  redis.call('LPUSH', p .. 'queue:' .. pool .. ':' .. redis.call('HGET', jk, 'priority'), id)
  return 'requeued'
end

-- Ends every expired lease of a pool; returns { requeued ids, dead ids }.
local function reap_pool(p, pool, now)
  local requeued, dead = {}, {}
  local ids = redis.call('ZRANGEBYSCORE', p .. 'lease:' .. pool, '-inf', now)
  for _, id in ipairs(ids) do
    local outcome = end_lease(p, id, 'lease expired')
    if outcome == 'requeued' then requeued[#requeued + 1] = id
    elseif outcome == 'dead' then dead[#dead + 1] = id end
  end
  return requeued, dead
end

local function owns(jk, token)
  return token ~= '' and redis.call('HGET', jk, 'token') == token
end
