/**
 * The office's stumbling blocks on the case screen, in a real browser: a double click on any
 * action button acts once (and never reaches the button that was beside it), the complex flag is
 * asked for with its reason and brings the overall deadline along, a scan whose pages differ from
 * the originals declared stops the submission until the declaration or the scan is corrected, and
 * a case past its deadline shows the apology slip the citizen was told of.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { formatLocalDateTime } from '../../domain/calendar';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { CERTIFICATION_WORKFLOW_TYPE, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CaseView, CertificationInput } from '../../workflows/certification/types';
import { requireTimeSkipping, testEnv } from '../engine/harness';
import { call, pdfBytes, receptionBody, uploadFile, type CaseApp } from '../support/caseApp';
import { pdfText, saveTemp } from '../support/pdfTools';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

/** "17:00 25/11/2026", as the screens write an instant. */
function shown(iso: string): string {
  const [date, time] = formatLocalDateTime(Date.parse(iso)).split(' ');
  const [y, m, d] = date!.split('-');
  return `${time} ${d}/${m}/${y}`;
}

describe('web UI: case actions act once, scans match the originals, complex and late cases (real browser)', function () {
  this.timeout(240_000);
  let office: WebOffice;
  let app: CaseApp;
  let serial = 0;

  before(async () => {
    office = await startWebOffice('act');
    app = office.app;
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('leader', 'Lò Văn Hùng', ['CERT_SIGN'], [app.org.communeA]);
    await office.officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [app.org.communeA]);
  });
  after(async () => office?.close());

  /** A case received through the API, with a scan matching `documents` unless told otherwise. */
  async function received(overrides: Record<string, unknown> = {}, scanPages = 3): Promise<CaseView> {
    const scanFileId = await uploadFile(app, office.tokens.receiver, pdfBytes(`act-${process.pid}-${++serial}`, scanPages));
    const res = await call<CaseView>(app, 'POST', '/api/cases', { token: office.tokens.receiver, body: receptionBody(app.org.deskA, { scanFileId, ...overrides }) });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }

  async function viewOf(code: string): Promise<CaseView> {
    const res = await call<CaseView>(app, 'GET', `/api/cases/${code}`, { token: office.tokens.receiver });
    return res.body;
  }

  /** How many times an action on the case succeeded, by the audit trail. */
  async function done(code: string, action: string): Promise<number> {
    const rows: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from audit_log where target = $1 and action = $2 and outcome = 'success'`, [
      `case:${code}`,
      `case.${action}`,
    ]);
    return rows[0]!.n;
  }

  async function open(page: Page, code: string): Promise<void> {
    const target = `/#/cases/${encodeURIComponent(code)}`;
    // The same address again does not load the case again: the page is reloaded instead.
    if (page.url().endsWith(target)) await page.reload();
    else await page.goto(target);
    await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
  }

  const status = (page: Page, text: string) => page.getByTestId('case-status').filter({ hasText: text }).waitFor();

  it('acts once on a double click at reception, asks before marking the case complex, and brings its deadline along', async () => {
    const v = await received();
    const code = v.caseCode;
    const page = await office.pageAs('receiver');
    await open(page, code);

    // The complex flag is only asked for: the button opens a dialog, and a double click opens it once.
    await page.getByRole('button', { name: 'Đánh dấu hồ sơ phức tạp…' }).dblclick();
    const dialog = page.getByRole('dialog', { name: 'Đánh dấu hồ sơ phức tạp, số lượng lớn' });
    await dialog.waitFor();
    expect(await done(code, 'complex')).to.equal(0);
    const proposal = dialog.getByTestId('complex-proposal').locator('strong');
    await proposal.filter({ hasText: 'Gia hạn' }).waitFor();
    const proposed = /hạn trả kết quả mới (\d\d:\d\d \d\d\/\d\d\/\d{4})/.exec((await proposal.textContent())!)![1];
    await dialog.getByRole('button', { name: 'Xác nhận hồ sơ phức tạp' }).click();
    await dialog.locator('.field-error').filter({ hasText: 'ít nhất 5 ký tự' }).waitFor();
    await dialog.getByLabel('Lý do hồ sơ phức tạp').fill('Sổ hộ khẩu nhiều trang cần đối chiếu');
    await screenshot(page, 'thao-tac-01-ho-so-phuc-tap');
    await dialog.getByRole('button', { name: 'Xác nhận hồ sơ phức tạp' }).dblclick();
    await dialog.waitFor({ state: 'detached' });
    expect(await done(code, 'complex')).to.equal(1);
    const complex = await viewOf(code);
    expect(complex.complex).to.equal(true);
    // What the dialog proposed is what the case got.
    expect(shown(complex.overallDueAt)).to.equal(proposed);
    await page.getByTestId('overall-due').filter({ hasText: proposed }).waitFor();
    await page.getByText('Đánh dấu hồ sơ phức tạp (tiếp nhận 16 giờ) — Trần Ngọc Lan: Sổ hộ khẩu nhiều trang cần đối chiếu').waitFor();

    // Another scan: attached once.
    await page.getByLabel('Đính kèm bản quét khác (thay bản trước)').setInputFiles({ name: 'ban-quet-2.pdf', mimeType: 'application/pdf', buffer: pdfBytes(`act-again-${process.pid}`) });
    await page.getByTestId('upload-done').waitFor();
    await page.getByRole('button', { name: 'Lưu bản quét vào hồ sơ' }).dblclick();
    // Once attached, the uploader starts afresh.
    await page.getByTestId('upload-done').waitFor({ state: 'detached' });
    expect(await done(code, 'scan')).to.equal(1);

    // The walkthrough's slip: the second click of "Trình lãnh đạo ký" landed on the complex button.
    await page.getByRole('button', { name: 'Trình lãnh đạo ký' }).dblclick();
    await status(page, 'Chờ lãnh đạo ký');
    expect(await done(code, 'submit')).to.equal(1);
    expect(await done(code, 'complex')).to.equal(1);
    expect(await page.getByRole('dialog').count()).to.equal(0);
    await screenshot(page, 'thao-tac-02-trinh-ky-mot-lan');
  });

  it("signs once on the leader's double click and opens no return dialog; seals once on the sealer's", async () => {
    const v = await received();
    const submitted = await call(app, 'POST', `/api/cases/${v.caseCode}/submit`, { token: office.tokens.receiver, body: {} });
    expect(submitted.status).to.equal(200);
    const leader = await office.pageAs('leader');
    await open(leader, v.caseCode);
    await leader.getByRole('button', { name: 'Ký số bản sao' }).dblclick();
    await status(leader, 'Chờ cấp số, đóng dấu');
    expect(await done(v.caseCode, 'sign')).to.equal(1);
    expect(await leader.getByRole('dialog', { name: 'Trả lại cán bộ tiếp nhận' }).count()).to.equal(0);
    expect(await done(v.caseCode, 'return')).to.equal(0);

    const sealer = await office.pageAs('sealer');
    await open(sealer, v.caseCode);
    await sealer.getByRole('button', { name: 'Cấp số và đóng dấu' }).dblclick();
    await sealer.getByTestId('certification-number').waitFor();
    expect(await done(v.caseCode, 'seal')).to.equal(1);
    const numbers: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from certification_numbers where case_code = $1', [v.caseCode]);
    expect(numbers[0]!.n).to.equal(1);
  });

  it("confirms each dialog's action once on a double click: extension, return, refusal, withdrawal", async () => {
    const page = await office.pageAs('receiver');
    const first = await received();
    await open(page, first.caseCode);
    await page.getByRole('button', { name: 'Gia hạn…' }).click();
    const extend = page.getByRole('dialog', { name: 'Gia hạn thời hạn trả kết quả' });
    await extend.getByLabel('Lý do gia hạn').fill('Cần xác minh cơ quan cấp');
    await extend.getByRole('button', { name: 'Gia hạn', exact: true }).dblclick();
    await extend.waitFor({ state: 'detached' });
    await page.getByTestId('overall-due').filter({ hasText: '(đã gia hạn 1 ngày)' }).waitFor();
    expect(await done(first.caseCode, 'extend')).to.equal(1);

    await page.getByRole('button', { name: 'Trình lãnh đạo ký' }).click();
    await status(page, 'Chờ lãnh đạo ký');
    const leader = await office.pageAs('leader');
    await open(leader, first.caseCode);
    await leader.getByRole('button', { name: 'Trả lại cán bộ tiếp nhận…' }).click();
    const back = leader.getByRole('dialog', { name: 'Trả lại cán bộ tiếp nhận' });
    await back.getByLabel('Lý do trả lại').fill('Bản quét thiếu trang cuối');
    await back.getByRole('button', { name: 'Trả lại hồ sơ' }).dblclick();
    await back.waitFor({ state: 'detached' });
    await status(leader, 'Đang tiếp nhận');
    expect(await done(first.caseCode, 'return')).to.equal(1);

    await open(page, first.caseCode);
    await page.getByRole('button', { name: 'Từ chối chứng thực…' }).click();
    const refuse = page.getByRole('dialog', { name: 'Từ chối chứng thực' });
    await refuse.getByRole('button', { name: 'Xác nhận từ chối' }).click();
    // The stale "choose a ground" goes as soon as a ground is chosen.
    await refuse.locator('.field-error').filter({ hasText: 'Chọn một căn cứ từ chối.' }).waitFor();
    await refuse.getByLabel('Căn cứ từ chối').selectOption('DAMAGED');
    expect(await refuse.locator('.field-error').filter({ hasText: 'Chọn một căn cứ từ chối.' }).count()).to.equal(0);
    await refuse.getByLabel('Ghi chú cho công dân').fill('Bản chính rách, không đọc được số hiệu');
    await refuse.getByRole('button', { name: 'Xác nhận từ chối' }).dblclick();
    await status(page, 'Đã từ chối');
    expect(await done(first.caseCode, 'refuse')).to.equal(1);

    const second = await received();
    await open(page, second.caseCode);
    await page.getByRole('button', { name: 'Công dân rút hồ sơ…' }).click();
    const withdraw = page.getByRole('dialog', { name: 'Công dân rút hồ sơ' });
    await withdraw.getByLabel('Lý do rút hồ sơ').fill('Công dân không cần bản sao nữa');
    await withdraw.getByRole('button', { name: 'Xác nhận rút hồ sơ' }).dblclick();
    await status(page, 'Công dân đã rút');
    expect(await done(second.caseCode, 'withdraw')).to.equal(1);
  });

  it('stops the submission while the scan’s pages differ from the originals declared; the officer splits the scan per original and corrects the declaration', async () => {
    // The walkthrough's case: a 250-page household book and a 3-page birth certificate, with a 3-page scan.
    const documents = [
      { type: 'Sổ hộ khẩu', issuer: 'Công an huyện Tam Đường', pages: 250, copies: 1 },
      { type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 1 },
    ];
    const v = await received({ documents }, 3);
    const page = await office.pageAs('receiver');
    await open(page, v.caseCode);
    const mismatch = page.getByTestId('page-mismatch');
    await mismatch.waitFor();
    expect(await mismatch.textContent()).to.equal(
      'Số trang bản quét không khớp với bản chính đã khai: bản quét có 3 trang nhưng các bản chính khai tổng cộng 253 trang. Hãy sửa số trang đã khai hoặc đính kèm bản quét đủ trang trước khi trình ký.',
    );
    expect(await page.getByRole('button', { name: 'Trình lãnh đạo ký' }).isDisabled()).to.equal(true);
    expect(await page.getByTestId('case-fee').textContent()).to.equal('205.000 đ');
    await screenshot(page, 'thao-tac-03-so-trang-khong-khop');

    // A scan for each original: the book's 250 pages, and the certificate's 2.
    await page.getByLabel('Bản quét riêng cho từng bản chính').check();
    await page.getByLabel('Bản quét bản chính 1: Sổ hộ khẩu (250 trang)').setInputFiles({ name: 'so-ho-khau.pdf', mimeType: 'application/pdf', buffer: pdfBytes(`so-ho-khau-${process.pid}`, 250) });
    await page.getByLabel('Bản quét bản chính 2: Giấy khai sinh (3 trang)').setInputFiles({ name: 'khai-sinh.pdf', mimeType: 'application/pdf', buffer: pdfBytes(`khai-sinh-${process.pid}`, 2) });
    await page.getByTestId('upload-done').nth(1).waitFor();
    await page.getByRole('button', { name: 'Lưu bản quét vào hồ sơ' }).click();
    await mismatch.filter({ hasText: 'bản chính 2 (Giấy khai sinh) khai 3 trang, bản quét của nó có 2 trang' }).waitFor();

    // The certificate has 2 pages: the declaration is corrected, the fee follows, the history keeps both.
    await page.getByRole('button', { name: 'Sửa bản chính đã khai…' }).click();
    const correct = page.getByRole('dialog', { name: 'Sửa bản chính đã khai' });
    await correct.getByLabel('Số trang — bản chính 2').fill('2');
    await correct.getByText('sau khi sửa 204.000 đ').waitFor();
    await correct.getByLabel('Lý do sửa').fill('Giấy khai sinh chỉ có 2 trang, khai nhầm');
    await screenshot(page, 'thao-tac-04-sua-ban-chinh');
    await correct.getByRole('button', { name: 'Lưu thay đổi' }).dblclick();
    await correct.waitFor({ state: 'detached' });
    expect(await done(v.caseCode, 'originals')).to.equal(1);
    await page.getByTestId('pages-match').filter({ hasText: 'Bản quét 252 trang, khớp với bản chính đã khai.' }).waitFor();
    await page.getByTestId('case-fee').filter({ hasText: '204.000 đ' }).waitFor();
    await page.getByText('Sửa bản chính đã khai — Trần Ngọc Lan: Giấy khai sinh chỉ có 2 trang, khai nhầm').waitFor();
    await page.getByRole('button', { name: 'Trình lãnh đạo ký' }).click();
    await status(page, 'Chờ lãnh đạo ký');
    await screenshot(page, 'thao-tac-05-da-sua-va-trinh-ky');
  });

  it('shows a case past its deadline with the apology slip to print and the new appointment the citizen was told', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const code = `HS-WEB-XINLOI-${process.pid}`;
    // Received Monday 23/11/2026 09:00 on the case clock; nobody acts, so 17:00 passes.
    const input: CertificationInput = {
      caseCode: code,
      unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      calendar: await loadUnitCalendar(app.ctx.db, app.org.communeA),
      receivedBy: { officerId: office.ids.receiver, fullName: 'Trần Ngọc Lan' },
      citizen: { fullName: 'Lù Văn Sáng', citizenId: '012090001239', birthDate: '1990-08-08', phone: '0987000111', email: 'sang@example.vn' },
      documents: [{ type: 'Bằng tốt nghiệp', issuer: 'Trường THPT Tam Đường', pages: 1, copies: 1 }],
      complex: false,
      clockOffsetMs: Date.parse('2026-11-23T09:00:00+07:00') - (await env.currentTimeMs()),
    };
    await app.client.workflow.start(CERTIFICATION_WORKFLOW_TYPE, { args: [input], taskQueue: app.taskQueue, workflowId: certificationWorkflowId(code) });
    await env.sleep(8 * 3_600_000 + 60_000);
    let view: CaseView | undefined;
    for (let i = 0; i < 400; i++) {
      view = await app.client.workflow.getHandle(certificationWorkflowId(code)).query<CaseView>('caseView');
      if ((view.citizenNotices ?? []).length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(view!.apologySlips.map((s) => shown(s.newAppointmentAt))).to.deep.equal(['17:00 24/11/2026']);

    const page = await office.pageAs('receiver');
    await open(page, code);
    const card = page.getByRole('region', { name: 'Phiếu xin lỗi và hẹn lại' });
    await card.waitFor();
    expect(await card.getByTestId('new-appointment').textContent()).to.equal('17:00 24/11/2026');
    await card.getByTestId('apology-told').filter({ hasText: 'SMS: đã gửi; Cổng dịch vụ công: đã gửi; Thư điện tử: đã gửi' }).waitFor();
    await screenshot(page, 'thao-tac-06-phieu-xin-loi');
    const printing = page.waitForEvent('download');
    await card.getByRole('button', { name: 'In phiếu xin lỗi và hẹn lại (PDF)' }).click();
    const slip = await printing;
    expect(slip.suggestedFilename()).to.equal(`${code}-phieu-xin-loi-hen-lai.pdf`);
    const text = pdfText(saveTemp(readFileSync(await slip.path())));
    expect(text.replace(/\s+/g, ' ')).to.contain('xin lỗi Ông (Bà) và hẹn trả kết quả giải quyết hồ sơ vào 17 giờ 00 phút, ngày 24 tháng 11 năm 2026');

    const sms: Array<{ to_phone: string; body: string }> = await app.ctx.db.query(`select to_phone, body from sms_outbox where dedupe_key like $1`, [`case:${code}:notice:%`]);
    expect(sms).to.deep.equal([
      { to_phone: '0987000111', body: `[UBND xã Nùng Năng] UBND xã Nùng Năng xin lỗi Ông/Bà vì hồ sơ chứng thực ${code} chưa có kết quả đúng hẹn. Thời gian hẹn trả kết quả mới: 17:00 ngày 24/11/2026.` },
    ]);
    const mail: Array<{ subject: string; status: string }> = await app.ctx.db.query(`select subject, status from mail_outbox where case_code = $1`, [code]);
    expect(mail).to.deep.equal([{ subject: '[UBND xã Nùng Năng] Xin lỗi vì trả kết quả chậm — hẹn lại 17:00 ngày 24/11/2026', status: 'sent' }]);
  });
});
