/**
 * The certification activities on their own, against PostgreSQL and a files directory: each is
 * safe to run twice (the way Temporal retries them), the projection never moves back, and
 * deadline notices go to the right officers once.
 */
import { verifyAuditChain } from '../../api/audit/auditLog';
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createCertificationActivities, type CaseProjection, type CertificationActivities } from '../../activities/certification';
import { sha256 } from '../../activities/certification/files';
import { LocalSmsSender, type SmsSender } from '../../infra/sms/smsSender';
import { CaseProjectionListener } from '../../infra/readModel/caseProjectionListener';
import { startCertificationServices, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { photographedPage, threePageScan } from '../support/pdfTools';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';
import type { CaseView } from '../../workflows/certification/types';

const NOW = new Date('2026-11-23T02:00:00.000Z');
const UNIT = (org: Org) => ({ id: org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' });
const OFFICER = (id: string) => ({ officerId: id, fullName: 'Vàng Thị Mai' });

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('certification activities', function () {
  this.timeout(60_000);
  let database: FreshDatabase;
  let org: Org;
  let filesDir: string;
  let acts: CertificationActivities;
  let sealer: string;
  let services: TestCertificationServices | undefined;
  const uploads = new Map<string, Buffer>();

  before(async () => {
    database = await freshDatabase();
    org = await seedTestOrg(database.db);
    filesDir = mkdtempSync(path.join(tmpdir(), 'chung-thuc-acts-'));
    acts = createCertificationActivities({
      db: database.db,
      filesDir,
      now: () => NOW,
      sms: new LocalSmsSender(database.db, () => NOW),
      scans: { read: async (fileId) => uploads.get(fileId) },
      ...(services = await startCertificationServices(database.db)),
    });
    sealer = await createTestOfficer(database.db, { username: 'dongdau.acts', rights: ['CERT_SEAL'], unitIds: [org.communeA] });
  });
  after(async () => {
    await services?.close();
    await database?.close();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  function projection(version: number, status: string): CaseProjection {
    return {
      caseCode: 'HS-ACT-1',
      unitId: org.communeA,
      status,
      step: 'receive',
      stepRight: 'CERT_CREATE',
      receivedBy: sealer,
      receivedAt: NOW.toISOString(),
      overallDueAt: '2026-11-23T10:00:00.000Z',
      stepStartedAt: NOW.toISOString(),
      stepWarnAt: null,
      stepDueAt: null,
      citizenName: 'Giàng A Páo',
      citizenId: '012090001234',
      complex: false,
      feeVnd: 5000,
      certificationNumber: null,
      breaches: 0,
      closedAt: null,
      updatedAt: NOW.toISOString(),
      version,
      view: {
        caseCode: 'HS-ACT-1',
        status: status as CaseView['status'],
        step: 'receive',
        unit: UNIT(org),
        citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12' },
        documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 2 }],
        fee: { lines: [], totalVnd: 5000 },
        complex: false,
        receivedAt: NOW.toISOString(),
        receivedBy: { officerId: sealer, fullName: 'Vàng Thị Mai' },
        overallDueAt: '2026-11-23T10:00:00.000Z',
        overallWarnAt: '2026-11-23T09:00:00.000Z',
        extensions: [],
        currentStep: null,
        steps: [{ step: 'receive', startedAt: NOW.toISOString() }],
        warnings: [],
        breaches: [],
        apologySlips: [],
        escalations: [],
        version,
      },
    };
  }

  it('keeps the newest projection whatever order the writes arrive in, and each event once', async () => {
    const event = { seq: 1, at: NOW.toISOString(), kind: 'received', actorId: sealer, data: { note: 'x' } };
    // Each write answers the deadlines of the view it was given: a local activity's marker keeps them for the auditors' timeline.
    const deadlines = (p: ReturnType<typeof projection>) => ({ currentStep: null, overallWarnAt: p.view.overallWarnAt, overallDueAt: p.view.overallDueAt });
    expect(await acts.projectCase({ projection: projection(2, 'signing'), events: [event] })).to.deep.equal({ applied: true, view: deadlines(projection(2, 'signing')) });
    expect(await acts.projectCase({ projection: projection(1, 'receiving'), events: [event] })).to.deep.equal({ applied: false, view: deadlines(projection(1, 'receiving')) });
    expect(await acts.projectCase({ projection: projection(2, 'signing'), events: [] })).to.deep.equal({ applied: false, view: deadlines(projection(2, 'signing')) });
    expect(await acts.recordCaseEvent({ caseCode: 'HS-ACT-1', event })).to.deep.equal({ recorded: false });
    const rows: Array<{ status: string; version: number }> = await database.db.query(`select status, version from certification_cases where case_code = 'HS-ACT-1'`);
    expect(rows).to.deep.equal([{ status: 'signing', version: 2 }]);
    // The supervision read model is written with the case row.
    expect(await database.db.query(`select copies from certification_cases where case_code = 'HS-ACT-1'`)).to.deep.equal([{ copies: 2 }]);
    expect(await database.db.query(`select idx, step from case_steps where case_code = 'HS-ACT-1'`)).to.deep.equal([{ idx: 0, step: 'receive' }]);
    expect(await database.db.query(`select count(*)::int as n from certification_case_events where case_code = 'HS-ACT-1'`)).to.deep.equal([{ n: 1 }]);
    const audited = await database.db.query(`select action, target, unit_id as "unitId", actor_id as "actorId" from audit_log where target = 'case:HS-ACT-1'`);
    expect(audited).to.deep.equal([{ action: 'case.event.received', target: 'case:HS-ACT-1', unitId: org.communeA, actorId: sealer }]);
    expect((await verifyAuditChain(database.db)).ok).to.equal(true);
  });

  it('warns the step right holders and tells supervisors of a breach once, however often it runs', async () => {
    const db = database.db;
    const receiver = await createTestOfficer(db, { username: 'tiepnhan.acts', fullName: 'Lò Thị Hoa', rights: ['CERT_CREATE'], unitIds: [org.communeA] });
    await createTestOfficer(db, { username: 'tiepnhan.b.acts', rights: ['CERT_CREATE'], unitIds: [org.communeB] });
    const boss = await createTestOfficer(db, { username: 'giamsat.acts', fullName: 'Nguyễn Văn Giám', rights: ['CASE_SUPERVISE'], unitIds: [org.province], phone: '0912000301' });
    await createTestOfficer(db, { username: 'giamsat.off.acts', rights: ['CASE_SUPERVISE'], unitIds: [org.communeA], phone: '0912000302', status: 'inactive' });
    const base = { caseCode: 'HS-ACT-2', unit: UNIT(org), scope: 'step' as const, step: 'receive' as const, stepRight: 'CERT_CREATE' as const, at: NOW.toISOString(), dueAt: NOW.toISOString(), firedAt: NOW.toISOString(), citizenName: 'Giàng A Páo' };

    const warning = await acts.notifyDeadline({ ...base, eventSeq: 3, kind: 'warning' });
    expect(warning.notified).to.deep.equal([{ officerId: receiver, fullName: 'Lò Thị Hoa' }]);
    const breach = await acts.notifyDeadline({ ...base, eventSeq: 4, kind: 'breach' });
    expect(breach.notified).to.deep.equal([{ officerId: boss, fullName: 'Nguyễn Văn Giám' }]);
    expect(await acts.notifyDeadline({ ...base, eventSeq: 4, kind: 'breach' })).to.deep.equal(breach);
    const sms: Array<{ to_phone: string; body: string }> = await db.query(`select to_phone, body from sms_outbox where purpose = 'case_deadline'`);
    expect(sms).to.deep.equal([{ to_phone: '0912000301', body: '[UBND xã Nùng Năng] Hồ sơ chứng thực HS-ACT-2 (Giàng A Páo) quá hạn bước tiếp nhận, trình ký (bước 2).' }]);
  });

  it('sends a breach SMS once to each supervisor when the notice runs again after a failed send, and a refusal SMS once when its notice runs again', async () => {
    const db = database.db;
    await createTestOfficer(db, { username: 'giamsat.c1.acts', rights: ['CASE_SUPERVISE'], unitIds: [org.communeB], phone: '0912000311' });
    await createTestOfficer(db, { username: 'giamsat.c2.acts', rights: ['CASE_SUPERVISE'], unitIds: [org.communeB], phone: '0912000312' });
    const local = new LocalSmsSender(db, () => NOW);
    // The gateway refuses the second message once: the first supervisor's SMS went out, the activity fails and is retried.
    let calls = 0;
    const flaky: SmsSender = {
      provider: local.provider,
      send: async (...args) => {
        if (++calls === 2) throw new Error('SMS gateway unreachable');
        return local.send(...args);
      },
    };
    const retried = createCertificationActivities({ db, filesDir, now: () => NOW, sms: flaky, scans: { read: async (fileId) => uploads.get(fileId) }, ...services! });
    const unitB = { id: org.communeB, code: '000.15.43.H36', name: 'UBND xã B' };
    const breach = { caseCode: 'HS-ACT-SMS', unit: unitB, eventSeq: 5, kind: 'breach' as const, scope: 'overall' as const, step: 'sign' as const, stepRight: 'CERT_SIGN' as const, at: NOW.toISOString(), dueAt: NOW.toISOString(), firedAt: NOW.toISOString(), citizenName: 'Giàng A Páo' };
    const failed = await retried.notifyDeadline(breach).then(() => undefined, (e: unknown) => e);
    expect(failed).to.be.instanceOf(Error);
    // The commune's two supervisors and the province's (an earlier test's).
    expect((await retried.notifyDeadline(breach)).notified).to.have.length(3);
    const deadlineSms: Array<{ to_phone: string; n: number }> = await db.query(
      `select to_phone, count(*)::int as n from sms_outbox where purpose = 'case_deadline' and body like '%HS-ACT-SMS%' group by 1 order by 1`,
    );
    expect(deadlineSms).to.deep.equal([
      { to_phone: '0912000301', n: 1 },
      { to_phone: '0912000311', n: 1 },
      { to_phone: '0912000312', n: 1 },
    ]);

    // A refusal notice whose run died after the SMS, before its event was recorded, runs again.
    const refusal = {
      caseCode: 'HS-ACT-SMS',
      unit: unitB,
      citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12', phone: '0912000399' },
      ground: 'DAMAGED' as const,
      note: 'Bản chính rách, mất chữ',
      refusedBy: OFFICER(sealer),
      refusedAt: NOW.toISOString(),
      eventSeq: 6,
    };
    expect((await acts.issueRefusalNotice(refusal)).smsSent).to.equal(true);
    await db.query(`delete from certification_case_events where case_code = 'HS-ACT-SMS' and seq = 6`);
    expect((await acts.issueRefusalNotice(refusal)).smsSent).to.equal(true);
    expect(await db.query(`select count(*)::int as n from sms_outbox where purpose = 'case_refused' and to_phone = '0912000399'`)).to.deep.equal([{ n: 1 }]);
  });

  it('notifies the API when a projection moves the case row, and only then; the listener listens again after losing its connection', async () => {
    const listener = await CaseProjectionListener.start(database.url, () => undefined);
    try {
      expect(listener.listening).to.equal(true);
      const write = (version: number) => acts.projectCase({ projection: { ...projection(version, 'signing'), caseCode: 'HS-ACT-N', view: { ...projection(version, 'signing').view, caseCode: 'HS-ACT-N' } }, events: [] });
      const mine = listener.next('HS-ACT-N', 60_000);
      const other = listener.next('HS-ACT-OTHER', 60_000);
      await write(3);
      expect(await mine.done).to.equal('projected');
      // An older version does not move the row: no notice, the wait runs to its end.
      const stale = listener.next('HS-ACT-N', 300);
      await write(2);
      expect(await stale.done).to.equal('timed-out');
      other.cancel();
      expect(await other.done).to.equal('cancelled');

      const killed = await database.db.query(`select pg_terminate_backend(pid) as done from pg_stat_activity where datname = current_database() and query ilike 'listen case_projected%'`);
      expect(killed).to.deep.equal([{ done: true }]);
      while (listener.listening) await new Promise((resolve) => setTimeout(resolve, 20));
      while (!listener.listening) await new Promise((resolve) => setTimeout(resolve, 50));
      const again = listener.next('HS-ACT-N', 60_000);
      await write(4);
      expect(await again.done).to.equal('projected');
    } finally {
      await listener.close();
    }
  });

  it('checks a scan by its content, and a signed copy changed on disk is not sealed and takes no number', async () => {
    const jpeg = await photographedPage(300, 400);
    uploads.set('anh-chup', jpeg);
    uploads.set('van-ban', Buffer.from('giấy tờ đánh máy'));
    const asPdf = { fileId: 'anh-chup', sha256: sha256(jpeg), mimeType: 'application/pdf' as const, bytes: jpeg.length };
    expect((await failureOf(acts.verifyScan({ caseCode: 'HS-ACT-3', scan: asPdf, copyNo: 1 }))).type).to.equal('SCAN_MISMATCH');
    expect((await failureOf(acts.verifyScan({ caseCode: 'HS-ACT-3', scan: { ...asPdf, fileId: 'van-ban' }, copyNo: 1 }))).type).to.equal('SCAN_UNSUPPORTED_TYPE');
    expect((await failureOf(acts.verifyScan({ caseCode: 'HS-ACT-3', scan: { ...asPdf, fileId: 'khong-co' }, copyNo: 1 }))).type).to.equal('SCAN_NOT_FOUND');
    const stored = await acts.verifyScan({ caseCode: 'HS-ACT-3', scan: { ...asPdf, mimeType: 'image/jpeg' }, copyNo: 1, part: 2 });
    expect(stored).to.deep.equal({ path: path.join('cases', 'HS-ACT-3', 'ban-quet-1-2.jpg'), sha256: sha256(jpeg), bytes: jpeg.length, mimeType: 'image/jpeg', pages: 1 });
    // A PDF's pages are counted as the copy will read them; one that cannot be read is refused at once, not at the signature.
    const threePages = Buffer.from(await threePageScan());
    uploads.set('ba-trang', threePages);
    const pdfPart = { fileId: 'ba-trang', sha256: sha256(threePages), mimeType: 'application/pdf' as const, bytes: threePages.length };
    expect(await acts.verifyScan({ caseCode: 'HS-ACT-3', scan: pdfPart, copyNo: 1, part: 3 })).to.include({ pages: 3 });
    const hollow = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
    uploads.set('rong', hollow);
    const unreadable = await failureOf(acts.verifyScan({ caseCode: 'HS-ACT-3', scan: { fileId: 'rong', sha256: sha256(hollow), mimeType: 'application/pdf', bytes: hollow.length }, copyNo: 1 }));
    expect(unreadable.type).to.equal('SCAN_UNREADABLE');
    expect(unreadable.message).to.contain('Không đọc được phần 1 của bản quét');

    const signed = await acts.signCopy({
      caseCode: 'HS-ACT-3',
      unit: UNIT(org),
      parts: [stored],
      documents: [{ type: 'Bằng tốt nghiệp', issuer: 'Trường THPT Tam Đường', pages: 1, copies: 1 }],
      signer: OFFICER(sealer),
      signedAt: NOW.toISOString(),
      copyNo: 1,
    });
    writeFileSync(path.join(filesDir, signed.path), Buffer.from('%PDF-1.7 changed'));
    const input = { caseCode: 'HS-ACT-3', unit: UNIT(org), numbering: {}, sealedAt: NOW.toISOString(), sealer: OFFICER(sealer), signed };
    expect((await failureOf(acts.sealAndNumber(input))).type).to.equal('SCAN_MISMATCH');
    expect(await database.db.query('select case_code from certification_numbers')).to.deep.equal([]);
  });
});
