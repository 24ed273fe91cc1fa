/**
 * The Lua script behind shared provider quotas: adds this instance's new use to the current
 * one-second bucket and the UTC day, drops buckets older than a minute, and returns the totals
 * of every instance — one round trip per provider per sync.
 *
 * KEYS[1] minute hash (fields `r:<second>` / `t:<second>`), KEYS[2] day hash (fields r, t).
 * ARGV: now (epoch seconds), requests to add, tokens to add.
 * Returns {minute requests, minute tokens, day requests, day tokens, oldest second or -1}.
 */
export const QUOTA_SCRIPT = `
local now = tonumber(ARGV[1])
local dr = tonumber(ARGV[2])
local dt = tonumber(ARGV[3])
if dr > 0 or dt > 0 then
  redis.call('HINCRBY', KEYS[1], 'r:' .. now, dr)
  redis.call('HINCRBY', KEYS[1], 't:' .. now, dt)
  redis.call('PEXPIRE', KEYS[1], 120000)
  redis.call('HINCRBY', KEYS[2], 'r', dr)
  redis.call('HINCRBY', KEYS[2], 't', dt)
  redis.call('PEXPIRE', KEYS[2], 172800000)
end
local all = redis.call('HGETALL', KEYS[1])
local r, t, oldest = 0, 0, -1
for i = 1, #all, 2 do
  local field = all[i]
  local second = tonumber(string.sub(field, 3))
  local value = tonumber(all[i + 1])
  if second <= now - 60 then
    redis.call('HDEL', KEYS[1], field)
  else
    if string.sub(field, 1, 1) == 'r' then r = r + value else t = t + value end
    if value > 0 and (oldest < 0 or second < oldest) then oldest = second end
  end
end
local day = redis.call('HMGET', KEYS[2], 'r', 't')
return {r, t, tonumber(day[1]) or 0, tonumber(day[2]) or 0, oldest}
`;

/** Parses the script's reply; undefined when it is not the expected shape. */
export function parseQuotaReply(reply: unknown): { minute: [number, number]; day: [number, number]; oldestSecond: number } | undefined {
  if (!Array.isArray(reply) || reply.length !== 5) return undefined;
  const [r, t, dr, dt, oldest] = reply.map(Number);
  if ([r, t, dr, dt, oldest].some((n) => n === undefined || !Number.isFinite(n))) return undefined;
  return { minute: [r ?? 0, t ?? 0], day: [dr ?? 0, dt ?? 0], oldestSecond: oldest ?? -1 };
}
