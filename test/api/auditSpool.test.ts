/**
 * Audit rows while the database is away: spooled to disk and appended in order when it answers,
 * never twice, and a new row waits behind those already spooled.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { verifyAuditChain, type AuditRecord } from '../../api/audit/auditLog';
import { createAuditSpool, recordAudit } from '../../api/audit/auditSpool';
import { createDataSource } from '../../db/dataSource';
import { freshDatabase, type FreshDatabase } from '../support/database';

const row = (action: string): AuditRecord => ({ at: new Date(), actorId: null, actorName: 'kiểm thử', unitId: null, action, target: null, outcome: 'success', status: 200, details: { n: action }, ip: null });

describe('audit trail: the spool while the database is away', function () {
  this.timeout(60_000);
  let fresh: FreshDatabase;
  let dir: string;
  let gone: DataSource;
  const actions = async (): Promise<string[]> => (await fresh.db.query(`select action from audit_log where action like 'spool.%' order by seq`)).map((r: { action: string }) => r.action);

  before(async () => {
    fresh = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'audit-spool-'));
    // A connection pool whose database has gone: every query fails, as when PostgreSQL is down.
    gone = createDataSource(fresh.url, 1);
    await gone.initialize();
    await gone.destroy();
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fresh?.close();
  });

  it('spools rows the database cannot take, keeps new ones behind them, and appends them in order once it answers', async () => {
    const lines: string[] = [];
    const spool = createAuditSpool(dir, (l) => lines.push(l));
    expect(await spool.record(fresh.db, row('spool.0'))).to.equal('appended');
    expect(await spool.record(gone, row('spool.1'))).to.equal('spooled');
    expect(await spool.record(gone, row('spool.2'))).to.equal('spooled');
    // The database is back, but two rows wait: the next one queues behind them.
    expect(await spool.record(fresh.db, row('spool.3'))).to.equal('spooled');
    expect(spool.pending()).to.equal(3);
    expect(readFileSync(join(dir, 'spool.jsonl'), 'utf8').trim().split('\n')).to.have.length(3);
    expect(await actions()).to.deep.equal(['spool.0']);

    expect(await spool.flush(gone).then(() => 'flushed', () => 'refused')).to.equal('refused');
    expect(await spool.flush(fresh.db)).to.equal(3);
    expect(await actions()).to.deep.equal(['spool.0', 'spool.1', 'spool.2', 'spool.3']);
    expect(spool.pending()).to.equal(0);
    expect(readFileSync(join(dir, 'spool.jsonl'), 'utf8')).to.equal('');
    expect(await spool.record(fresh.db, row('spool.4'))).to.equal('appended');
    expect((await verifyAuditChain(fresh.db)).ok).to.equal(true);
    expect(lines.some((l) => l.includes('spooled to'))).to.equal(true);
  });

  it('appends a row once when a flush was cut short after appending it, and survives the process (a new spool on the same files)', async () => {
    const spool = createAuditSpool(dir, () => undefined);
    await spool.record(gone, row('spool.5'));
    await spool.record(gone, row('spool.6'));
    const saved = readFileSync(join(dir, 'spool.jsonl'), 'utf8');
    expect(await spool.flush(fresh.db)).to.equal(2);
    // As if the process died after appending both rows but before noting its progress.
    writeFileSync(join(dir, 'spool.jsonl'), saved);
    writeFileSync(join(dir, 'spool.offset'), '0');
    const afterRestart = createAuditSpool(dir, () => undefined);
    expect(afterRestart.pending()).to.equal(2);
    await afterRestart.flush(fresh.db);
    expect((await actions()).filter((a) => a === 'spool.5' || a === 'spool.6')).to.deep.equal(['spool.5', 'spool.6']);
    expect((await verifyAuditChain(fresh.db)).ok).to.equal(true);
  });
  it('writes a companion statement with a row that goes to the database, never with a spooled one, and says which', async () => {
    await fresh.db.query('create table spool_companion (n int not null)');
    const companion = (n: number) => ({ sql: (first: number) => `insert into spool_companion (n) values ($${first})`, params: [n] });
    const written = async () => (await fresh.db.query('select n from spool_companion order by n')).map((r: { n: number }) => r.n);
    const spool = createAuditSpool(mkdtempSync(join(tmpdir(), 'audit-spool-')), () => undefined);
    expect(await spool.record(fresh.db, row('companion.1'), companion(1))).to.equal('appended');
    expect(await spool.record(gone, row('companion.2'), companion(2))).to.equal('spooled');
    // A row waits in the spool: the next one queues behind it, and its companion is not written.
    expect(await recordAudit(fresh.db, spool, row('companion.3'), companion(3))).to.equal(false);
    expect(await written()).to.deep.equal([1]);
    expect(await spool.flush(fresh.db)).to.equal(2);
    expect(await recordAudit(fresh.db, spool, row('companion.4'), companion(4))).to.equal(true);
    expect(await recordAudit(fresh.db, undefined, row('companion.5'), companion(5))).to.equal(true);
    expect(await recordAudit(fresh.db, spool, row('companion.6'))).to.equal(false);
    expect(await written()).to.deep.equal([1, 4, 5]);
    expect((await fresh.db.query(`select action from audit_log where action like 'companion.%' order by seq`)).map((r: { action: string }) => r.action)).to.deep.equal([
      'companion.1', 'companion.2', 'companion.3', 'companion.4', 'companion.5', 'companion.6',
    ]);
    expect((await verifyAuditChain(fresh.db)).ok).to.equal(true);
  });
});
