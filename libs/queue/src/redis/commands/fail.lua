-- ARGV: prefix, id, token, error → 'requeued' | 'dead' | 'lost'
local p, id, token = ARGV[1], ARGV[2], ARGV[3]
local jk = p .. 'job:' .. id
if not owns(jk, token) then return 'lost' end
local outcome = end_lease(p, id, ARGV[4])
if outcome == 'skip' then return 'lost' end
return outcome
