/**
 * The Redis limiter's Lua scripts. Each runs atomically on the server, so one round trip
 * decides and records an admission for every instance at once. The rules mirror
 * admission-rules.ts; times come from the caller (one clock, injectable in tests).
 *
 * Keys (one hash tag per API key, so a cluster keeps them in one slot):
 *   rpm / tpm   hash second → count over the last 60 s, with their total 't' and newest second 'h'
 *   rpd / tpd   counter for one calendar day (the day is in the key name)
 *   conc        sorted set reservation id → lease expiry (ms); expired members are crashed instances'
 *   budget      counter of nano-USD for one budget period (the period is in the key name)
 */

/**
 * KEYS: rpm, tpm, rpd, tpd, conc, budget.
 * ARGV: now_ms, rpm, rpd, tpm, tpd, concurrency, budget_nanos (0 = no limit), tokens, cost_nanos,
 *       reservation_id, lease_ms, day_ends_in_ms, period_ends_in_ms (-1 = never).
 * Returns { admitted (0|1), dimension index (see DIMENSIONS), retry_after_ms (-1 = none),
 *           req_limit, req_remaining, req_reset_ms, tok_limit, tok_remaining, tok_reset_ms } (limit 0 = not shown).
 */
export const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local sec = math.floor(now / 1000)
local rpm, rpd, tpm, tpd = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local conc, budget = tonumber(ARGV[6]), tonumber(ARGV[7])
local tokens, cost = tonumber(ARGV[8]), tonumber(ARGV[9])
local id, lease = ARGV[10], tonumber(ARGV[11])
local day_ends, period_ends = tonumber(ARGV[12]), tonumber(ARGV[13])
-- Numbers go to Redis as plain integer text (never 1e+14).
local function n(x) return string.format('%.0f', x) end

-- A sliding window is a hash: per-second buckets, 't' (their total) and 'h' (the newest second).
-- Advancing drops only the buckets that left the window since the last call (usually none or
-- one), so an admission costs O(1), not a scan of 60 buckets.
local function advance(key, limit)
  if limit == 0 then return 0, nil end
  local state = redis.call('HMGET', key, 't', 'h')
  local total, head = tonumber(state[1]) or 0, tonumber(state[2])
  if head == nil or sec <= head then return total, head end
  local stale = {}
  for s = head - 59, math.min(head, sec - 60) do stale[#stale + 1] = n(s) end
  if #stale > 0 then
    local values = redis.call('HMGET', key, unpack(stale))
    for i = 1, #values do
      if values[i] then total = total - tonumber(values[i]) end
    end
    redis.call('HDEL', key, unpack(stale))
  end
  redis.call('HSET', key, 't', n(total), 'h', n(sec))
  return total, sec
end
local function add(key, head, amount)
  -- A caller whose clock is behind by more than the window still counts in the oldest bucket.
  local bucket = sec
  if head ~= nil and bucket < head - 59 then bucket = head - 59 end
  redis.call('HINCRBY', key, n(bucket), n(amount))
  redis.call('HINCRBY', key, 't', n(amount))
  if head == nil or sec > head then redis.call('HSET', key, 'h', n(sec)) end
  redis.call('PEXPIRE', key, 61000)
end
-- The buckets in the window, oldest first (only needed to answer a refusal).
local function buckets(key, head)
  local items = {}
  if head == nil then return items end
  local raw = redis.call('HGETALL', key)
  for i = 1, #raw, 2 do
    local s = tonumber(raw[i])
    if s ~= nil and s > head - 60 then items[#items + 1] = { s, tonumber(raw[i + 1]) } end
  end
  table.sort(items, function(a, b) return a[1] < b[1] end)
  return items
end
local function wait(key, head, total, need, limit)
  local excess = total + need - limit
  if excess <= 0 then return 0 end
  for _, item in ipairs(buckets(key, head)) do
    excess = excess - item[2]
    if excess <= 0 then return math.max(0, (item[1] + 60) * 1000 - now) end
  end
  return 60000
end
local function reset_in(key, head, total)
  if total <= 0 or head == nil then return 0 end
  local items = buckets(key, head)
  for i = #items, 1, -1 do
    if items[i][2] > 0 then return math.max(0, (items[i][1] + 60) * 1000 - now) end
  end
  return 0
end
local function counter(key, limit)
  if limit == 0 then return 0 end
  return tonumber(redis.call('GET', key) or '0')
end

local min_req, req_head = advance(KEYS[1], rpm)
local min_tok, tok_head = advance(KEYS[2], tpm)
local day_req, day_tok = counter(KEYS[3], rpd), counter(KEYS[4], tpd)
local spent = counter(KEYS[6], budget)
local active = 0
if conc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', n(now))
  active = redis.call('ZCARD', KEYS[5])
end

local dimension, longest = 0, -2
local function fail(index, ms)
  if dimension == 0 then dimension = index end
  if ms < 0 or longest == -1 then longest = -1 elseif ms > longest then longest = ms end
end
if budget > 0 and spent + cost > budget then fail(1, period_ends) end
if conc > 0 and active >= conc then fail(2, 1000) end
if rpm > 0 and min_req + 1 > rpm then fail(3, wait(KEYS[1], req_head, min_req, 1, rpm)) end
if rpd > 0 and day_req + 1 > rpd then fail(4, day_ends) end
if tpm > 0 and min_tok + tokens > tpm then fail(5, wait(KEYS[2], tok_head, min_tok, tokens, tpm)) end
if tpd > 0 and day_tok + tokens > tpd then fail(6, day_ends) end

local admitted = 0
if dimension == 0 then
  admitted = 1
  local day_ttl = day_ends + 3600000
  if rpm > 0 then
    add(KEYS[1], req_head, 1)
    min_req = min_req + 1
  end
  if tpm > 0 and tokens > 0 then
    add(KEYS[2], tok_head, tokens)
    min_tok = min_tok + tokens
  end
  if rpd > 0 then
    day_req = redis.call('INCR', KEYS[3])
    redis.call('PEXPIRE', KEYS[3], n(day_ttl))
  end
  if tpd > 0 then
    day_tok = redis.call('INCRBY', KEYS[4], n(tokens))
    redis.call('PEXPIRE', KEYS[4], n(day_ttl))
  end
  if conc > 0 then
    redis.call('ZADD', KEYS[5], n(now + lease), id)
    redis.call('PEXPIRE', KEYS[5], n(lease + 1000))
  end
  if budget > 0 and cost > 0 then
    redis.call('INCRBY', KEYS[6], n(cost))
    if period_ends >= 0 then redis.call('PEXPIRE', KEYS[6], n(period_ends + 86400000)) end
  end
end

-- Just admitted: the newest bucket is this second's, so the window is whole again 60 s from it.
local function full_in(head)
  local newest = sec
  if head ~= nil and head > newest then newest = head end
  return math.max(0, (newest + 60) * 1000 - now)
end
local req_limit, req_remaining, req_reset = 0, 0, 0
if rpm > 0 then
  req_limit, req_remaining = rpm, math.max(0, rpm - min_req)
  if admitted == 1 then req_reset = full_in(req_head) else req_reset = reset_in(KEYS[1], req_head, min_req) end
elseif rpd > 0 then
  req_limit, req_remaining = rpd, math.max(0, rpd - day_req)
  if day_req > 0 then req_reset = day_ends end
end
local tok_limit, tok_remaining, tok_reset = 0, 0, 0
if tpm > 0 then
  tok_limit, tok_remaining = tpm, math.max(0, tpm - min_tok)
  if admitted == 1 and tokens > 0 then tok_reset = full_in(tok_head) else tok_reset = reset_in(KEYS[2], tok_head, min_tok) end
elseif tpd > 0 then
  tok_limit, tok_remaining = tpd, math.max(0, tpd - day_tok)
  if day_tok > 0 then tok_reset = day_ends end
end
if longest == -2 then longest = -1 end
return { admitted, dimension, longest, req_limit, req_remaining, req_reset, tok_limit, tok_remaining, tok_reset }
`;

/** The dimension indexes RESERVE_SCRIPT returns (1-based; 0 = admitted). */
export const DIMENSIONS = ['budget', 'concurrency', 'rpm', 'rpd', 'tpm', 'tpd'] as const;

/**
 * Settles a batch of reservations in one call. Per reservation, 4 KEYS: tpm, tpd, budget, conc;
 * and 10 ARGV: reserved_second, token_delta, cost_delta_nanos, reservation_id, now_ms, track_tpm,
 * track_tpd, track_budget, held_slot, budget_ttl_ms (-1 = keep forever, 0 = the period is over).
 * Counters that expired meanwhile are not recreated (their period is over).
 */
export const SETTLE_SCRIPT = `
local function n(x) return string.format('%.0f', x) end
for g = 0, #KEYS / 4 - 1 do
  local k, a = g * 4, g * 10
  local sec, delta, cost = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local now_sec = math.floor(tonumber(ARGV[a + 5]) / 1000)
  local budget_ttl = tonumber(ARGV[a + 10])
  -- A bucket still present is still counted (it is dropped, with its value, as the window moves).
  if delta ~= 0 and ARGV[a + 6] == '1' and sec > now_sec - 60 and redis.call('HEXISTS', KEYS[k + 1], ARGV[a + 1]) == 1 then
    redis.call('HINCRBY', KEYS[k + 1], ARGV[a + 1], n(delta))
    redis.call('HINCRBY', KEYS[k + 1], 't', n(delta))
  end
  if delta ~= 0 and ARGV[a + 7] == '1' and redis.call('EXISTS', KEYS[k + 2]) == 1 then redis.call('INCRBY', KEYS[k + 2], n(delta)) end
  if cost ~= 0 and ARGV[a + 8] == '1' then
    if redis.call('EXISTS', KEYS[k + 3]) == 1 then
      redis.call('INCRBY', KEYS[k + 3], n(cost))
    elseif cost > 0 and budget_ttl ~= 0 then
      -- Nothing was reserved (an unpriced estimate) but the request cost something.
      redis.call('SET', KEYS[k + 3], n(cost))
      if budget_ttl > 0 then redis.call('PEXPIRE', KEYS[k + 3], n(budget_ttl)) end
    end
  end
  if ARGV[a + 9] == '1' then redis.call('ZREM', KEYS[k + 4], ARGV[a + 4]) end
end
return #KEYS / 4
`;

/** KEYS: conc sets; ARGV: expiry_ms, lease_ms, then one reservation id per key. Extends leases still held. */
export const RENEW_SCRIPT = `
local expiry, lease = ARGV[1], tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', 'GT', expiry, ARGV[i + 2])
  redis.call('PEXPIRE', key, string.format('%.0f', lease + 1000))
end
return #KEYS
`;
