/**
 * Case codes as the reception issues them: the commune's next number for the day, padded to four
 * digits and longer past 9999, and the same code again for a reception retried under its key.
 */
import { expect } from 'chai';
import { formatCaseCode, issueCaseCode } from '../../api/cases/caseCode';
import { ManualClock } from '../../api/clock';
import type { AppContext } from '../../api/context';
import { createTestOfficer, seedTestOrg } from '../support/identityApp';
import { freshDatabase, type FreshDatabase } from '../support/database';

describe('api: case codes', function () {
  this.timeout(60_000);
  let fresh: FreshDatabase;
  let ctx: AppContext;
  let unit: { id: string; code: string; name: string; path: string };
  let officerId: string;

  before(async () => {
    fresh = await freshDatabase();
    const org = await seedTestOrg(fresh.db);
    const [row] = await fresh.db.query('select id, code, name, path from units where id = $1', [org.communeA]);
    unit = row;
    officerId = await createTestOfficer(fresh.db, { username: 'tiepnhan.ma', fullName: 'Lò Thị Hoa', rights: ['CERT_CREATE'], unitIds: [org.communeA] });
    // Only the database and the clock are read when a code is issued.
    ctx = { db: fresh.db, clock: new ManualClock(new Date('2026-11-23T02:00:00Z')) } as unknown as AppContext;
  });
  after(async () => fresh?.close());

  it('numbers a day’s receptions from 0001, past 9999 without losing a digit, and gives a retried key its first code', async () => {
    const first = await issueCaseCode(ctx, unit, officerId, 'k-1');
    expect(first).to.deep.equal({ caseCode: formatCaseCode(unit.code, '2026-11-23', 1), reused: false });
    expect(first.caseCode).to.equal('000.15.43.H35-261123-0001');
    expect(await issueCaseCode(ctx, unit, officerId, 'k-1')).to.deep.equal({ caseCode: first.caseCode, reused: true });
    // A retry that must not reuse (the first code's workflow id is taken) gets the next number.
    expect(await issueCaseCode(ctx, unit, officerId, 'k-1', false)).to.deep.equal({ caseCode: '000.15.43.H35-261123-0002', reused: false });
    await fresh.db.query('update case_code_counters set last_seq = 9998 where unit_id = $1', [unit.id]);
    expect((await issueCaseCode(ctx, unit, officerId, 'k-2')).caseCode).to.equal('000.15.43.H35-261123-9999');
    expect((await issueCaseCode(ctx, unit, officerId, 'k-3')).caseCode).to.equal('000.15.43.H35-261123-10000');
    expect(formatCaseCode(unit.code, '2026-11-23', 10000)).to.equal('000.15.43.H35-261123-10000');
    const issued: Array<{ case_code: string; seq: number; idempotency_key: string }> = await fresh.db.query('select case_code, seq, idempotency_key from case_codes where unit_id = $1 order by seq', [unit.id]);
    expect(issued.map((r) => [r.seq, r.idempotency_key])).to.deep.equal([[1, 'k-1'], [2, 'k-1'], [9999, 'k-2'], [10000, 'k-3']]);
  });
});
