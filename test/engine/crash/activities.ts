/**
 * An activity with a real side effect, made idempotent the way production activities are: the
 * effect is written in the same transaction as its idempotency key, so a redelivered attempt
 * (after a crash) finds the key and does nothing. Some keys fail on their first attempt to
 * exercise the retry policy.
 */
import { activityInfo } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';

let pool: Pool | undefined;
function db(): Pool {
  pool ??= new Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
  return pool;
}

export async function sideEffect(key: string): Promise<void> {
  const { attempt } = activityInfo();
  await db().query('insert into crash_attempts (key, attempt) values ($1, $2)', [key, attempt]);
  if (attempt === 1 && createHash('sha1').update(key).digest()[0] % 3 === 0) {
    throw new Error(`first attempt of ${key} fails on purpose`);
  }
  const client = await db().connect();
  try {
    await client.query('begin');
    const fresh = await client.query('insert into crash_idempotency (key) values ($1) on conflict do nothing', [key]);
    if (fresh.rowCount === 1) await client.query('insert into crash_effects (key, attempt) values ($1, $2)', [key, attempt]);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
