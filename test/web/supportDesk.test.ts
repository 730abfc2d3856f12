/**
 * Support requests in a real browser (seed 003, "Quản lý yêu cầu hỗ trợ"): a commune's officer
 * files a request with the seed's form — a renamed file refused by its content next to it, a wrong
 * e-mail told at its field, two good attachments uploaded with their progress — and lands on the
 * request's page; the province's support team finds it in its queue by deadline, takes it and asks
 * the coordination contact a question (the deadline stands still); the commune answers; the
 * handler resolves it; the commune sees "Đã xử lý xong" with the outcome, downloads an attachment,
 * and finds the request again by its title in the list.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { pdfBytes, type CaseApp, clockAtEngineTime } from '../support/caseApp';
import { docx } from '../support/officeFiles';
import { supportRequestIn } from '../support/supportDesk';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

const TITLE = 'Nùng Năng - hỗ trợ cấu hình URL API thanh toán nghĩa vụ tài chính đất đai';
const QUESTION = 'Đơn vị gửi giúp URL API và mã dịch vụ đang dùng?';
const ANSWER = 'URL: https://dvc.nungnang.example.vn/api, mã dịch vụ BNDP-01';
const OUTCOME = 'Đã cấu hình lại URL API thanh toán, đơn vị kiểm tra lại giúp';

describe('web UI: support requests from the commune’s form to the handler’s outcome (real browser)', function () {
  this.timeout(240_000);
  let office: WebOffice;
  let app: CaseApp;
  let requester: Page;
  let handler: Page;
  let code = '';

  before(async () => {
    office = await startWebOffice('yc');
    app = office.app;
    // Filed at the app's clock, timed by the engine's: one time for both.
    await clockAtEngineTime(app);
    await office.officer('requester', 'Đào Mạnh Luân', ['SUPPORT_MANAGE'], [app.org.communeA]);
    await office.officer('handler', 'Lê Văn Hỗ Trợ', ['SUPPORT_HANDLE'], [app.org.province]);
    requester = await office.pageAs('requester');
    handler = await office.pageAs('handler');
  });
  after(async () => office?.close());

  const status = (page: Page) => page.getByTestId('support-status');

  it('files the seed’s form: a renamed file and a wrong e-mail are told where they are, then the request’s page opens', async () => {
    await requester.goto('/#/inbox');
    await requester.getByRole('link', { name: 'Yêu cầu hỗ trợ' }).click();
    await requester.getByRole('heading', { name: 'Danh sách yêu cầu hỗ trợ' }).waitFor();
    await requester.getByText('Tìm thấy 0 kết quả').waitFor();
    expect(await requester.getByRole('link', { name: 'Hàng đợi xử lý' }).count(), 'the queue is the handlers’').to.equal(0);
    await requester.getByRole('button', { name: '+ Thêm yêu cầu hỗ trợ' }).click();
    await requester.getByRole('heading', { name: 'Thông tin yêu cầu hỗ trợ' }).waitFor();

    const form = requester.getByRole('form', { name: 'Thông tin yêu cầu hỗ trợ' });
    expect(await form.locator('select[name=unitId] option:checked').textContent()).to.equal('UBND xã Nùng Năng');
    await form.locator('select[name=serviceGroup]').selectOption({ label: 'Tích hợp Cổng Dịch vụ công quốc gia' });
    await form.locator('select[name=service]').selectOption({ label: 'Thanh toán nghĩa vụ tài chính về đất đai' });
    expect(await form.locator('[name=requesterName]').inputValue(), 'the officer himself by default').to.equal('Đào Mạnh Luân');
    await form.locator('[name=requesterPhone]').fill('0912 345 678');
    await form.locator('[name=contactName]').fill('Phạm Thị Thúy Hằng');
    await form.locator('[name=contactPhone]').fill('0987654321');
    await form.locator('[name=feedbackEmail]').fill('phanhoi-nungnang.example.vn');
    await form.getByLabel('Nhận email ở mỗi lần đổi trạng thái').check();
    await form.locator('[name=title]').fill(TITLE);
    await form.locator('[name=description]').fill('Đề nghị cấu hình API cho Nùng Năng:\n1. API dịch vụ: API BNDP thanh toán thuế đất');
    expect(await form.getByText('Chỉ nhận file .jpg, .mp3, .mp4, .png, .pdf, .doc, .docx, .xls, .xlsx, .txt').count()).to.equal(1);

    // A program renamed .pdf: refused by its content, next to its name.
    const files = form.locator('input[name=attachments]');
    await files.setInputFiles({ name: 'huong-dan.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]) });
    const refused = form.locator('li[data-file-name="huong-dan.pdf"]');
    await refused.getByRole('alert').waitFor();
    expect(await refused.getByRole('alert').textContent()).to.contain('chương trình chạy được');
    // Then two good ones at once.
    await files.setInputFiles([
      { name: 'Công văn đề nghị.pdf', mimeType: 'application/pdf', buffer: pdfBytes('yc-cong-van', 1) },
      { name: 'Danh sách API.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx() },
    ]);
    await form.locator('li.sp-file-stored').nth(1).waitFor();
    expect(await form.locator('li.sp-file-stored .sp-file-name').allTextContents()).to.deep.equal(['Công văn đề nghị.pdf', 'Danh sách API.docx']);

    await form.getByRole('button', { name: 'Gửi' }).click();
    const emailField = form.locator('label.field', { has: requester.locator('[name=feedbackEmail]') });
    await emailField.locator('.field-error').waitFor();
    expect(await emailField.locator('.field-error').textContent()).to.match(/email/i);
    expect(await form.locator('.field-error').count(), 'only the e-mail and the refused file').to.equal(2);
    await screenshot(requester, 'support-form-refusals');

    await form.locator('[name=feedbackEmail]').fill('PhanHoi@NungNang.example.vn');
    await form.getByRole('button', { name: 'Gửi' }).click();
    await requester.waitForURL(/#\/support\/YC-\d{6}-[0-9A-Z]{5}$/);
    code = decodeURIComponent(requester.url().split('#/support/')[1]!);
    await requester.getByRole('heading', { name: TITLE }).waitFor();
    expect(await status(requester).textContent()).to.equal('Mới tiếp nhận');
    expect(await requester.getByTestId('support-deadline').textContent()).to.match(/^Hạn xử lý: \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
    const facts = await requester.getByTestId('support-facts').textContent();
    expect(facts).to.contain('Tích hợp Cổng Dịch vụ công quốc gia').and.contain('0912345678').and.contain('phanhoi@nungnang.example.vn').and.contain('Phạm Thị Thúy Hằng');
    expect(await requester.getByTestId('support-attachments').locator('.sp-file-name').allTextContents()).to.deep.equal(['Công văn đề nghị.pdf', 'Danh sách API.docx']);
    expect(await requester.getByTestId('support-history').textContent()).to.contain('Tiếp nhận yêu cầu');
    expect(await requester.getByRole('button', { name: 'Nhận xử lý' }).count(), 'taking is the handlers’').to.equal(0);
    await screenshot(requester, 'support-detail-received');
  });

  it('the handler finds it in the queue after an overdue one, takes it and asks the contact: the deadline stands still', async () => {
    // Another request of the commune, past its deadline an hour ago.
    const late = await supportRequestIn(app);
    await app.ctx.db.query(`update support_requests set breached = true, due_at = now() - interval '1 hour' where code = $1`, [late.code]);
    await handler.goto('/#/inbox');
    await handler.getByRole('link', { name: 'Hàng đợi xử lý' }).click();
    await handler.getByRole('heading', { name: 'Hàng đợi xử lý yêu cầu hỗ trợ' }).waitFor();
    const row = handler.getByTestId('support-queue').locator('tbody tr', { hasText: code });
    await row.waitFor();
    expect(await row.textContent()).to.contain(TITLE).and.contain('UBND xã Nùng Năng').and.contain('Mới tiếp nhận');
    const rows = handler.getByTestId('support-queue').locator('tbody tr');
    expect(await rows.locator('.sp-sub').allTextContents(), 'the nearest deadline first').to.deep.equal([late.code, code]);
    expect(await rows.nth(0).getAttribute('class')).to.equal('overdue');
    expect(await rows.nth(0).locator('td').first().textContent()).to.match(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}Quá hạn$/);
    expect(await rows.nth(1).getAttribute('class')).to.not.equal('overdue');
    expect(await handler.getByTestId('queue-summary').textContent()).to.equal('2 yêu cầu đang mở1 quá hạn');
    await screenshot(handler, 'support-queue');
    await row.getByRole('link', { name: 'Xem chi tiết' }).click();
    await handler.getByRole('heading', { name: TITLE }).waitFor();
    await handler.getByRole('button', { name: 'Nhận xử lý' }).click();
    await handler.getByText('Đang xử lý', { exact: true }).waitFor();
    expect(await handler.locator('.sp-handler').textContent()).to.contain('Lê Văn Hỗ Trợ');

    await handler.getByRole('button', { name: 'Hỏi đầu mối phối hợp' }).click();
    const dialog = handler.getByRole('dialog', { name: 'Hỏi đầu mối phối hợp' });
    await dialog.locator('textarea[name=text]').fill(QUESTION);
    await dialog.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await status(handler).textContent()).to.equal('Chờ đơn vị phản hồi');
    expect(await handler.getByTestId('support-deadline').textContent()).to.contain('Đang chờ đơn vị trả lời — hạn xử lý tạm dừng');
    expect(await handler.getByTestId('support-waits').textContent()).to.contain(QUESTION).and.contain('Đang chờ đơn vị trả lời');
    await screenshot(handler, 'support-detail-waiting');
  });

  it('the commune answers, the handler resolves, and the commune sees the outcome', async () => {
    await requester.reload();
    await requester.getByTestId('support-question').waitFor();
    expect(await requester.getByTestId('support-question').textContent()).to.contain(QUESTION);
    await requester.getByRole('button', { name: 'Trả lời' }).click();
    const answer = requester.getByRole('dialog', { name: 'Trả lời câu hỏi của cán bộ xử lý' });
    await answer.locator('textarea[name=text]').fill(ANSWER);
    await answer.getByRole('button', { name: 'Gửi trả lời' }).click();
    await answer.waitFor({ state: 'detached' });
    expect(await status(requester).textContent()).to.equal('Đang xử lý');
    expect(await requester.getByTestId('support-waits').textContent()).to.contain(ANSWER).and.match(/chờ \d*.*phút làm việc/);

    await handler.reload();
    await handler.getByRole('button', { name: 'Hoàn thành' }).click();
    const resolve = handler.getByRole('dialog', { name: 'Hoàn thành yêu cầu' });
    // Too short an outcome is told in the dialog, next to its box.
    await resolve.locator('textarea[name=text]').fill('Xong');
    await resolve.getByRole('button', { name: 'Hoàn thành' }).click();
    await resolve.locator('.field-error').waitFor();
    expect(await resolve.locator('.field-error').textContent()).to.contain('ít nhất 5 ký tự');
    await resolve.locator('textarea[name=text]').fill(OUTCOME);
    await resolve.getByRole('button', { name: 'Hoàn thành' }).click();
    await resolve.waitFor({ state: 'detached' });
    expect(await status(handler).textContent()).to.equal('Đã xử lý xong');

    await requester.reload();
    await requester.getByTestId('support-outcome').waitFor();
    expect(await status(requester).textContent()).to.equal('Đã xử lý xong');
    expect(await requester.getByTestId('support-outcome').textContent()).to.contain(OUTCOME);
    const history = await requester.getByTestId('support-history').locator('li strong').allTextContents();
    expect(history).to.include.members(['Tiếp nhận yêu cầu', 'Nhận xử lý', 'Hỏi đầu mối phối hợp', 'Đơn vị trả lời', 'Hoàn thành']);
    expect(await requester.getByRole('button', { name: 'Hủy yêu cầu' }).count(), 'nothing left to do').to.equal(0);
    const [download] = await Promise.all([requester.waitForEvent('download'), requester.getByRole('button', { name: 'Tải về Danh sách API.docx' }).click()]);
    expect(download.suggestedFilename()).to.equal('Danh sách API.docx');
    await screenshot(requester, 'support-detail-done');
  });

  it('the list finds it by its title, with its status and a link to it', async () => {
    await requester.goto('/#/support');
    await requester.getByRole('heading', { name: 'Danh sách yêu cầu hỗ trợ' }).waitFor();
    await requester.getByText('Tìm thấy 2 kết quả').waitFor();
    expect(await requester.getByTestId('support-list').locator('tbody tr.sp-late-row .tag-overdue').count(), 'the overdue one shows').to.equal(1);
    await screenshot(requester, 'support-list-all');
    await requester.getByLabel('Tên yêu cầu hỗ trợ').fill('nghĩa vụ tài chính');
    await requester.getByRole('button', { name: 'Tìm kiếm' }).click();
    await requester.getByText('Tìm thấy 1 kết quả').waitFor();
    const rows = requester.getByTestId('support-list').locator('tbody tr');
    expect(await rows.count()).to.equal(1);
    expect(await rows.locator('td').allTextContents()).to.have.lengthOf(7);
    expect(await rows.textContent()).to.contain(TITLE).and.contain('Đào Mạnh Luân').and.contain('Đã xử lý xong');
    expect(await rows.getByRole('link', { name: 'Xem chi tiết' }).getAttribute('href')).to.equal(`#/support/${code}`);
    await screenshot(requester, 'support-list');
    await requester.getByLabel('Tên yêu cầu hỗ trợ').fill('không có yêu cầu này');
    await requester.getByRole('button', { name: 'Tìm kiếm' }).click();
    await requester.getByText('Tìm thấy 0 kết quả').waitFor();
  });
});
