/**
 * Certification numbers against a real PostgreSQL: gap-free and unique under heavy concurrency,
 * exactly once per case however often the activity runs, separate books per unit, year and book
 * code, the year taken in Hà Nội time, and bad input refused without consuming a number.
 */
import { expect } from 'chai';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import {
  createNumberingActivities,
  DEFAULT_CERTIFICATION_BOOK,
  listRegister,
  NUMBERING_FAILURES,
  type AssignCertificationNumberInput,
  type AssignedCertificationNumber,
  type NumberingActivities,
} from '../../activities/numbering';
import { createDataSource } from '../../db/dataSource';
import { DomainError } from '../../domain/messages';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';

/** Monday 23 November 2026, 09:00 in Hà Nội. */
const SEALED_2026 = '2026-11-23T02:00:00.000Z';
const SEALED_2027 = '2027-03-02T03:00:00.000Z';
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the call should have failed').to.be.instanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('numbering: certification numbers (số chứng thực) in PostgreSQL', function () {
  this.timeout(120_000);
  let database: FreshDatabase;
  // A wider pool than the default so that many transactions really contend for the book row.
  let db: DataSource;
  let org: Org;
  let now: Date;
  let numbering: NumberingActivities;

  before(async () => {
    database = await freshDatabase();
    org = await seedTestOrg(database.db);
    db = createDataSource(database.url, 24);
    await db.initialize();
    now = new Date('2026-11-23T02:05:00.000Z');
    numbering = createNumberingActivities(db, () => now);
  });

  after(async () => {
    if (db?.isInitialized) await db.destroy();
    await database?.close();
  });

  const assign = (input: AssignCertificationNumberInput) => numbering.assignCertificationNumber(input);

  async function seqsOf(unitId: string, year: number, book = DEFAULT_CERTIFICATION_BOOK): Promise<number[]> {
    const rows: Array<{ seq: number }> = await db.query('select seq from certification_numbers where unit_id = $1 and year = $2 and book = $3 order by seq', [unitId, year, book]);
    return rows.map((r) => r.seq);
  }

  async function nextSeq(unitId: string, year: number, book = DEFAULT_CERTIFICATION_BOOK): Promise<number | undefined> {
    const rows: Array<{ next_seq: number }> = await db.query('select next_seq from certification_books where unit_id = $1 and year = $2 and book = $3', [unitId, year, book]);
    return rows[0]?.next_seq;
  }

  const countNumbers = async () => Number(((await db.query('select count(*) as n from certification_numbers')) as Array<{ n: string }>)[0].n);

  describe('500 concurrent seals in one unit', () => {
    const cases = range(500).map((i) => `HS-A-${String(i).padStart(4, '0')}`);
    let first: AssignedCertificationNumber[];

    before(async () => {
      first = await Promise.all(cases.map((caseCode) => assign({ caseCode, unitId: org.communeA, sealedAt: SEALED_2026 })));
    });

    it('hands out exactly 1..500: no gap, no duplicate, in the default book and format', async () => {
      expect(first.map((r) => r.seq).sort((a, b) => a - b)).to.deep.equal(range(500));
      expect(new Set(first.map((r) => r.number)).size).to.equal(500);
      for (const r of first) {
        expect(r).to.include({ number: `${r.seq}/2026-SCTĐT/BS`, year: 2026, book: 'SCTĐT/BS', assignedAt: now.toISOString() });
      }
      expect(await seqsOf(org.communeA, 2026)).to.deep.equal(range(500));
      expect(await nextSeq(org.communeA, 2026)).to.equal(501);
    });

    it('stores each number against its case, with the sealing instant', async () => {
      const rows: Array<{ case_code: string; seq: number; number: string; sealed_at: Date }> = await db.query(
        'select case_code, seq, number, sealed_at from certification_numbers where unit_id = $1',
        [org.communeA],
      );
      const byCase = new Map(rows.map((r) => [r.case_code, r]));
      cases.forEach((caseCode, i) => {
        expect(byCase.get(caseCode)).to.include({ seq: first[i].seq, number: first[i].number });
        expect(byCase.get(caseCode)!.sealed_at.toISOString()).to.equal(SEALED_2026);
      });
    });

    it('returns the same number when the same cases are sealed again, concurrently, and takes no new one', async () => {
      now = new Date('2026-11-24T02:00:00.000Z');
      // A retry carries the workflow's original input; even a different instant must not matter.
      const again = await Promise.all(cases.map((caseCode, i) => assign({ caseCode, unitId: org.communeA, sealedAt: i % 2 ? SEALED_2026 : '2026-11-24T01:00:00Z' })));
      expect(again).to.deep.equal(first);
      expect(await nextSeq(org.communeA, 2026)).to.equal(501);
      expect(await countNumbers()).to.equal(500);
    });

    it('gives one number to a case sealed by several runs at the same instant, still without gaps', async () => {
      const racing = range(40).map((i) => `HS-A-RACE-${i}`);
      const results = await Promise.all(racing.flatMap((caseCode) => range(4).map(() => assign({ caseCode, unitId: org.communeA, sealedAt: SEALED_2026 }))));
      racing.forEach((_, i) => {
        const four = results.slice(i * 4, i * 4 + 4);
        expect(new Set(four.map((r) => r.number)).size, `case ${racing[i]}`).to.equal(1);
      });
      expect(new Set(results.map((r) => r.seq)).size).to.equal(40);
      expect(await seqsOf(org.communeA, 2026)).to.deep.equal(range(540));
      expect(await nextSeq(org.communeA, 2026)).to.equal(541);
    });
  });

  describe('separate books', () => {
    it('keeps one sequence per unit and per year, even when they are sealed all at once', async () => {
      const jobs: Array<{ unitId: string; sealedAt: string; caseCode: string }> = [];
      for (let i = 1; i <= 60; i++) {
        jobs.push({ unitId: org.communeB, sealedAt: SEALED_2026, caseCode: `HS-B26-${i}` });
        jobs.push({ unitId: org.communeB, sealedAt: SEALED_2027, caseCode: `HS-B27-${i}` });
        jobs.push({ unitId: org.communeA, sealedAt: SEALED_2027, caseCode: `HS-A27-${i}` });
      }
      const results = await Promise.all(jobs.map((j) => assign(j)));
      const seqs = (prefix: string, year: number) =>
        results
          .filter((r, i) => jobs[i].caseCode.startsWith(prefix) && r.year === year)
          .map((r) => r.seq)
          .sort((a, b) => a - b);
      expect(seqs('HS-B26-', 2026)).to.deep.equal(range(60));
      expect(seqs('HS-B27-', 2027)).to.deep.equal(range(60));
      expect(seqs('HS-A27-', 2027)).to.deep.equal(range(60));
      expect(await seqsOf(org.communeB, 2026)).to.deep.equal(range(60));
      expect(await seqsOf(org.communeB, 2027)).to.deep.equal(range(60));
      expect(await seqsOf(org.communeA, 2027)).to.deep.equal(range(60));
      // Commune A's 2026 book went on untouched.
      expect(await nextSeq(org.communeA, 2026)).to.equal(541);
      expect(results.find((_, i) => jobs[i].caseCode === 'HS-B27-1')!.number).to.match(/^\d+\/2027-SCTĐT\/BS$/);
    });

    it('keeps one sequence per book code, and a new book writes its code after the year', async () => {
      const r1 = await assign({ caseCode: 'HS-HD-1', unitId: org.communeB, book: 'SCTĐT/HĐ', sealedAt: SEALED_2026 });
      const r2 = await assign({ caseCode: 'HS-HD-2', unitId: org.communeB, book: ' SCTĐT/HĐ ', sealedAt: SEALED_2026 });
      expect(r1).to.include({ seq: 1, number: '1/2026-SCTĐT/HĐ', book: 'SCTĐT/HĐ' });
      expect(r2).to.include({ seq: 2, number: '2/2026-SCTĐT/HĐ', book: 'SCTĐT/HĐ' });
      expect(await nextSeq(org.communeB, 2026)).to.equal(61);
    });

    it('writes numbers with the template the book was opened with, and keeps it for the whole year', async () => {
      const template = '{seq:4}/{year}/{unitCode}-CT';
      const a = await assign({ caseCode: 'HS-TPL-1', unitId: org.communeA, book: 'SCTĐT/MAU', template, sealedAt: SEALED_2026 });
      const b = await assign({ caseCode: 'HS-TPL-2', unitId: org.communeA, book: 'SCTĐT/MAU', template: '{seq}-{year}', sealedAt: SEALED_2026 });
      expect(a.number).to.equal('0001/2026/000.15.43.H35-CT');
      expect(b.number).to.equal('0002/2026/000.15.43.H35-CT');
      const register = await listRegister(db, { unitId: org.communeA, year: 2026, book: 'SCTĐT/MAU' });
      expect(register.template).to.equal(template);
    });
  });

  describe('the year of the sealing instant, in Hà Nội time', () => {
    it('numbers 31/12 23:30 local in that year and 01/01 00:00 local in the next, whatever the UTC date', async () => {
      const cases: Array<[string, string, number]> = [
        ['HS-Y-1', '2027-12-31T16:30:00Z', 2027], // 31/12/2027 23:30 in Hà Nội
        ['HS-Y-2', '2027-12-31T23:30:00+07:00', 2027],
        ['HS-Y-3', '2027-12-31T16:59:59.999Z', 2027],
        ['HS-Y-4', '2027-12-31T17:00:00Z', 2028], // 01/01/2028 00:00 in Hà Nội, still 31/12 in UTC
        ['HS-Y-5', '2028-01-01T00:10:00+07:00', 2028],
        ['HS-Y-6', '2028-01-01T00:30:00+09:00', 2027], // 31/12/2027 22:30 in Hà Nội although already 1 January in Tokyo
      ];
      const results = [];
      for (const [caseCode, sealedAt] of cases) results.push(await assign({ caseCode, unitId: org.communeB, sealedAt }));
      expect(results.map((r) => r.year)).to.deep.equal(cases.map((c) => c[2]));
      // Commune B's 2027 book already holds 60 numbers; its 2028 book starts at 1.
      expect(results.map((r) => r.number)).to.deep.equal(['61/2027-SCTĐT/BS', '62/2027-SCTĐT/BS', '63/2027-SCTĐT/BS', '1/2028-SCTĐT/BS', '2/2028-SCTĐT/BS', '64/2027-SCTĐT/BS']);
    });
  });

  describe('bad input', () => {
    async function expectRefused(input: unknown, type: string, messagePart: RegExp): Promise<ApplicationFailure> {
      const before = await countNumbers();
      const booksBefore: unknown[] = await db.query('select unit_id, year, book, next_seq from certification_books order by 1, 2, 3');
      const f = await failureOf(assign(input as AssignCertificationNumberInput));
      expect(f.nonRetryable, 'must not be retried').to.equal(true);
      expect(f.type).to.equal(type);
      expect(f.message).to.match(messagePart);
      expect(await countNumbers(), 'no number issued').to.equal(before);
      expect(await db.query('select unit_id, year, book, next_seq from certification_books order by 1, 2, 3'), 'no number consumed').to.deep.equal(booksBefore);
      return f;
    }

    it('refuses malformed input with a Vietnamese explanation, field by field', async () => {
      await expectRefused({ unitId: org.communeA, sealedAt: SEALED_2026 }, NUMBERING_FAILURES.invalidInput, /caseCode: thiếu mã hồ sơ/);
      await expectRefused({ caseCode: '   ', unitId: org.communeA, sealedAt: SEALED_2026 }, NUMBERING_FAILURES.invalidInput, /mã hồ sơ \(caseCode\) không được để trống/);
      await expectRefused({ caseCode: 'HS-X', unitId: 'xã A', sealedAt: SEALED_2026 }, NUMBERING_FAILURES.invalidInput, /unitId: mã đơn vị \(unitId\) phải là UUID/);
      await expectRefused({ caseCode: 'HS-X', unitId: org.communeA, sealedAt: '23/11/2026' }, NUMBERING_FAILURES.invalidInput, /sealedAt: thời điểm đóng dấu/);
      await expectRefused({ caseCode: 'HS-X', unitId: org.communeA, sealedAt: '2026-11-23T09:00:00' }, NUMBERING_FAILURES.invalidInput, /có múi giờ/);
      await expectRefused({ caseCode: 'HS-X', unitId: org.communeA, sealedAt: '1999-11-23T09:00:00Z' }, NUMBERING_FAILURES.invalidInput, /2000–2100/);
      await expectRefused({ caseCode: 'HS-X', unitId: org.communeA, book: '', sealedAt: SEALED_2026 }, NUMBERING_FAILURES.invalidInput, /mã sổ \(book\) không được để trống/);
      const f = await expectRefused(
        { caseCode: 'HS-X', unitId: org.communeA, book: 'SCTĐT/MOI', template: '{year}/{stt}', sealedAt: SEALED_2026 },
        NUMBERING_FAILURES.invalidInput,
        /template: Mẫu số chứng thực có biến không hợp lệ "\{stt\}"/,
      );
      expect(f.details?.[0]).to.have.property('issues').that.deep.includes({ field: 'template', problem: 'Mẫu số chứng thực có biến không hợp lệ "{stt}"; chỉ dùng {seq}, {seq:N}, {year}, {unitCode}, {book}' });
    });

    it('refuses an unknown unit or officer', async () => {
      await expectRefused({ caseCode: 'HS-X', unitId: '00000000-0000-4000-8000-000000000000', sealedAt: SEALED_2026 }, NUMBERING_FAILURES.unitNotFound, /Không tìm thấy đơn vị/);
      await expectRefused(
        { caseCode: 'HS-X', unitId: org.communeA, sealedAt: SEALED_2026, sealedBy: '00000000-0000-4000-8000-000000000001' },
        NUMBERING_FAILURES.officerNotFound,
        /Không tìm thấy cán bộ đóng dấu/,
      );
    });

    it('rolls back, without consuming the number, when the book cannot write it', async () => {
      // "1/SỔ-1-000.15.43.H35" would read back as book "SỔ" and unit "1-000.15.43.H35".
      const input = { caseCode: 'HS-AMB-1', unitId: org.communeA, book: 'SỔ-1', template: '{seq}/{book}-{unitCode}', sealedAt: SEALED_2026 };
      await expectRefused(input, NUMBERING_FAILURES.cannotFormat, /Không viết được số chứng thực theo mẫu "\{seq\}\/\{book\}-\{unitCode\}" của sổ SỔ-1/);
      expect(await nextSeq(org.communeA, 2026, 'SỔ-1'), 'the book was not even opened').to.equal(undefined);
    });

    it('refuses to number a case a second time in another unit or book', async () => {
      const f = await expectRefused({ caseCode: 'HS-A-0001', unitId: org.communeB, sealedAt: SEALED_2026 }, NUMBERING_FAILURES.caseNumberedElsewhere, /đã được cấp số chứng thực/);
      expect(f.message).to.match(/HS-A-0001/);
      await expectRefused({ caseCode: 'HS-A-0001', unitId: org.communeA, book: 'SCTĐT/HĐ', sealedAt: SEALED_2026 }, NUMBERING_FAILURES.caseNumberedElsewhere, /đơn vị hoặc sổ khác/);
    });
  });

  describe('who sealed, and the register', () => {
    it('records the sealing officer', async () => {
      const officer = await createTestOfficer(database.db, { username: 'dongdau', rights: ['CERT_SEAL'], unitIds: [org.communeA] });
      now = new Date('2026-11-25T03:00:00.000Z');
      const r = await assign({ caseCode: 'HS-SEAL-1', unitId: org.communeA, sealedAt: '2026-11-25T02:59:00Z', sealedBy: officer });
      expect(r).to.include({ seq: 541, number: '541/2026-SCTĐT/BS', assignedAt: '2026-11-25T03:00:00.000Z' });
      const rows: Array<{ assigned_by: string }> = await db.query('select assigned_by from certification_numbers where case_code = $1', ['HS-SEAL-1']);
      expect(rows[0].assigned_by).to.equal(officer);
    });

    it('lists the book page by page in issuing order, with the total issued', async () => {
      const page2 = await listRegister(db, { unitId: org.communeA, year: 2026, page: 2, pageSize: 100 });
      expect(page2).to.include({ unitId: org.communeA, year: 2026, book: 'SCTĐT/BS', template: '{seq}/{year}-SCTĐT/BS', total: 541, page: 2, pageSize: 100 });
      expect(page2.items.map((e) => e.seq)).to.deep.equal(range(100, 101));
      expect(page2.items[0]).to.have.all.keys('seq', 'number', 'caseCode', 'sealedAt', 'assignedAt', 'assignedBy');
      expect(page2.items[0].number).to.equal('101/2026-SCTĐT/BS');
      const last = await listRegister(db, { unitId: org.communeA, year: 2026, page: 6, pageSize: 100 });
      expect(last.items.map((e) => e.caseCode).slice(-1)).to.deep.equal(['HS-SEAL-1']);
      expect(last.items[last.items.length - 1].assignedBy).to.be.a('string');
      const empty = await listRegister(db, { unitId: org.communeB, year: 2031 });
      expect(empty).to.include({ total: 0, template: null });
      expect(empty.items).to.deep.equal([]);
    });

    it('refuses a bad register query', async () => {
      const err = await listRegister(db, { unitId: org.communeA, year: 26, pageSize: 10_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(DomainError);
      expect((err as DomainError).code).to.equal('INVALID_REGISTER_QUERY');
      expect((err as DomainError).messages.vi).to.match(/năm \(year\) phải có 4 chữ số/).and.match(/pageSize\) tối đa 500/);
    });
  });

  describe('the register cannot be rewritten', () => {
    it('refuses to change or delete an issued number, or to move a book back', async () => {
      const refused = async (sql: string) => {
        const err = await db.query(sql).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, sql).to.be.instanceOf(Error);
        return (err as Error).message;
      };
      expect(await refused("update certification_numbers set case_code = 'HS-OTHER' where case_code = 'HS-A-0001'")).to.match(/append-only/);
      expect(await refused("delete from certification_numbers where case_code = 'HS-A-0001'")).to.match(/append-only/);
      expect(await refused('update certification_books set next_seq = 1')).to.match(/only moves forward/);
      expect(await refused('delete from certification_books')).to.match(/never removed/);
      expect(await nextSeq(org.communeA, 2026)).to.equal(542);
    });
  });
});
