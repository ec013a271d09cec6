-- ARGV: prefix, id, token → 1 when the lease was held and the job is removed, else 0
local p, id, token = ARGV[1], ARGV[2], ARGV[3]
local jk = p .. 'job:' .. id
if not owns(jk, token) then return 0 end
local pool, worker, exec = redis.call('HGET', jk, 'pool'), redis.call('HGET', jk, 'workerId'), redis.call('HGET', jk, 'executionId')
redis.call('ZREM', p .. 'lease:' .. pool, id)
redis.call('SREM', p .. 'lease:worker:' .. worker, id)
redis.call('SREM', p .. 'exec:' .. exec .. ':jobs', id)
redis.call('DEL', jk)
return 1
