import type { Redis, Result } from 'ioredis';

// The operations that must read and write in one step run as Lua scripts: Redis runs a script
// without interleaving any other command. ioredis sends each by SHA and loads it when missing.

/** Replaces the exchange with the same id in place, or appends it and trims to the newest `keep`. */
const UPSERT_EXCHANGE = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local appended = 1
for index, item in ipairs(items) do
  if cjson.decode(item).id == ARGV[1] then
    redis.call('LSET', KEYS[1], index - 1, ARGV[2])
    appended = 0
    break
  end
end
if appended == 1 then
  redis.call('RPUSH', KEYS[1], ARGV[2])
  redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return appended`;

/** Removes the exchange with this id; refreshes the expiry of what is left. */
const REMOVE_EXCHANGE = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do
  if cjson.decode(item).id == ARGV[1] then
    redis.call('LREM', KEYS[1], 1, item)
    if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
    return 1
  end
end
return 0`;

/** Takes the lock (0), or says how many ms its lease has left. */
const ACQUIRE_LOCK = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then return tonumber(ARGV[2]) end
return math.max(left, 1)`;

/** Extends the lease, only if this token still holds it. */
const RENEW_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Frees the lock, only if this token holds it, and tells the waiters of every process. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0`;

/**
 * Counts one request in the window's key unless ARGV[1] were counted there: {1, count} when taken,
 * {0, count} when refused. The key carries the window's start, so a new window is a new key; every
 * count pushes its expiry (ARGV[2] ms) past the window's end, and an ended window vanishes on its own.
 */
const TAKE_REQUEST = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return {0, count} end
count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, count}`;

/**
 * Writes the settings ARGV[2] (deletes them when '') only if the key still holds ARGV[1], the value
 * the caller read ('' when there was none: nothing stores an empty string). 1 when written, 0 when
 * another process wrote in between.
 */
const SET_SETTINGS_IF = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    streamcordUpsertExchange(
      key: string,
      id: string,
      json: string,
      keep: number,
      ttlSeconds: number,
    ): Result<number, Context>;
    streamcordRemoveExchange(key: string, id: string, ttlSeconds: number): Result<number, Context>;
    streamcordAcquireLock(key: string, token: string, leaseMs: number): Result<number, Context>;
    streamcordRenewLock(key: string, token: string, leaseMs: number): Result<number, Context>;
    streamcordReleaseLock(key: string, token: string, channel: string, channelId: string): Result<number, Context>;
    streamcordTakeRequest(key: string, limit: number, ttlMs: number): Result<[taken: number, count: number], Context>;
    streamcordSetSettingsIf(key: string, expected: string, json: string): Result<number, Context>;
  }
}

/** Registers the scripts on a connection; the typed methods above exist only after this. */
export function defineStorageScripts(redis: Redis): void {
  redis.defineCommand('streamcordUpsertExchange', { numberOfKeys: 1, lua: UPSERT_EXCHANGE });
  redis.defineCommand('streamcordRemoveExchange', { numberOfKeys: 1, lua: REMOVE_EXCHANGE });
  redis.defineCommand('streamcordAcquireLock', { numberOfKeys: 1, lua: ACQUIRE_LOCK });
  redis.defineCommand('streamcordRenewLock', { numberOfKeys: 1, lua: RENEW_LOCK });
  redis.defineCommand('streamcordReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  redis.defineCommand('streamcordTakeRequest', { numberOfKeys: 1, lua: TAKE_REQUEST });
  redis.defineCommand('streamcordSetSettingsIf', { numberOfKeys: 1, lua: SET_SETTINGS_IF });
}
