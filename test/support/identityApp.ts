/**
 * The API on a fresh database, a clock the test moves, the local SMS outbox, and a small
 * organisation: a province, a district, two communes, each commune with a one-stop desk.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { hashToken } from '../../api/route';
import { ManualClock } from '../../api/clock';
import { DEFAULT_AUTH_CONFIG, type AppContext, type AuthConfig } from '../../api/context';
import type { Right } from '../../domain/rights';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import { hashPassword } from '../../infra/passwords';
import { freshDatabase, type FreshDatabase } from './database';
import { CaseProjectionListener } from '../../infra/readModel/caseProjectionListener';

/** Monday 23 November 2026, 09:00 in Hà Nội. */
export const TEST_START = new Date('2026-11-23T02:00:00Z');

export interface Org {
  province: string;
  district: string;
  communeA: string;
  communeB: string;
  deskA: string;
  deskB: string;
}

export interface TestApp {
  baseUrl: string;
  ctx: AppContext;
  clock: ManualClock;
  database: FreshDatabase;
  org: Org;
  close(): Promise<void>;
}

async function insertUnit(db: FreshDatabase['db'], code: string, name: string, level: string, parent?: { id: string; path: string }): Promise<{ id: string; path: string }> {
  const rows: Array<{ id: string }> = await db.query(
    `insert into units (code, name, level, parent_id, path) values ($1, $2, $3, $4, '') returning id`,
    [code, name, level, parent?.id ?? null],
  );
  const id = rows[0].id;
  const path = `${parent?.path ?? '/'}${id}/`;
  await db.query('update units set path = $2 where id = $1', [id, path]);
  return { id, path };
}

export async function seedTestOrg(db: FreshDatabase['db']): Promise<Org> {
  const province = await insertUnit(db, '000.00.00.H35', 'UBND tỉnh Lai Châu', 'province');
  const district = await insertUnit(db, '000.00.43.H35', 'UBND huyện Tam Đường', 'district', province);
  const communeA = await insertUnit(db, '000.15.43.H35', 'UBND xã Nùng Năng', 'commune', district);
  const communeB = await insertUnit(db, '000.16.43.H35', 'UBND xã Bản Bo', 'commune', district);
  const deskA = await insertUnit(db, '000.15.43.H35.01', 'Bộ phận Một cửa xã Nùng Năng', 'office', communeA);
  const deskB = await insertUnit(db, '000.16.43.H35.01', 'Bộ phận một cửa xã Bản Bo', 'office', communeB);
  return { province: province.id, district: district.id, communeA: communeA.id, communeB: communeB.id, deskA: deskA.id, deskB: deskB.id };
}

export interface OfficerSpec {
  username: string;
  password?: string;
  fullName?: string;
  citizenId?: string;
  phone?: string | null;
  email?: string | null;
  status?: 'active' | 'inactive';
  rights?: Right[];
  unitIds?: string[];
}

export const TEST_PASSWORD = 'matkhau123';
let citizenSerial = 0;
let testPasswordHash: Promise<string> | undefined;

/** argon2 is slow on purpose; officers with the usual test password share one hash. */
function passwordHash(password: string | undefined): Promise<string> {
  if (password !== undefined && password !== TEST_PASSWORD) return hashPassword(password);
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
}

/** Inserts an officer directly, as the demo seed does. */
export async function createTestOfficer(db: FreshDatabase['db'], spec: OfficerSpec): Promise<string> {
  const rows: Array<{ id: string }> = await db.query(
    `insert into officers (username, full_name, citizen_id, phone, email, status, password_hash, password_changed_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $8) returning id`,
    [
      spec.username.toLowerCase(),
      spec.fullName ?? `Cán bộ ${spec.username}`,
      spec.citizenId ?? `0352${String(90000000 + ++citizenSerial).padStart(8, '0')}`,
      spec.phone ?? null,
      spec.email ?? null,
      spec.status ?? 'active',
      await passwordHash(spec.password),
      TEST_START,
    ],
  );
  const id = rows[0].id;
  for (const unitId of spec.unitIds ?? []) {
    await db.query('insert into officer_units (officer_id, unit_id, assigned_at) values ($1, $2, $3)', [id, unitId, TEST_START]);
  }
  for (const right of spec.rights ?? []) {
    await db.query('insert into officer_rights (officer_id, right_code, granted_at) values ($1, $2, $3)', [id, right, TEST_START]);
  }
  return id;
}

/** `web`: also serve the built web UI (web/dist), for browser tests. */
export async function startTestApp(auth: Partial<AuthConfig> = {}, options: { web?: boolean } = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const clock = new ManualClock(TEST_START);
  const caseProjections = await CaseProjectionListener.start(database.url);
  const ctx: AppContext = {
    db: database.db,
    clock,
    auth: { ...DEFAULT_AUTH_CONFIG, ...auth },
    sms: new LocalSmsSender(database.db, () => clock.now()),
    caseProjections,
  };
  const org = await seedTestOrg(database.db);
  const app = createApp(ctx, undefined, options.web ? {} : undefined);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ctx,
    clock,
    database,
    org,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await caseProjections.close();
      await database.close();
    },
  };
}

// Response bodies are whatever the endpoint under test returns; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** JSON over HTTP, with an optional bearer token. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function http<T = any>(app: TestApp, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<HttpResult<T>> {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text (downloads)
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** The newest code sent by SMS to `phone`, read from the local outbox. */
export async function lastOtp(app: TestApp, phone: string): Promise<string> {
  const rows: Array<{ body: string }> = await app.ctx.db.query(`select body from sms_outbox where to_phone = $1 order by seq desc limit 1`, [phone]);
  const m = /\b(\d{6})\b/.exec(rows[0]?.body ?? '');
  if (!m) throw new Error(`no OTP was sent to ${phone}`);
  return m[1];
}

/** Logs in through the API (answering the OTP step when asked) and returns the session token. */
export async function login(app: TestApp, username: string, password = TEST_PASSWORD): Promise<string> {
  const first = await http(app, 'POST', '/api/auth/login', { body: { username, password } });
  if (first.status !== 200) throw new Error(`login ${username}: ${first.status} ${JSON.stringify(first.body)}`);
  if (first.body.status === 'ok') return first.body.token as string;
  const phones: Array<{ phone: string }> = await app.ctx.db.query('select phone from officers where username = $1', [username.toLowerCase()]);
  const code = await lastOtp(app, phones[0].phone);
  const second = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: first.body.challengeToken, code } });
  if (second.status !== 200) throw new Error(`otp ${username}: ${second.status} ${JSON.stringify(second.body)}`);
  return second.body.token as string;
}

/** A logged-in session created directly in the database (for tests about what comes after login). */
export async function sessionFor(app: TestApp, officerId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = app.clock.now();
  await app.ctx.db.query(
    `insert into sessions (token_hash, officer_id, stage, created_at, expires_at) values ($1, $2, 'active', $3, $4)`,
    [hashToken(token), officerId, now, new Date(now.getTime() + app.ctx.auth.sessionTtlMs)],
  );
  return token;
}
