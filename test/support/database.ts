/**
 * One PostgreSQL for the whole test run (embedded, or the server at DATABASE_URL) and a fresh,
 * migrated database on it for every caller, so test files never see each other's rows.
 */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { openDatabase } from '../../db/dataSource';

let cluster: Promise<TestDatabase> | undefined;
let counter = 0;

function serverUrl(): Promise<TestDatabase> {
  cluster ??= resolveDatabase({ purpose: 'test' });
  return cluster;
}

export interface FreshDatabase {
  url: string;
  db: DataSource;
  close(): Promise<void>;
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const base = await serverUrl();
  const name = `app_${process.pid}_${++counter}`;
  const admin = new Client({ connectionString: base.url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString(), 5);
  return {
    url: url.toString(),
    db,
    close: async () => {
      await db.destroy();
      const c = new Client({ connectionString: base.url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).finally(() => c.end());
    },
  };
}

/** Called once after all test files (root hook). */
export async function teardownTestDatabases(): Promise<void> {
  const c = cluster;
  cluster = undefined;
  if (c) await (await c).drop();
}
