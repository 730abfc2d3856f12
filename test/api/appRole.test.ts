/**
 * The application's database role: it does the product's work, and cannot alter the audit trail —
 * not by UPDATE or DELETE, not by switching the append-only trigger off, not by changing the schema.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { appendAudit, verifyAuditChain } from '../../api/audit/auditLog';
import { ensureAppRole } from '../../db/appRole';
import { createDataSource } from '../../db/dataSource';
import { freshDatabase, type FreshDatabase } from '../support/database';

describe('database: the application role', function () {
  this.timeout(60_000);
  let fresh: FreshDatabase;
  let appUrl: string;
  before(async () => {
    fresh = await freshDatabase();
    // A role name of its own: roles are shared by every database of the test cluster.
    appUrl = await ensureAppRole(fresh.url, 'app-test-password', 'public', `app_role_test_${process.pid}`);
  });
  after(async () => {
    // The role's grants live in this database: dropped with it, then the role itself.
    await fresh.db.query(`drop owned by app_role_test_${process.pid}`);
    await fresh.db.query(`drop role app_role_test_${process.pid}`);
    await fresh.close();
  });

  async function asApp<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: appUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }
  const refusal = (p: Promise<unknown>) => p.then(() => 'allowed', (e: Error) => e.message);

  it('does the product’s work: reads and writes its tables, appends to the audit trail', async () => {
    const app = createDataSource(appUrl, 2);
    await app.initialize();
    try {
      await appendAudit(app, { at: new Date(), actorId: null, actorName: 'kiểm thử', unitId: null, action: 'test.app-role', target: null, outcome: 'success', status: 200, details: {}, ip: null });
      const units: Array<{ n: number }> = await app.query('select count(*)::int as n from units');
      expect(units[0]!.n).to.be.a('number');
      await app.query(`insert into sms_outbox (to_phone, body, purpose, provider, status, created_at) values ('0912000000', 'x', 'test', 'local', 'stored', now())`);
      expect((await verifyAuditChain(app)).ok).to.equal(true);
    } finally {
      await app.destroy();
    }
  });

  it('cannot change or remove audit rows, switch the trigger off, or change the schema', async () => {
    expect(await asApp((c) => refusal(c.query(`update audit_log set action = 'x'`)))).to.match(/permission denied/);
    expect(await asApp((c) => refusal(c.query('delete from audit_log')))).to.match(/permission denied/);
    expect(await asApp((c) => refusal(c.query('truncate audit_log')))).to.match(/permission denied/);
    expect(await asApp((c) => refusal(c.query('alter table audit_log disable trigger audit_log_append_only')))).to.match(/must be owner/);
    expect(await asApp((c) => refusal(c.query('create table intruder (x int)')))).to.match(/permission denied/);
    expect(await asApp((c) => refusal(c.query('drop table units')))).to.match(/must be owner/);
  });

  it('gives the grants again for a table a later migration adds', async () => {
    await fresh.db.query('create table later_table (id int)');
    expect(await asApp((c) => refusal(c.query('select * from later_table')))).to.match(/permission denied/);
    await ensureAppRole(fresh.url, 'app-test-password', 'public', `app_role_test_${process.pid}`);
    expect(await asApp((c) => refusal(c.query('insert into later_table values (1)')))).to.equal('allowed');
  });
});
