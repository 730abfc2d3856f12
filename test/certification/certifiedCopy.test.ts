/**
 * The certified copy citizens receive (seed 000 steps 3–4), produced by the real activities
 * against PostgreSQL: rendered from the scan, signed by the leader, numbered and sealed in an
 * incremental update. An outside verifier (poppler's pdfsig) must accept both signatures; the text
 * must come out of the PDF with its diacritics; one altered byte must break both signatures for
 * pdfsig and for our own verification; and the e-mail to the citizen must go out exactly once.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCertificationActivities, type CertificationActivities, type DeliverResultInput } from '../../activities/certification';
import { sha256 } from '../../activities/certification/files';
import { checkSignatures, verifyUpload } from '../../api/verify/verification';
import { getMessage, listMessages, messageAttachment } from '../../infra/mail/mailbox';
import type { OfficerRef, OriginalDocument, ScanMimeType } from '../../workflows/certification/types';
import { startCertificationServices, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';
import { pageCount, pdfsig, pdfText, photographedPage, saveTemp, threePageScan } from '../support/pdfTools';

const DOCUMENTS: OriginalDocument[] = [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 1 }];

describe('the certified copy: PDF, leader’s signature, commune seal, e-mail', function () {
  this.timeout(120_000);
  let database: FreshDatabase;
  let services: TestCertificationServices;
  let org: Org;
  let filesDir: string;
  let acts: CertificationActivities;
  const uploads = new Map<string, Buffer>();
  const people = { receiver: '', leader: '', sealer: '' };
  let caseNo = 0;
  // Taken when the file's tests start, not when the suite loads it: the leader's certificate, issued
  // at the first signature, must already be valid at the signing time.
  let signedAt: Date;
  let sealedAt: Date;

  before(async () => {
    signedAt = new Date();
    sealedAt = new Date(signedAt.getTime() + 20 * 60_000);
    database = await freshDatabase();
    org = await seedTestOrg(database.db);
    filesDir = mkdtempSync(path.join(tmpdir(), 'chung-thuc-copy-'));
    services = await startCertificationServices(database.db);
    acts = createCertificationActivities({ db: database.db, filesDir, now: () => new Date(), scans: { read: async (id) => uploads.get(id) }, ...services });
    people.receiver = await createTestOfficer(database.db, { username: 'tiepnhan.copy', fullName: 'Lò Thị Hoa', rights: ['CERT_CREATE'], unitIds: [org.communeA] });
    people.leader = await createTestOfficer(database.db, { username: 'lanhdao.copy', fullName: 'Tẩn Văn Sơn', rights: ['CERT_SIGN'], unitIds: [org.communeA] });
    people.sealer = await createTestOfficer(database.db, { username: 'dongdau.copy', fullName: 'Vàng Thị Mai', rights: ['CERT_SEAL'], unitIds: [org.communeA] });
    await database.db.query(`update officers set job_title = 'Phó Chủ tịch UBND xã' where id = $1`, [people.leader]);
  });
  after(async () => {
    await services?.close();
    await database?.close();
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  const unit = () => ({ id: org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' });
  const officer = (id: string, fullName: string) => ({ officerId: id, fullName });

  /** Steps 2–4 through the activities: store the scan files, sign, number and seal. */
  async function certify(files: Array<{ bytes: Uint8Array; mimeType: ScanMimeType }>) {
    const caseCode = `HS-COPY-${++caseNo}`;
    const parts = [];
    for (const [i, f] of files.entries()) {
      const fileId = `${caseCode}-${i}`;
      uploads.set(fileId, Buffer.from(f.bytes));
      const ref = { fileId, sha256: sha256(Buffer.from(f.bytes)), mimeType: f.mimeType, bytes: f.bytes.length };
      parts.push(await acts.verifyScan({ caseCode, scan: ref, copyNo: 1, part: i + 1 }));
    }
    const signed = await acts.signCopy({
      caseCode,
      unit: unit(),
      parts,
      documents: DOCUMENTS,
      signer: officer(people.leader, 'Tẩn Văn Sơn'),
      signedAt: signedAt.toISOString(),
      copyNo: 1,
    });
    const sealInput = { caseCode, unit: unit(), numbering: {}, sealedAt: sealedAt.toISOString(), sealer: officer(people.sealer, 'Vàng Thị Mai'), signed };
    const sealed = await acts.sealAndNumber(sealInput);
    return { caseCode, signed, sealed, sealInput, copy: readFileSync(path.join(filesDir, sealed.path)) };
  }

  /** What the workflow hands to delivery for a certified case: its officers, and Giàng A Páo with `email` when given. */
  function deliveryInput(caseCode: string, sealed: { certificationNumber: string; path: string; sha256: string }, o: { email?: string; sealer?: OfficerRef } = {}): DeliverResultInput {
    return {
      caseCode,
      unit: unit(),
      certificationNumber: sealed.certificationNumber,
      resultPath: sealed.path,
      resultSha256: sealed.sha256,
      citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12', ...(o.email ? { email: o.email } : {}) },
      receivedBy: officer(people.receiver, 'Lò Thị Hoa'),
      signer: officer(people.leader, 'Tẩn Văn Sơn'),
      sealer: o.sealer ?? officer(people.sealer, 'Vàng Thị Mai'),
      deliveredAt: sealedAt.toISOString(),
    };
  }

  async function expectTwoValidSignatures(copy: Buffer) {
    const report = await pdfsig(copy);
    expect(report.map((s) => s.commonName)).to.deep.equal(['Tẩn Văn Sơn', 'UBND xã Nùng Năng']);
    expect(report.map((s) => s.validation)).to.deep.equal(['Signature is Valid.', 'Signature is Valid.']);
    const ours = await checkSignatures(services.pki, copy);
    expect(ours.map((s) => [s.role, s.signer, s.intact, s.trusted])).to.deep.equal([
      ['leader', 'Tẩn Văn Sơn', true, true],
      ['seal', 'UBND xã Nùng Năng', true, true],
    ]);
    expect(ours[1].coversWholeDocument).to.equal(true);
  }

  function expectCertificationText(copy: Buffer, certificationNumber: string, lastPage: number) {
    const file = saveTemp(copy, 'certified');
    expect(pageCount(file)).to.equal(lastPage);
    const text = pdfText(file, lastPage).replace(/\s+/g, ' ');
    expect(text).to.match(/chứng thực bản sao đúng với bản chính/i);
    expect(text).to.include('Nùng Năng, ngày').and.include('Tẩn Văn Sơn').and.include('Phó Chủ tịch UBND xã');
    const [seq, book] = certificationNumber.split('/', 2);
    expect(text).to.include(`Số chứng thực: ${seq}`).and.include(`Quyển số: ${certificationNumber.slice(seq.length + 1)}`);
    expect(book).to.equal('2026-SCTĐT');
  }

  it('from a 3-page PDF scan: 4 pages, the certification text with diacritics and the number, two signatures pdfsig accepts', async () => {
    const { copy, sealed } = await certify([{ bytes: await threePageScan(), mimeType: 'application/pdf' }]);
    expect(sealed.certificationNumber).to.equal('1/2026-SCTĐT/BS');
    expectCertificationText(copy, sealed.certificationNumber, 4);
    await expectTwoValidSignatures(copy);
  });

  it('from two JPEG pages: 3 pages, the same text and two valid signatures', async () => {
    const { copy, sealed } = await certify([
      { bytes: await photographedPage(400, 560), mimeType: 'image/jpeg' },
      { bytes: await photographedPage(560, 400), mimeType: 'image/jpeg' },
    ]);
    expect(sealed.certificationNumber).to.equal('2/2026-SCTĐT/BS');
    expectCertificationText(copy, sealed.certificationNumber, 3);
    await expectTwoValidSignatures(copy);
  });

  it('altering one byte makes both pdfsig and our verification say invalid, and the register no longer matches', async () => {
    const { copy } = await certify([{ bytes: await threePageScan(), mimeType: 'application/pdf' }]);
    const registered = await verifyUpload({ db: database.db, pki: services.pki, filesDir }, copy, sha256(copy));
    // The projection is written by the workflow; here there is none, so only the signatures speak.
    expect(registered.signatures.every((s) => s.intact && s.trusted)).to.equal(true);

    const altered = Buffer.from(copy);
    // A byte inside the first stream (a page of the scan): in the range both signatures cover.
    const at = altered.indexOf('stream\n') + 40;
    expect(at).to.be.greaterThan(40).and.lessThan(altered.indexOf('/ByteRange'));
    altered[at] ^= 0x01;
    const report = await pdfsig(altered);
    expect(report).to.have.length(2);
    for (const s of report) expect(s.validation).to.not.equal('Signature is Valid.');
    const ours = await checkSignatures(services.pki, altered);
    expect(ours.map((s) => s.intact)).to.deep.equal([false, false]);
    const upload = await verifyUpload({ db: database.db, pki: services.pki, filesDir }, altered, sha256(altered));
    expect(upload).to.include({ status: 'invalid', matchesRegister: false });
  });

  it('numbers and seals once however often sealing runs: the same number and the very same bytes', async () => {
    const first = await certify([{ bytes: await threePageScan(), mimeType: 'application/pdf' }]);
    const again = await acts.sealAndNumber(first.sealInput);
    expect(again).to.deep.equal(first.sealed);
    expect(sha256(readFileSync(path.join(filesDir, again.path)))).to.equal(sha256(first.copy));
    const numbers: unknown[] = await database.db.query('select 1 from certification_numbers where case_code = $1', [first.caseCode]);
    expect(numbers).to.have.length(1);
  });

  it('e-mails the copy to the citizen through SMTP once, however often delivery runs, and files it in the document lists', async () => {
    const { caseCode, sealed, copy } = await certify([{ bytes: await threePageScan(), mimeType: 'application/pdf' }]);
    const input = deliveryInput(caseCode, sealed, { email: 'pao@example.vn' });
    const delivered = await acts.deliverResult(input);
    expect(await acts.deliverResult(input)).to.deep.equal(delivered);
    const first = await acts.emailResult(input);
    const second = await acts.emailResult(input);
    expect(first.status).to.equal('sent');
    expect(second).to.deep.equal({ ...first, status: 'already_sent' });

    const inbox = await listMessages(database.db, { to: 'pao@example.vn' });
    expect(inbox.total).to.equal(1);
    const message = await getMessage(database.db, inbox.items[0].id);
    expect(message!.subject).to.equal(`[UBND xã Nùng Năng] Bản sao chứng thực điện tử số ${sealed.certificationNumber}`);
    expect(message!.text).to.include('Kính gửi Ông/Bà Giàng A Páo');
    const attachment = await messageAttachment(database.db, inbox.items[0].id, 0);
    expect(attachment!.contentType).to.equal('application/pdf');
    expect(sha256(attachment!.content)).to.equal(sha256(copy));

    const lists: Array<{ holder_kind: string; holder_id: string; role: string }> = await database.db.query(
      `select holder_kind, holder_id, role from case_documents where case_code = $1 and kind = 'certified_copy' order by holder_kind, role`,
      [caseCode],
    );
    expect(lists).to.deep.equal([
      { holder_kind: 'case', holder_id: caseCode, role: 'register' },
      { holder_kind: 'citizen', holder_id: '012090001234', role: 'citizen' },
      { holder_kind: 'officer', holder_id: people.receiver, role: 'receiver' },
      { holder_kind: 'officer', holder_id: people.sealer, role: 'sealer' },
      { holder_kind: 'officer', holder_id: people.leader, role: 'signer' },
    ]);
    const notices: Array<{ id_number: string; title: string }> = await database.db.query(`select id_number, title from citizen_notifications where dedupe_key = $1`, [`case:${caseCode}:delivered`]);
    expect(notices).to.deep.equal([{ id_number: '012090001234', title: `Đã có bản sao chứng thực số ${sealed.certificationNumber}` }]);
  });

  it('files the copy once for an officer who both received and sealed the case, in the first role', async () => {
    const { caseCode, sealed } = await certify([{ bytes: await threePageScan(), mimeType: 'application/pdf' }]);
    const input = deliveryInput(caseCode, sealed, { sealer: officer(people.receiver, 'Lò Thị Hoa') });
    await acts.deliverResult(input);
    await acts.deliverResult(input);
    const lists: Array<{ holder_kind: string; holder_id: string; role: string }> = await database.db.query(
      `select holder_kind, holder_id, role from case_documents where case_code = $1 and kind = 'certified_copy' and holder_kind <> 'case' order by holder_kind, role`,
      [caseCode],
    );
    expect(lists).to.deep.equal([
      { holder_kind: 'citizen', holder_id: '012090001234', role: 'citizen' },
      { holder_kind: 'officer', holder_id: people.receiver, role: 'receiver' },
      { holder_kind: 'officer', holder_id: people.leader, role: 'signer' },
    ]);
  });
});
