/**
 * Signing on behalf of the leader, fee receipts, officers' documents and the verification page,
 * in a real browser: the chairman picks the delegate by name and sees the signature block she will
 * sign with; she signs, and the case screen, the copy, the register and the public page say who
 * delegated; the desk officer issues and prints the fee receipt, which the register lists; the
 * delegate finds the copy in "Giấy tờ của tôi" and downloads it; a tampered copy uploaded on the
 * verification page gets only the red verdict; a wrong QR token gets a page, not JSON.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { CaseView } from '../../workflows/certification/types';
import { call, pdfBytes, receptionBody, uploadFile, type CaseApp } from '../support/caseApp';
import { pdfText, saveTemp } from '../support/pdfTools';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

describe('web UI: signing under a delegation, fee receipts, my documents, verification (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let app: CaseApp;
  let caseCode = '';
  let done: CaseView & { verifyUrl: string };

  before(async () => {
    office = await startWebOffice('ky');
    app = office.app;
    await office.officer('chairman', 'Lý Văn Chủ', ['CERT_SIGN'], [app.org.communeA]);
    await office.officer('clerk', 'Đỗ Thị Hộ Tịch', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [app.org.communeA]);
    await office.officer('admin', 'Nguyễn Văn Quản', ['USER_ADMIN'], [app.org.district]);
    await app.ctx.db.query(`update officers set job_title = 'Chủ tịch UBND xã' where id = $1`, [office.ids.chairman]);
  });
  after(async () => office?.close());

  /** The text of the last page of a PDF, as pdftotext reads it. */
  function lastPage(bytes: Buffer): string {
    const file = saveTemp(bytes, 'web-ky');
    return pdfText(file).split('\f').filter((p) => p.trim() !== '').at(-1)!;
  }

  async function completed(code: string): Promise<CaseView & { verifyUrl: string }> {
    for (let i = 0; i < 300; i++) {
      const v = (await call(app, 'GET', `/api/cases/${code}`, { token: office.tokens.sealer })).body;
      if (v.status === 'completed') return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${code} did not complete`);
  }

  it('lets the chairman pick the delegate by name and shows the signature block the copies will carry', async () => {
    const page = await office.pageAs('chairman');
    await page.goto('/#/delegations');
    await page.getByRole('heading', { name: 'Ủy quyền ký', exact: true }).waitFor();
    await page.getByLabel(/^Đơn vị/).selectOption(app.org.communeA);
    const delegate = page.getByLabel(/^Người được ủy quyền/);
    await delegate.getByRole('option', { name: /Đỗ Thị Hộ Tịch/ }).waitFor({ state: 'attached' });
    // Picked by name: no identifier to type.
    expect(await page.getByPlaceholder('Mã người dùng (UUID)').count()).to.equal(0);
    const options = await delegate.locator('option').allTextContents();
    expect(options).to.include('Đỗ Thị Hộ Tịch (clerk.ky) — chưa ghi chức danh · TUQ. Chủ tịch');
    expect(options.some((o) => o.startsWith('Lý Văn Chủ'))).to.equal(false);
    await delegate.selectOption({ label: 'Đỗ Thị Hộ Tịch (clerk.ky) — chưa ghi chức danh · TUQ. Chủ tịch' });
    expect(await page.getByTestId('block-preview').textContent()).to.contain('TUQ. CHỦ TỊCH / CÔNG CHỨC TƯ PHÁP – HỘ TỊCH');
    await page.getByLabel(/^Từ/).fill('23/11/2026 09:00');
    await page.getByLabel(/^Đến/).fill('23/12/2026 17:00');
    await page.getByLabel(/^Lý do ủy quyền/).fill('Chủ tịch đi họp tại tỉnh');
    await screenshot(page, 'ky-thay-01-chon-nguoi-duoc-uy-quyen');
    await page.getByRole('button', { name: 'Ủy quyền', exact: true }).click();
    const row = page.getByTestId('delegations').getByRole('row', { name: /Đỗ Thị Hộ Tịch/ });
    await row.waitFor();
    expect(await row.textContent()).to.contain('TUQ. Chủ tịch');
    await screenshot(page, 'ky-thay-02-danh-sach-uy-quyen');
  });

  it('lets the delegate sign: the case screen, the copy and the register say she signed on the chairman’s behalf', async () => {
    const scanFileId = await uploadFile(app, office.tokens.receiver, pdfBytes(`web-ky-${process.pid}`));
    const received = await call<CaseView>(app, 'POST', '/api/cases', { token: office.tokens.receiver, body: receptionBody(app.org.deskA, { scanFileId }) });
    expect(received.status, JSON.stringify(received.body)).to.equal(201);
    caseCode = received.body.caseCode;
    expect((await call(app, 'POST', `/api/cases/${caseCode}/submit`, { token: office.tokens.receiver, body: {} })).status).to.equal(200);

    const page = await office.pageAs('clerk');
    await page.goto(`/#/cases/${encodeURIComponent(caseCode)}`);
    await page.getByRole('button', { name: 'Ký số bản sao' }).click();
    await page.getByTestId('case-status').filter({ hasText: 'Chờ cấp số, đóng dấu' }).waitFor();
    const note = page.getByTestId('delegated-by');
    await note.waitFor();
    expect(await note.textContent()).to.equal('Đỗ Thị Hộ Tịch ký theo ủy quyền của Lý Văn Chủ');
    await screenshot(page, 'ky-thay-03-ho-so-ky-theo-uy-quyen');

    expect((await call(app, 'POST', `/api/cases/${caseCode}/seal`, { token: office.tokens.sealer, body: {} })).status).to.equal(200);
    done = await completed(caseCode);
    const copy = readFileSync(`${app.filesDir}/${done.result!.path}`);
    const text = lastPage(copy);
    // The form and the head's title, then the signer's own title, above the signature and her name.
    expect(text).to.match(/NGƯỜI THỰC HIỆN CHỨNG THỰC[\s\S]*TUQ\. CHỦ TỊCH[\s\S]*CÔNG CHỨC TƯ PHÁP – HỘ TỊCH[\s\S]*\(Chữ ký số\)[\s\S]*Đỗ Thị Hộ Tịch/);

    const register = await office.pageAs('sealer');
    await register.goto('/#/register');
    await register.getByLabel('Năm').selectOption(done.certificationNumber!.split('/')[1]!.slice(0, 4));
    const line = register.getByTestId('register').getByRole('row').filter({ hasText: caseCode });
    await line.waitFor();
    expect(await line.getByTestId('register-delegation').textContent()).to.equal(' (TUQ. Chủ tịch, ký theo ủy quyền của Lý Văn Chủ)');
    await screenshot(register, 'ky-thay-04-so-chung-thuc');
  });

  /** The public page of a link, on the test's server. */
  const local = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };

  it('shows on the QR page who delegated, one green verdict; an uploaded tampered copy replaces it with only the red verdict', async () => {
    const page = await office.newPage();
    await page.goto(local(done.verifyUrl));
    const verdict = page.locator('#verdict .verdict');
    expect(await verdict.getAttribute('data-verdict')).to.equal('ok');
    expect(await page.getByTestId('delegation').textContent()).to.equal('TUQ. Chủ tịch: ký theo ủy quyền của Lý Văn Chủ (Công chức Tư pháp – Hộ tịch)');
    // Vietnamese only, and dates as dd/mm/yyyy HH:mm.
    expect(await page.locator('body').textContent()).to.not.contain('Valid copy');
    expect(await page.getByRole('row', { name: /Thời điểm chứng thực/ }).textContent()).to.match(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await screenshot(page, 'kiem-tra-01-ma-qr-hop-le');

    const copy = readFileSync(`${app.filesDir}/${done.result!.path}`);
    const tampered = Buffer.from(copy);
    tampered[tampered.indexOf('stream\n') + 40] ^= 0x01;
    // The page's own file button, in the page's language whatever the browser's.
    expect(await page.locator('label.pick').textContent()).to.equal('Chọn tệp…');
    await page.getByLabel('Tệp bản sao (PDF)').setInputFiles({ name: 'ban-sao-da-sua.pdf', mimeType: 'application/pdf', buffer: tampered });
    expect(await page.locator('#picked').textContent()).to.equal('ban-sao-da-sua.pdf');
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await page.locator('#verdict .verdict.bad').waitFor();
    expect(await page.locator('.verdict').count()).to.equal(1);
    expect(await page.locator('#verdict').textContent()).to.contain('Tệp đã bị thay đổi sau khi ký').and.contain('ban-sao-da-sua.pdf');
    await screenshot(page, 'kiem-tra-02-tep-bi-sua');

    await page.getByLabel('Tệp bản sao (PDF)').setInputFiles({ name: 'ban-sao.pdf', mimeType: 'application/pdf', buffer: copy });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await page.locator('#verdict .verdict.ok').waitFor();
    expect(await page.locator('.verdict').count()).to.equal(1);
  });

  it('answers a wrong QR token with a page in the office’s language, not JSON; English on request', async () => {
    const page = await office.newPage();
    const answer = await page.goto(`/verify/${encodeURIComponent(caseCode)}?t=AAAAAAAAAAAAAAAAAAAAAA`);
    expect(answer!.status()).to.equal(404);
    expect(answer!.headers()['content-type']).to.match(/^text\/html/);
    expect(await page.locator('#verdict .verdict.bad').textContent()).to.contain('Không tìm thấy bản sao chứng thực theo mã QR này');
    await page.getByRole('heading', { name: 'Tra cứu theo số chứng thực' }).waitFor();
    await screenshot(page, 'kiem-tra-03-sai-ma');
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Verify an electronic certified copy' }).waitFor();
    expect(await page.locator('#verdict').textContent()).to.contain('No certified copy matches this QR code').and.not.contain('Không tìm thấy');
  });

  async function issueReceipt(page: Page): Promise<string> {
    await page.goto(`/#/cases/${encodeURIComponent(caseCode)}`);
    const card = page.getByTestId('fee-receipt');
    await card.getByText('Chưa thu phí: 10.000 đ.').waitFor();
    await card.getByRole('button', { name: 'Lập biên lai thu phí…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lập biên lai thu phí' });
    expect(await dialog.getByLabel('Số tiền').inputValue()).to.equal('10.000 đ');
    expect(await dialog.getByLabel('Số tiền').getAttribute('readonly')).to.not.equal(null);
    expect(await dialog.getByLabel(/^Người nộp tiền/).inputValue()).to.equal('Giàng A Páo');
    await dialog.getByLabel(/^Hình thức nộp/).selectOption('transfer');
    await dialog.getByLabel('Ghi chú').fill('Chuyển khoản qua ngân hàng');
    await screenshot(page, 'bien-lai-01-lap-bien-lai');
    await dialog.getByRole('button', { name: 'Lập biên lai', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const number = card.getByTestId('receipt-no');
    await number.waitFor();
    return (await number.textContent())!;
  }

  it('issues the fee receipt from the case screen, prints it under its number, and the register lists it', async () => {
    const page = await office.pageAs('receiver');
    const receiptNo = await issueReceipt(page);
    expect(receiptNo).to.equal('BL-2026-000001');
    const card = page.getByTestId('fee-receipt');
    expect(await card.textContent()).to.contain('Chuyển khoản').and.contain('Giàng A Páo').and.contain('Trần Ngọc Lan');
    await screenshot(page, 'bien-lai-02-da-thu');
    const saved = page.waitForEvent('download');
    await card.getByRole('button', { name: 'In biên lai (PDF)' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).to.equal(`bien-lai-${receiptNo}-${caseCode}.pdf`);
    const text = pdfText(saveTemp(readFileSync(await download.path()), 'web-bien-lai')).replace(/\s+/g, ' ');
    expect(text).to.include(`Số: ${receiptNo}`).and.include('Giàng A Páo').and.include('Mười nghìn đồng').and.include('Chuyển khoản');

    const register = await office.pageAs('sealer');
    await register.goto('/#/register');
    await register.getByRole('tab', { name: 'Biên lai thu phí' }).click();
    await register.getByLabel('Năm').selectOption('2026');
    const row = register.getByTestId('fee-receipts').getByRole('row').filter({ hasText: receiptNo });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).to.include.members([receiptNo, caseCode, 'Giàng A Páo', '10.000 đ', 'Chuyển khoản', 'Trần Ngọc Lan']);
    expect(await register.getByText('1 biên lai, đã thu 10.000 đ.').count()).to.equal(1);
    await screenshot(register, 'bien-lai-03-so-bien-lai');
  });

  it('gives the delegate “Giấy tờ của tôi”: her copy found by case code, downloaded under its kind and case code, with its verification link', async () => {
    const page = await office.pageAs('clerk');
    await page.goto('/#/inbox');
    await page.getByRole('link', { name: 'Giấy tờ của tôi' }).click();
    await page.getByRole('heading', { name: 'Giấy tờ của tôi' }).waitFor();
    const table = page.getByTestId('my-documents');
    const row = table.getByRole('row').filter({ hasText: caseCode });
    await row.waitFor();
    expect(await row.textContent()).to.contain('Người ký');
    expect(await row.getByRole('link', { name: 'Kiểm tra' }).getAttribute('href')).to.equal(done.verifyUrl);

    await page.getByLabel('Mã hồ sơ').fill('khong-co');
    await page.getByText('Không có giấy tờ nào thỏa mãn điều kiện lọc.').waitFor();
    await page.getByLabel('Mã hồ sơ').fill(caseCode.slice(-11));
    await row.waitFor();
    await screenshot(page, 'giay-to-01-cua-toi');

    const saved = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Tải về' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).to.equal(`${caseCode}-ban-sao-chung-thuc.pdf`);
    expect(readFileSync(await download.path()).equals(readFileSync(`${app.filesDir}/${done.result!.path}`))).to.equal(true);
  });

  it('lets an administrator set an officer’s job title on his page, which the next delegation to him takes its form from', async () => {
    const page = await office.pageAs('admin');
    await page.goto(`/#/admin/users/${office.ids.clerk}`);
    await page.getByRole('heading', { name: 'Đỗ Thị Hộ Tịch' }).waitFor();
    expect(await page.getByTestId('job-title').textContent()).to.equal('—');
    await page.getByRole('button', { name: 'Sửa', exact: true }).click();
    await page.getByLabel('Chức danh', { exact: true }).fill('Phó Chủ tịch UBND xã');
    await screenshot(page, 'ky-thay-05-sua-chuc-danh');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await page.getByTestId('job-title').filter({ hasText: 'Phó Chủ tịch UBND xã' }).waitFor();
    const stored: Array<{ job_title: string }> = await app.ctx.db.query('select job_title from officers where id = $1', [office.ids.clerk]);
    expect(stored[0]!.job_title).to.equal('Phó Chủ tịch UBND xã');
    const candidates = await call(app, 'GET', `/api/delegations/candidates?unitId=${app.org.communeA}`, { token: office.tokens.chairman });
    expect(candidates.body.items.find((c: { id: string }) => c.id === office.ids.clerk).signature.form).to.equal('KT');
  });
});
