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
    expect(report).to.deep.equal({ entries: rows.length, ok: true });
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
    expect(cli.stdout).to.match(/audit chain intact: \d+ entries/);

    await tamper(app, `update audit_log set details = jsonb_set(details, '{i}', '999') where seq = 5`, []);
    const broken = await http(app, 'GET', '/api/audit/verify', { token });
    expect(broken.body).to.include({ ok: false, entries: 4 });
    expect(broken.body.firstBreak).to.deep.equal({ seq: '5', reason: 'hash-mismatch' });
    expect(broken.body.message).to.match(/bản ghi số 5/);
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/auditVerify.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: app.database.url } }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).to.equal(1);
    expect(failed?.stderr).to.match(/BROKEN at entry 5 \(hash-mismatch\)/);
  });

  it('detects a deleted row as a gap', async () => {
    await tamper(app, 'delete from audit_log where seq = 3', []);
    const report = await verifyAuditChain(app.ctx.db);
    expect(report.ok).to.equal(false);
    expect(report.firstBreak).to.deep.equal({ seq: '3', reason: 'gap' });
  });
});
