-- ARGV: prefix, id, token → 1 when given back (first in line, attempts unchanged), else 0
local p, id, token = ARGV[1], ARGV[2], ARGV[3]
local jk = p .. 'job:' .. id
if not owns(jk, token) or redis.call('HGET', jk, 'state') ~= 'leased' then return 0 end
local pool, worker = redis.call('HGET', jk, 'pool'), redis.call('HGET', jk, 'workerId')
redis.call('ZREM', p .. 'lease:' .. pool, id)
redis.call('SREM', p .. 'lease:worker:' .. worker, id)
redis.call('HSET', jk, 'state', 'queued', 'token', '', 'workerId', '')
redis.call('LPUSH', p .. 'queue:' .. pool .. ':' .. redis.call('HGET', jk, 'priority'), id)
return 1
