-- ARGV: prefix, workerId, reason → { requeued ids, dead ids }
local p, worker = ARGV[1], ARGV[2]
local requeued, dead = {}, {}
for _, id in ipairs(redis.call('SMEMBERS', p .. 'lease:worker:' .. worker)) do
  local outcome = end_lease(p, id, ARGV[3])
  if outcome == 'requeued' then requeued[#requeued + 1] = id
  elseif outcome == 'dead' then dead[#dead + 1] = id end
end
redis.call('DEL', p .. 'lease:worker:' .. worker)
return { requeued, dead }
