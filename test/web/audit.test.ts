/**
 * The auditor's screen in a real browser: the audit trail's chain check (intact, then broken by a
 * row altered behind the application's back), a case's history as a timeline with who, what, when
 * and which deadline, the raw history downloaded as JSON, the replay verdict, and an unknown case
 * code told next to its field.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { caseThrough, SUBMIT_SIGN_SEAL, type CaseApp } from '../support/caseApp';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

describe('web UI: the auditor’s case histories (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let app: CaseApp;
  let caseCode = '';

  before(async () => {
    office = await startWebOffice();
    app = office.app;
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('leader', 'Lò Văn Hùng', ['CERT_SIGN'], [app.org.communeA]);
    await office.officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [app.org.communeA]);
    await office.officer('auditor', 'Hoàng Minh Kiểm', ['AUDIT'], [app.org.district]);
    caseCode = await caseThrough(app, office.tokens, SUBMIT_SIGN_SEAL, `web-audit-${process.pid}`);
  });
  after(async () => office?.close());

  it('shows the chain check and a case’s timeline, downloads the history JSON and replays it', async () => {
    const page = await office.pageAs('auditor');
    await page.goto('/#/inbox');
    await page.getByRole('link', { name: 'Kiểm tra lịch sử' }).click();
    await untilText(page.getByTestId('chain-result'), /^Chuỗi mã băm toàn vẹn: \d+ bản ghi/);

    await page.getByLabel('Mã hồ sơ').fill(caseCode);
    await page.getByRole('button', { name: 'Xem lịch sử' }).click();
    const table = page.getByRole('table', { name: 'Dòng thời gian' });
    await table.waitFor();
    const received = table.getByRole('row').filter({ hasText: `Tiếp nhận hồ sơ ${caseCode}` });
    const cells = await received.getByRole('cell').allInnerTexts();
    expect(cells[0]).to.match(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(cells[1]).to.equal('Trần Ngọc Lan');
    expect(cells[3]).to.match(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(await table.getByRole('row').filter({ hasText: 'Ký bản sao điện tử' }).first().getByRole('cell').nth(1).innerText()).to.equal('Lò Văn Hùng');
    expect(await table.getByRole('row').filter({ hasText: 'Hẹn giờ kiểm tra thời hạn đến' }).count()).to.be.greaterThan(0);
    await untilText(table.getByRole('row').last(), /Kết thúc hồ sơ: đã hoàn thành, số chứng thực 1\//);

    const folded = await table.getByRole('row').count();
    await page.getByLabel('Hiện cả sự kiện kỹ thuật của máy chủ quy trình').check();
    const all = await table.getByRole('row').count();
    const meta = await page.locator('.au-meta').innerText();
    const events = Number(/(\d+) sự kiện/.exec(meta)![1]);
    expect(all).to.equal(events + 1); // with the header row
    expect(folded).to.be.lessThan(all);
    await page.getByLabel('Hiện cả sự kiện kỹ thuật của máy chủ quy trình').uncheck();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải lịch sử (JSON)' }).click()]);
    expect(download.suggestedFilename()).to.equal(`${caseCode}-lich-su-quy-trinh.json`);
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { events: Array<{ eventType: string }> };
    expect(json.events).to.have.length(events);
    expect(json.events[0]!.eventType).to.equal('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');

    await page.getByRole('button', { name: 'Kiểm tra tái lập' }).click();
    await untilText(page.getByTestId('replay-verdict'), /^Tái lập thành công: lịch sử khớp hoàn toàn với mã quy trình hiện hành/);
    await screenshot(page, 'audit-timeline');

    await page.getByRole('button', { name: 'language' }).click();
    await untilText(page.getByTestId('replay-verdict'), /^Replay succeeded/);
    await page.getByRole('button', { name: 'language' }).click();
  });

  it('tells an unknown case code next to its field, and a broken audit chain', async () => {
    const page = await office.pageAs('auditor');
    await page.goto('/#/audit');
    await page.getByLabel('Mã hồ sơ').fill('000.15.43.H35-261123-9999');
    await page.getByRole('button', { name: 'Xem lịch sử' }).click();
    const error = page.locator('label.field').filter({ hasText: 'Mã hồ sơ' }).locator('.field-error');
    await untilText(error, /^Không tìm thấy hồ sơ 000\.15\.43\.H35-261123-9999\.$/);

    // A superuser edits a row directly: the next check names it.
    await app.ctx.db.query('alter table audit_log disable trigger audit_log_append_only');
    await app.ctx.db.query(`update audit_log set action = 'sửa lén' where seq = 2`);
    await app.ctx.db.query('alter table audit_log enable trigger audit_log_append_only');
    await page.getByRole('button', { name: 'Kiểm tra lại' }).click();
    await untilText(page.getByTestId('chain-result'), /^Nhật ký đã bị sửa đổi: 1 chỗ hỏng trong \d+ bản ghi\.\s*Bản ghi số 2: nội dung bản ghi không khớp mã băm/);
    await screenshot(page, 'audit-chain-broken');
  });
});

/** Waits (up to 30 s) until the element shows text matching `pattern`, and fails with what it showed. */
async function untilText(locator: Locator, pattern: RegExp): Promise<void> {
  let last = '';
  for (let i = 0; i < 300; i++) {
    last = (await locator.count()) > 0 ? await locator.first().innerText() : '';
    if (pattern.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(last).to.match(pattern);
}
