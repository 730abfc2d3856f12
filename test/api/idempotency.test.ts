/**
 * Idempotency keys: a repeated state-changing request with the same key is answered from the
 * first one without acting again; a reused key on another request, a duplicate still running,
 * a server error, an expired key and the routes that take no key.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import { buildRouter, type RouteSpec } from '../../api/route';
import { KEY_TTL_MS, requestHash, settleInBackground, STALE_CLAIM_MS } from '../../api/idempotency';
import { createTestOfficer, http, sessionFor, startTestApp, type HttpResult, type TestApp } from '../support/identityApp';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function keyed(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown; key?: string }): Promise<HttpResult<any>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.key !== undefined ? { 'idempotency-key': options.key } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

let serial = 0;
const fresh = () => ++serial;

/** A Saturday no other test of this file uses. */
const saturday = (n: number) => new Date(Date.UTC(2032, 0, 3) + n * 7 * 86_400_000).toISOString().slice(0, 10);

describe('API idempotency keys', function () {
  this.timeout(120_000);
  let app: TestApp;
  let admin: string;
  let adminId: string;

  const newUser = (n: number) => ({
    username: `trung.lap${n}`,
    fullName: 'Nguyễn Văn Trùng',
    citizenId: `035085${String(700000 + n).padStart(6, '0')}`,
    password: 'matkhau123',
    unitIds: [app.org.communeA],
    rights: ['CERT_CREATE'],
  });
  const holiday = (n: number) => ({ date: saturday(n), name: 'Nghỉ địa phương', kind: 'holiday', unitId: app.org.communeA });
  const call = (method: string, path: string, options: { token?: string; body?: unknown; key?: string }) => keyed(app.baseUrl, method, path, options);

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    adminId = await createTestOfficer(app.ctx.db, { username: 'quantri.idem', rights: ['USER_ADMIN'], unitIds: [app.org.communeA] });
    admin = await sessionFor(app, adminId);
  });
  after(async () => {
    await app?.close();
  });

  it('a double submit creates one officer; the repeat gets the same status and body, marked as replayed, and is audited as a replay', async () => {
    const n = fresh();
    const first = await call('POST', '/api/admin/users', { token: admin, body: newUser(n), key: 'tao-nguoi-dung-1' });
    const second = await call('POST', '/api/admin/users', { token: admin, body: newUser(n), key: 'tao-nguoi-dung-1' });
    expect(first.status).to.equal(201);
    expect(first.headers.get('idempotent-replayed')).to.equal(null);
    expect(second.status).to.equal(201);
    expect(second.headers.get('idempotent-replayed')).to.equal('true');
    expect(second.body).to.deep.equal(first.body);
    const rows: unknown[] = await app.ctx.db.query('select 1 from officers where username = $1', [`trung.lap${n}`]);
    expect(rows).to.have.length(1);

    const audit: Array<{ action: string; target: string; outcome: string; details: Record<string, unknown> }> = await app.ctx.db.query(
      `select action, target, outcome, details from audit_log where actor_id = $1 and (details->>'idempotencyKey' = $2) order by seq`,
      [adminId, 'tao-nguoi-dung-1'],
    );
    expect(audit.map((a) => a.action)).to.deep.equal(['admin.users.create', 'idempotency.replay']);
    expect(audit[0].target).to.equal(`officer:${first.body.id}`);
    expect(audit[1].target).to.equal(audit[0].target);
    expect(audit[1].details.replayOf).to.equal('admin.users.create');
    expect(audit[1].outcome).to.equal('success');
  });

  it('without a key a double submit acts twice (the second is a duplicate); with one it is answered from the first', async () => {
    const n = fresh();
    const a = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(n) });
    const b = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(n) });
    expect([a.status, b.status]).to.deep.equal([201, 409]);

    const m = fresh();
    const c = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(m), key: `ngay-nghi-${m}` });
    const d = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(m), key: `ngay-nghi-${m}` });
    expect([c.status, d.status]).to.deep.equal([201, 201]);
    expect(d.body).to.deep.equal(c.body);
    expect(d.headers.get('idempotent-replayed')).to.equal('true');
  });

  it('replays a refusal too, so the answer to one action never changes', async () => {
    const body = { ...holiday(fresh()), kind: 'nghỉ' };
    const first = await call('POST', '/api/calendar/holidays', { token: admin, body, key: 'sai-loai' });
    expect(first.status).to.equal(400);
    const again = await call('POST', '/api/calendar/holidays', { token: admin, body, key: 'sai-loai' });
    expect(again.status).to.equal(400);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
  });

  it('refuses the same key on a different body or path with 422 IDEMPOTENCY_KEY_REUSED, and acts no further', async () => {
    const [n, other, workDay] = [fresh(), fresh(), fresh()];
    const ok = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(n), key: 'dung-lai' });
    expect(ok.status).to.equal(201);
    const otherBody = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(other), key: 'dung-lai' });
    expect(otherBody.status).to.equal(422);
    expect(otherBody.body.error.code).to.equal('IDEMPOTENCY_KEY_REUSED');
    expect(otherBody.body.error.message).to.match(/Idempotency-Key.*khóa mới/);
    const otherPath = await call('POST', '/api/calendar/working-days', { token: admin, body: { date: saturday(workDay), name: 'Làm bù', unitId: app.org.communeA }, key: 'dung-lai' });
    expect(otherPath.status).to.equal(422);
    expect(otherPath.body.error.details).to.deep.equal({ method: 'POST', path: '/api/calendar/holidays' });
    const created: unknown[] = await app.ctx.db.query('select 1 from calendar_holidays where date = $1', [saturday(other)]);
    const workingDays: unknown[] = await app.ctx.db.query('select 1 from calendar_working_days where date = $1', [saturday(workDay)]);
    expect(created).to.have.length(0);
    expect(workingDays).to.have.length(0);
  });

  it('parallel duplicates: exactly one acts; the others wait (409) or get its answer', async () => {
    const n = fresh();
    const results = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/api/admin/users', { token: admin, body: newUser(n), key: `song-song-${n}` })));
    const acted = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    const replayed = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true');
    const waiting = results.filter((r) => r.status === 409);
    expect(acted, JSON.stringify(results.map((r) => r.status))).to.have.length(1);
    expect(acted.length + replayed.length + waiting.length).to.equal(6);
    for (const r of waiting) expect(r.body.error.code).to.equal('IDEMPOTENCY_IN_PROGRESS');
    for (const r of replayed) expect(r.body).to.deep.equal(acted[0].body);
    const rows: unknown[] = await app.ctx.db.query('select 1 from officers where username = $1', [`trung.lap${n}`]);
    expect(rows).to.have.length(1);
  });

  it('answers a duplicate of a request still running with 409 and a Vietnamese message, then takes over a claim left by a dead request', async () => {
    const n = fresh();
    const body = holiday(n);
    const insertClaim = (at: Date) =>
      app.ctx.db.query(
        `insert into idempotency_keys (officer_id, key, method, path, request_hash, created_at) values ($1, $2, 'POST', '/api/calendar/holidays', $3, $4)`,
        [adminId, `dang-chay-${n}`, requestHash('POST', '/api/calendar/holidays', body), at],
      );
    await insertClaim(app.clock.now());
    const busy = await call('POST', '/api/calendar/holidays', { token: admin, body, key: `dang-chay-${n}` });
    expect(busy.status).to.equal(409);
    expect(busy.body.error).to.include({ code: 'IDEMPOTENCY_IN_PROGRESS', message: 'Yêu cầu này đang được xử lý, vui lòng chờ.' });
    const none: unknown[] = await app.ctx.db.query('select 1 from calendar_holidays where date = $1', [body.date]);
    expect(none).to.have.length(0);

    // The claim's request never finished (server restart): after STALE_CLAIM_MS the key runs again.
    await app.ctx.db.query('update idempotency_keys set created_at = $3 where officer_id = $1 and key = $2', [
      adminId,
      `dang-chay-${n}`,
      new Date(app.clock.now().getTime() - STALE_CLAIM_MS - 1000),
    ]);
    const retried = await call('POST', '/api/calendar/holidays', { token: admin, body, key: `dang-chay-${n}` });
    expect(retried.status).to.equal(201);
    expect(retried.headers.get('idempotent-replayed')).to.equal(null);
  });

  it('does not store a 5xx: the key is released and a retry runs', async () => {
    const n = fresh();
    const body = holiday(n);
    await app.ctx.db.query(`
      create function test_disk_full() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$;
      create trigger test_disk_full before insert on calendar_holidays for each row execute function test_disk_full();
    `);
    const originalError = console.error;
    let failed: HttpResult;
    try {
      console.error = () => undefined; // the expected 500 is logged by the router
      failed = await call('POST', '/api/calendar/holidays', { token: admin, body, key: `loi-may-chu-${n}` });
    } finally {
      console.error = originalError;
      await app.ctx.db.query('drop trigger test_disk_full on calendar_holidays; drop function test_disk_full');
    }
    expect(failed.status).to.equal(500);
    const kept: unknown[] = await app.ctx.db.query('select 1 from idempotency_keys where officer_id = $1 and key = $2', [adminId, `loi-may-chu-${n}`]);
    expect(kept).to.have.length(0);

    const retry = await call('POST', '/api/calendar/holidays', { token: admin, body, key: `loi-may-chu-${n}` });
    expect(retry.status).to.equal(201);
    expect(retry.headers.get('idempotent-replayed')).to.equal(null);
    const again = await call('POST', '/api/calendar/holidays', { token: admin, body, key: `loi-may-chu-${n}` });
    expect(again.status).to.equal(201);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
  });

  it('forgets a key after 24 hours: it may then be used for a new request, and old keys are cleaned up', async () => {
    const n = fresh();
    const first = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(n), key: `het-han-${n}` });
    expect(first.status).to.equal(201);
    app.clock.advance(KEY_TTL_MS + 60_000);
    try {
      const token = await sessionFor(app, adminId);
      const m = fresh();
      const reused = await call('POST', '/api/calendar/holidays', { token, body: holiday(m), key: `het-han-${n}` });
      expect(reused.status).to.equal(201);
      expect(reused.body.date).to.equal(saturday(m));
      const old: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from idempotency_keys where created_at < $1', [
        new Date(app.clock.now().getTime() - KEY_TTL_MS),
      ]);
      expect(old[0].n).to.equal(0);
    } finally {
      app.clock.set(new Date(app.clock.now().getTime() - KEY_TTL_MS - 60_000));
    }
  });

  it('keeps each officer’s keys apart', async () => {
    const otherId = await createTestOfficer(app.ctx.db, { username: 'quantri.khac', rights: ['USER_ADMIN'], unitIds: [app.org.communeA] });
    const other = await sessionFor(app, otherId);
    const a = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(fresh()), key: 'chung-khoa' });
    const b = await call('POST', '/api/calendar/holidays', { token: other, body: holiday(fresh()), key: 'chung-khoa' });
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    expect(b.headers.get('idempotent-replayed')).to.equal(null);
    expect(b.body.id).to.not.equal(a.body.id);
  });

  it('refuses a malformed key before acting', async () => {
    const n = fresh();
    for (const key of ['x'.repeat(201), ' ']) {
      const res = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(n), key });
      expect(res.status, JSON.stringify(key)).to.equal(400);
      expect(res.body.error.code).to.equal('IDEMPOTENCY_KEY_INVALID');
    }
    const none: unknown[] = await app.ctx.db.query('select 1 from calendar_holidays where date = $1', [saturday(n)]);
    expect(none).to.have.length(0);
    const ok = await call('POST', '/api/calendar/holidays', { token: admin, body: holiday(n), key: 'x'.repeat(200) });
    expect(ok.status).to.equal(201);
  });

  it('takes no key on public routes (login) nor on reads', async () => {
    await createTestOfficer(app.ctx.db, { username: 'canbo.dangnhap', unitIds: [app.org.communeA] });
    const creds = { username: 'canbo.dangnhap', password: 'matkhau123' };
    const a = await call('POST', '/api/auth/login', { body: creds, key: 'dang-nhap' });
    const b = await call('POST', '/api/auth/login', { body: creds, key: 'dang-nhap' });
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    expect(b.headers.get('idempotent-replayed')).to.equal(null);
    expect(b.body.token).to.be.a('string').and.not.equal(a.body.token);
    const read = await call('GET', '/api/auth/me', { token: admin, key: 'doc' });
    expect(read.status).to.equal(200);
    const keys: unknown[] = await app.ctx.db.query(`select 1 from idempotency_keys where key in ('dang-nhap', 'doc')`);
    expect(keys).to.have.length(0);
  });

  it('a route declaring idempotency: required refuses a call without a key, and its handler sees the key it runs under', async () => {
    let runs = 0;
    const seen: Array<string | undefined> = [];
    const route: RouteSpec = {
      method: 'post',
      path: '/api/test/counter',
      access: 'authenticated',
      action: 'test.counter',
      idempotency: 'required',
      summary: 'Counts its runs',
      handler: (c) => {
        runs++;
        seen.push(c.idempotencyKey);
        return { status: 201, body: { runs } };
      },
    };
    const server: Server = await new Promise((resolve) => {
      const s = express().use(express.json()).use(buildRouter([route], app.ctx)).listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const missing = await keyed(base, 'POST', '/api/test/counter', { token: admin, body: {} });
      expect(missing.status).to.equal(400);
      expect(missing.body.error.code).to.equal('IDEMPOTENCY_KEY_REQUIRED');
      expect(missing.body.error.message).to.include('Idempotency-Key');
      const first = await keyed(base, 'POST', '/api/test/counter', { token: admin, body: {}, key: 'dem-1' });
      const again = await keyed(base, 'POST', '/api/test/counter', { token: admin, body: {}, key: 'dem-1' });
      expect(first.body).to.deep.equal({ runs: 1 });
      expect(again.body).to.deep.equal({ runs: 1 });
      expect(runs).to.equal(1);
      expect(seen).to.deep.equal(['dem-1']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('still lets plain JSON callers without a key work as before', async () => {
    const res = await http(app, 'POST', '/api/calendar/holidays', { token: admin, body: holiday(fresh()) });
    expect(res.status).to.equal(201);
  });

  it('stores a key’s outcome again in the background while the database is away, so the key is not blocked once it is back', async () => {
    let attempts = 0;
    const stored = await settleInBackground(async () => {
      attempts += 1;
      if (attempts < 4) throw new Error('the database system is not yet accepting connections');
    }, () => undefined, 5_000, 10);
    expect(stored).to.equal(true);
    expect(attempts).to.equal(4);
    const logged: unknown[] = [];
    const never = await settleInBackground(async () => Promise.reject(new Error('down')), (e) => logged.push(e), 200, 10);
    expect(never).to.equal(false);
    expect(logged).to.have.length(1);
  });
});
