-- ARGV: prefix, pool, workerId, leaseMs, token  → { expiresAt, job fields… } or nil
local p, pool, worker, lease_ms, token = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local now = now_ms()
reap_pool(p, pool, now)
for prio = 9, 0, -1 do
  local qk = p .. 'queue:' .. pool .. ':' .. prio
  while true do
    local id = redis.call('LPOP', qk)
    if not id then break end
    local jk = p .. 'job:' .. id
    if redis.call('HGET', jk, 'state') == 'queued' then
      redis.call('HSET', jk, 'state', 'leased', 'token', token, 'workerId', worker)
      redis.call('ZADD', p .. 'lease:' .. pool, now + lease_ms, id)
      redis.call('SADD', p .. 'lease:worker:' .. worker, id)
      local out = { tostring(now + lease_ms) }
      for _, v in ipairs(redis.call('HGETALL', jk)) do out[#out + 1] = v end
      return out
    end
    -- a stale id (cancelled or removed job): drop it and look further
  end
end
return nil
