-- ARGV: prefix → { requeued ids, dead ids } over every pool
local p = ARGV[1]
local now = now_ms()
local requeued, dead = {}, {}
for _, pool in ipairs(redis.call('SMEMBERS', p .. 'pools')) do
  local r, d = reap_pool(p, pool, now)
  for _, id in ipairs(r) do requeued[#requeued + 1] = id end
  for _, id in ipairs(d) do dead[#dead + 1] = id end
end
return { requeued, dead }
