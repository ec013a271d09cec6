-- ARGV: prefix, id, pool, priority, executionId, payload, maxAttempts
local p, id = ARGV[1], ARGV[2]
local jk = p .. 'job:' .. id
if redis.call('EXISTS', jk) == 1 then return redis.call('HGETALL', jk) end
redis.call('HSET', jk, 'id', id, 'pool', ARGV[3], 'priority', ARGV[4], 'executionId', ARGV[5], 'payload', ARGV[6],
  'maxAttempts', ARGV[7], 'attempts', 0, 'state', 'queued', 'enqueuedAt', now_ms(), 'token', '', 'workerId', '', 'lastError', '')
redis.call('RPUSH', p .. 'queue:' .. ARGV[3] .. ':' .. ARGV[4], id)
redis.call('SADD', p .. 'pools', ARGV[3])
redis.call('SADD', p .. 'exec:' .. ARGV[5] .. ':jobs', id)
return redis.call('HGETALL', jk)
