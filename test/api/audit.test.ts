import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { appendAudit, verifyAuditChain, type AuditRecord } from '../../api/audit/auditLog';
import { createTestOfficer, http, sessionFor, startTestApp, type TestApp } from '../support/identityApp';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

function record(app: TestApp, action: string, unitId: string | null, details: Record<string, unknown> = {}): AuditRecord {
  return { at: app.clock.now(), actorId: null, actorName: 'hệ thống', unitId, action, target: null, outcome: 'success', status: 200, details, ip: '127.0.0.1' };
}

async function tamper(app: TestApp, sql: string, params: unknown[]): Promise<void> {
  // The trigger forbids changes; a superuser with direct database access is the threat being detected.
  await app.ctx.db.query('alter table audit_log disable trigger audit_log_append_only');
  await app.ctx.db.query(sql, params);
  await app.ctx.db.query('alter table audit_log enable trigger audit_log_append_only');
}

describe('audit trail', function () {
  this.timeout(120_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ otpRequired: false });
  });
  after(async () => {
    await app?.close();
  });

  it('chains concurrent appends into one gap-free sequence that verifies', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => appendAudit(app.ctx.db, record(app, 'test.concurrent', app.org.communeA, { i, nested: { b: 1, a: [1, 'x'] } }))));
    const rows: Array<{ seq: string }> = await app.ctx.db.query('select seq::text as seq from audit_log order by audit_log.seq');
    expect(rows.map((r) => Number(r.seq))).to.deep.equal(Array.from({ length: rows.length }, (_, i) => i + 1));
    const report = await verifyAuditChain(app.ctx.db, 7);
    expect(report).to.deep.equal({ entries: rows.length, ok: true, breaks: [], breakCount: 0 });
  });

  it('hashes exactly what it stores, whatever a request held: lone surrogates, NUL, NFD, a megabyte, deep nesting', async () => {
    const hostile = ['x\ud800y', 'a\udc00', '\ud83d', 'nul\u0000byte', 'Nguye\u0302\u0303n', 'x'.repeat(1024 * 1024), '\u{1F600}'.repeat(3000)];
    let deep: unknown = 'đáy';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    for (const text of hostile) {
      await appendAudit(app.ctx.db, { ...record(app, `test.hostile ${text.slice(0, 20)}`, null, { username: text, [text.slice(0, 30)]: text, list: Array.from({ length: 500 }, () => text.slice(0, 5)) }), actorName: text, target: text, ip: text });
    }
    await appendAudit(app.ctx.db, record(app, 'test.deep', null, { deep }));
    const report = await verifyAuditChain(app.ctx.db);
    expect(report, JSON.stringify(report.breaks)).to.include({ ok: true, breakCount: 0 });
    const stored: Array<{ actor_name: string; details: { username: string; deep?: unknown } }> = await app.ctx.db.query(
      `select actor_name, details from audit_log where action like 'test.hostile%' or action = 'test.deep' order by seq`,
    );
    expect(stored[0]!.actor_name).to.equal('x\ufffdy');
    expect(stored[3]!.details.username).to.equal('nul\u2400byte');
    // NFD is kept as it came: stored and hashed alike.
    expect(stored[4]!.details.username).to.equal('Nguye\u0302\u0303n');
    expect(stored[5]!.details.username).to.match(/^x{4000}… \(\+1044576 ký tự\)$/);
    expect(JSON.stringify(stored[7]!.details.deep)).to.contain('[…]');
  });

  it('leaves a line for every request that tries to change something, refused or failed: hostile login, bad JSON, an unknown address, a NUL in a name', async () => {
    const before: Array<{ n: string }> = await app.ctx.db.query('select max(seq)::text as n from audit_log');
    const since = before[0]!.n ?? '0';
    const login = await http(app, 'POST', '/api/citizen/login', { body: { username: 'x\ud800y', password: 'Sai@12345', captchaId: 'x', captchaAnswer: 'x' } });
    expect(login.status).to.be.within(400, 499);
    const badJson = await fetch(`${app.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": ' });
    expect(badJson.status).to.equal(400);
    const unknown = await http(app, 'POST', '/api/khong-co', { body: {} });
    expect(unknown.status).to.equal(404);
    const admin = await createTestOfficer(app.ctx.db, { username: 'admin.nul', rights: ['USER_ADMIN'], unitIds: [app.org.district] });
    const renamed = await http(app, 'PATCH', `/api/admin/units/${app.org.communeA}`, { token: await sessionFor(app, admin), body: { name: 'UBND xã\u0000Nùng Năng' } });
    const rows: Array<{ action: string; outcome: string; status: number }> = await app.ctx.db.query('select action, outcome, status from audit_log where seq > $1 order by seq', [since]);
    const line = (action: string) => rows.find((r) => r.action === action);
    expect(line('POST /api/citizen/login'), JSON.stringify(rows)).to.deep.include({ outcome: 'refused', status: login.status });
    expect(line('POST /api/auth/login')).to.deep.include({ outcome: 'refused', status: 400 });
    expect(line('POST /api/khong-co')).to.deep.include({ outcome: 'refused', status: 404 });
    // Text PostgreSQL cannot store is refused before the handler, and the refusal is on record.
    expect(renamed.status).to.equal(400);
    expect(renamed.body.error.code).to.equal('INVALID_TEXT');
    expect(line(`PATCH /api/admin/units/${app.org.communeA}`), JSON.stringify(rows)).to.deep.include({ outcome: 'refused', status: 400 });
    expect((await verifyAuditChain(app.ctx.db)).ok).to.equal(true);
  });

  it('refuses UPDATE and DELETE on the table itself', async () => {
    const update = await app.ctx.db.query(`update audit_log set action = 'x' where seq = 1`).then(() => 'updated', (e: Error) => e.message);
    const del = await app.ctx.db.query('delete from audit_log where seq = 1').then(() => 'deleted', (e: Error) => e.message);
    expect(update).to.match(/append-only/);
    expect(del).to.match(/append-only/);
  });

  it('shows auditors the entries of their own units only, and needs the AUDIT right', async () => {
    await appendAudit(app.ctx.db, record(app, 'test.unit-b', app.org.communeB));
    const auditorA = await createTestOfficer(app.ctx.db, { username: 'auditor.a', rights: ['AUDIT'], unitIds: [app.org.communeA] });
    const clerk = await createTestOfficer(app.ctx.db, { username: 'clerk.a', rights: ['CERT_CREATE'], unitIds: [app.org.communeA] });
    const token = await sessionFor(app, auditorA);
    const seen = await http(app, 'GET', '/api/audit?pageSize=200', { token });
    expect(seen.status).to.equal(200);
    const actions = (seen.body.items as Array<{ action: string }>).map((e) => e.action);
    expect(actions).to.include('test.concurrent');
    expect(actions).to.not.include('test.unit-b');
    expect((await http(app, 'GET', `/api/audit?unitId=${app.org.communeB}`, { token })).status).to.equal(403);
    expect((await http(app, 'GET', '/api/audit', { token: await sessionFor(app, clerk) })).status).to.equal(403);
    expect((await http(app, 'GET', '/api/audit')).status).to.equal(401);
    const bad = await http(app, 'GET', '/api/audit?outcome=maybe&page=0', { token });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.match(/kết quả phải là/);
  });

  it('detects a changed row, through the API and through `npm run audit:verify`', async () => {
    const auditor = await createTestOfficer(app.ctx.db, { username: 'auditor.d', rights: ['AUDIT'], unitIds: [app.org.district] });
    const token = await sessionFor(app, auditor);
    const intact = await http(app, 'GET', '/api/audit/verify', { token });
    expect(intact.body.ok).to.equal(true);
    const cli = await run(process.execPath, ['--import', 'tsx', 'scripts/auditVerify.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: app.database.url } });
    expect(cli.stdout).to.match(/^\d+ entries read in [\d.]+ s \(\d+ entries\/s\)\naudit chain intact$/m);

    await tamper(app, `update audit_log set details = jsonb_set(details, '{i}', '999') where seq = 5`, []);
    const broken = await http(app, 'GET', '/api/audit/verify', { token });
    expect(broken.body).to.include({ ok: false, breakCount: 1 });
    expect(broken.body.firstBreak).to.deep.equal({ seq: '5', reason: 'hash-mismatch' });
    expect(broken.body.message).to.match(/1 chỗ hỏng, chỗ đầu tiên tại bản ghi số 5/);
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/auditVerify.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: app.database.url } }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).to.equal(1);
    expect(failed?.stderr).to.match(/audit chain BROKEN: 1 broken link\(s\)\n {2}entry 5: hash-mismatch/);
  });

  it('reports every break, not only the first: a later tampering is not hidden by an earlier one, and deleted rows as gaps', async () => {
    await tamper(app, 'delete from audit_log where seq in (3, 4)', []);
    const last: Array<{ seq: string }> = await app.ctx.db.query('select max(seq)::text as seq from audit_log');
    await tamper(app, `update audit_log set actor_name = 'ai đó' where seq = $1`, [last[0]!.seq]);
    const report = await verifyAuditChain(app.ctx.db);
    expect(report.ok).to.equal(false);
    expect(report.breaks).to.deep.equal([
      { seq: '3', toSeq: '4', reason: 'gap' },
      { seq: '5', reason: 'hash-mismatch' },
      { seq: last[0]!.seq, reason: 'hash-mismatch' },
    ]);
    expect(report.breakCount).to.equal(3);
  });

  it('audit:verify in stretches side by side finds what one walk finds, also a gap and a changed link where two stretches meet', async () => {
    const max: Array<{ seq: string }> = await app.ctx.db.query('select max(seq)::text as seq from audit_log');
    const last = Number(max[0]!.seq);
    // Three stretches of `size` entries, as the command splits the trail for three processes.
    const size = Math.floor(last / 3) + 1;
    await tamper(app, 'delete from audit_log where seq = $1', [String(1 + size)]);
    await tamper(app, `update audit_log set prev_hash = repeat('f', 64) where seq = $1`, [String(1 + 2 * size)]);
    const walk = await verifyAuditChain(app.ctx.db);
    expect(walk.breaks).to.deep.include({ seq: String(1 + size), toSeq: String(1 + size), reason: 'gap' });
    expect(walk.breaks).to.deep.include({ seq: String(1 + 2 * size), reason: 'prev-hash-mismatch' });
    const listing = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('  entry ')).join('\n');
    const cli = (processes: string) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/auditVerify.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: app.database.url, AUDIT_VERIFY_PROCESSES: processes } }).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
    const [one, three] = await Promise.all([cli('1'), cli('3')]);
    expect(one?.code).to.equal(1);
    expect(three?.code).to.equal(1);
    const expected = walk.breaks.map((b) => `  entry ${b.seq}${b.toSeq && b.toSeq !== b.seq ? `..${b.toSeq}` : ''}: ${b.reason}`).join('\n');
    expect(listing(one!.stderr)).to.equal(expected);
    expect(listing(three!.stderr)).to.equal(expected);
    expect(three!.stderr).to.contain(`audit chain BROKEN: ${walk.breakCount} broken link(s)`);
  });
});
