/**
 * The Lua scripts behind per-entity ordering. Each runs atomically in Redis, which is what makes
 * "check the key, then take it" safe across API replicas and workers without any coordination of
 * our own. Every key they touch starts with the queue prefix, so with a hash-tagged prefix all of
 * them live in the queue's own Redis Cluster slot.
 *
 * Words used below:
 * - member: `<seq, 16 digits>:<source letter>:<messageId>`, a message's entry on a key. Equal
 *   scores sort by member, i.e. by acceptance sequence.
 * - score: the message's order time in ms (its `occurredAt`, else the time it was accepted).
 * - q / r: a key's pending messages, all of them (q) and only the relative ones (r).
 */

/**
 * Gives a message its place and registers it as pending on each of its keys, in the transaction
 * that adds its job. KEYS: the BullMQ job's hash, the message's entry, seq counter, clock, then
 * q, r per key. ARGV: messageId, source letter, force ('1': a manual retry, the job exists), seq
 * and time to reuse (or ''), occurredAt ms (or ''), then 'a' | 'r' per key. A forced register
 * without a place (a retry that read its message from the job, whose data never carries the place
 * given at acceptance) keeps the place its entry recorded: a new one would queue the message
 * behind its own first run. → {seq, time}, or
 * {0, 0} when the job already exists (BullMQ keeps the first job of an id: nothing is done).
 * The sequence comes from one counter and the time from Redis' clock, never going back, so a
 * later 202 always has a later place, across API replicas.
 */
export const REGISTER = `
if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return {0, 0} end
local seq, at
local entry = ARGV[3] == '1' and ARGV[4] == '' and redis.call('GET', KEYS[2])
if ARGV[4] ~= '' then
  seq, at = tonumber(ARGV[4]), tonumber(ARGV[5])
elseif entry then
  seq, at = tonumber(string.sub(entry, 1, 16)), tonumber(string.match(entry, '|(%d+)$'))
else
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local last = tonumber(redis.call('GET', KEYS[4]) or '0')
  if now < last then now = last end
  redis.call('SET', KEYS[4], now)
  seq = redis.call('INCR', KEYS[3])
  at = now
  if ARGV[6] ~= '' then at = tonumber(ARGV[6]) end
end
if #ARGV > 6 then
  local member = string.format('%016d', seq) .. ':' .. ARGV[2] .. ':' .. ARGV[1]
  redis.call('SET', KEYS[2], member .. '|' .. string.format('%d', at))
  for i = 7, #ARGV do
    local k = 5 + 2 * (i - 7)
    redis.call('ZADD', KEYS[k], at, member)
    if ARGV[i] == 'r' then redis.call('ZADD', KEYS[k + 1], at, member) end
  end
end
return {seq, at}
`;

/**
 * Admission, then the keys' locks, then their watermarks, in one step.
 * KEYS: parked set, the message's entry, then per key q, r, lock, watermark hash.
 * ARGV: held-set prefix, lock owner, lock ttl ms, then 'a' | 'r' per key.
 * → {'free'} (never registered) | {'held', key index, member waited for} | {'busy', key index}
 * | {'go', member, time, hgetall per key…}
 *
 * A relative message must be first on its key; it waits for the message just before it. An
 * absolute one may pass earlier absolute ones (they are superseded when they run) but never an
 * earlier relative one; it waits for the latest of those. Waiting for the nearest one, not the
 * first, wakes one message per release instead of every message on a busy key.
 */
export const BEGIN = `
local entry = redis.call('GET', KEYS[2])
if not entry then return {'free'} end
local bar = string.find(entry, '|', 1, true)
local member = string.sub(entry, 1, bar - 1)
local score = tonumber(string.sub(entry, bar + 1))
local keys = #ARGV - 3
local function hold(i, blocker)
  redis.call('SADD', ARGV[1] .. blocker, member)
  redis.call('SADD', KEYS[1], member)
  return {'held', i, blocker}
end
for i = 1, keys do
  local base = 2 + 4 * (i - 1)
  local q, r = KEYS[base + 1], KEYS[base + 2]
  local rank = redis.call('ZRANK', q, member)
  if rank then
    if ARGV[3 + i] == 'r' then
      if rank > 0 then return hold(i, redis.call('ZRANGE', q, rank - 1, rank - 1)[1]) end
    else
      local earlier = redis.call('ZREVRANGEBYSCORE', r, score, '-inf', 'WITHSCORES', 'LIMIT', 0, 50)
      for j = 1, #earlier, 2 do
        local m, s = earlier[j], tonumber(earlier[j + 1])
        if s < score or m < member then return hold(i, m) end
      end
      if #earlier == 100 then
        local first = redis.call('ZRANGE', r, 0, 0)[1]
        if first ~= member then return hold(i, first) end
      end
    end
  end
end
for i = 1, keys do
  local owner = redis.call('GET', KEYS[2 + 4 * (i - 1) + 3])
  if owner and owner ~= ARGV[2] then return {'busy', i} end
end
redis.call('SREM', KEYS[1], member)
local out = {'go', member, score}
for i = 1, keys do
  local base = 2 + 4 * (i - 1)
  redis.call('SET', KEYS[base + 3], ARGV[2], 'PX', ARGV[3])
  out[#out + 1] = redis.call('HGETALL', KEYS[base + 4])
end
return out
`;

/**
 * After a successful apply (or a final failure): moves the watermarks of what was applied forward
 * only, frees the locks, and with final = '1' takes the message off its keys and hands back the
 * messages held behind it; its entry is kept a while for a redelivery (which then runs unheld,
 * but still behind the watermarks). KEYS: parked set, the message's entry, then per key q, r,
 * lock, watermark hash. ARGV: member, held-set prefix, lock owner, watermark ttl ms, final, entry
 * ttl ms, then per key: a count n and n pairs (field, value). A value is `<time>|<member>`; a
 * larger one wins.
 */
export const END = `
local member = ARGV[1]
local function newer(a, b)
  local sa, ma = string.match(a, '^([^|]+)|(.*)$')
  local sb, mb = string.match(b, '^([^|]+)|(.*)$')
  sa, sb = tonumber(sa), tonumber(sb)
  return sa > sb or (sa == sb and ma >= mb)
end
local arg = 7
local keys = (#KEYS - 2) / 4
for i = 1, keys do
  local base = 2 + 4 * (i - 1)
  local n = tonumber(ARGV[arg]); arg = arg + 1
  local wm = KEYS[base + 4]
  for _ = 1, n do
    local field, value = ARGV[arg], ARGV[arg + 1]; arg = arg + 2
    local current = redis.call('HGET', wm, field)
    if not current or newer(value, current) then redis.call('HSET', wm, field, value) end
  end
  if n > 0 then redis.call('PEXPIRE', wm, ARGV[4]) end
  if redis.call('GET', KEYS[base + 3]) == ARGV[3] then redis.call('DEL', KEYS[base + 3]) end
  if ARGV[5] == '1' then
    redis.call('ZREM', KEYS[base + 1], member)
    redis.call('ZREM', KEYS[base + 2], member)
  end
end
if ARGV[5] ~= '1' then return {} end
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('SREM', KEYS[1], member)
local heldKey = ARGV[2] .. member
local held = redis.call('SMEMBERS', heldKey)
redis.call('DEL', heldKey)
return held
`;

/** Frees the locks a message holds (its attempt failed and it will be retried). KEYS: locks. */
export const UNLOCK = `
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
`;
