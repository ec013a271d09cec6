-- ARGV: prefix, id, token, leaseMs → 'renewed' | 'cancelled' | 'lost'
local p, id, token, lease_ms = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local jk = p .. 'job:' .. id
if not owns(jk, token) then return 'lost' end
local state = redis.call('HGET', jk, 'state')
if state == 'cancelled' then return 'cancelled' end
if state ~= 'leased' then return 'lost' end
redis.call('ZADD', p .. 'lease:' .. redis.call('HGET', jk, 'pool'), now_ms() + lease_ms, id)
return 'renewed'
