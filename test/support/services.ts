/**
 * The real PostgreSQL and Redis that scale-out tests use (127.0.0.1:5432 database `test`,
 * 127.0.0.1:6379; override with SWITCHYARD_TEST_POSTGRES_URL / SWITCHYARD_TEST_REDIS_URL).
 * Outside CI a missing service skips those suites with the reason printed; under `CI=true`
 * it fails them. Each suite gets its own PostgreSQL schema and Redis key prefix, so test files
 * running in parallel never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, it } from 'vitest';

export const POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.SWITCHYARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type ServiceName = 'postgres' | 'redis';

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${POSTGRES_URL} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRedis(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${REDIS_URL} is not reachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

/**
 * `describe` when every service answers; otherwise `describe.skip` with the reason printed, or,
 * under CI=true, a failing test naming what is missing.
 */
export async function describeWithServices(names: readonly ServiceName[]): Promise<typeof describe | typeof describe.skip> {
  const problems = (await Promise.all(names.map((name) => (name === 'postgres' ? probePostgres() : probeRedis()))))
    .filter((p): p is string => p !== undefined);
  if (problems.length === 0) return describe;
  const reason = problems.join('; ');
  if (process.env.CI === 'true') {
    describe(`required services (${names.join(', ')})`, () => {
      it('are available', () => {
        throw new Error(`${reason}. CI requires them (.ci/run starts them).`);
      });
    });
  } else {
    process.stderr.write(`[skipped] ${names.join(' + ')} suites: ${reason}. Start the service(s) to run them; under CI=true this fails.\n`);
  }
  return describe.skip;
}

/** A fresh PostgreSQL schema: `url` selects it through `search_path`; `drop()` removes it and its tables. */
export async function createPostgresSchema(): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `sy_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    schema,
    url: `${POSTGRES_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

/** A unique Redis key prefix, and a connection to inspect and clean it. */
export async function createRedisNamespace(): Promise<{ prefix: string; redis: Redis; clean(): Promise<void> }> {
  const prefix = `sy-test-${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(REDIS_URL);
  return {
    prefix,
    redis,
    async clean() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
