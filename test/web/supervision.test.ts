/**
 * The supervisor's deadline dashboard in a real browser: counters of open cases by state, the
 * overdue and at-risk cases by working time left with links to them, on-time rates, the charts,
 * a period that is too long told next to its field, the figures refreshed without reloading
 * when a new case arrives, and the consistency check — clean, then naming the field of a
 * read-model row altered with SQL.
 *
 * The API's clock reads Monday 23/11/2026 11:30 in Hà Nội. Cases run on the engine's clock with
 * their own clock set to chosen instants; the completed one moves through its steps as the
 * engine skips time.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { CERTIFICATION_WORKFLOW_TYPE, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CertificationInput } from '../../workflows/certification/types';
import { testEnv } from '../engine/harness';
import { call, pdfBytes, uploadFile, type CaseApp } from '../support/caseApp';
import { supportRequestIn } from '../support/supportDesk';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

describe('web UI: the deadline supervision dashboard (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let app: CaseApp;
  let page: Page;
  const code = (name: string) => `HS-SV-${name}-${process.pid}`;

  /** Starts a case whose clock reads `receivedAt` now; returns once the projection has its row. */
  async function start(name: string, receivedAt: string, fullName: string): Promise<number> {
    const offset = Date.parse(receivedAt) - (await (await testEnv()).currentTimeMs());
    const input: CertificationInput = {
      caseCode: code(name),
      unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      calendar: await loadUnitCalendar(app.ctx.db, app.org.communeA),
      receivedBy: { officerId: office.ids.receiver, fullName: 'Trần Ngọc Lan' },
      citizen: { fullName, citizenId: '012190001236', birthDate: '1990-03-04' },
      documents: [{ type: 'Bằng tốt nghiệp', issuer: 'Trường THPT Tam Đường', pages: 1, copies: 1 }],
      complex: false,
      clockOffsetMs: offset,
    };
    await app.client.workflow.start(CERTIFICATION_WORKFLOW_TYPE, { args: [input], taskQueue: app.taskQueue, workflowId: certificationWorkflowId(code(name)) });
    await until(`select 1 from certification_cases where case_code = '${code(name)}'`);
    return offset;
  }

  async function until(sql: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if ((await app.ctx.db.query(sql)).length > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`never: ${sql}`);
  }

  async function act(who: string, name: string, action: string, body: unknown = {}): Promise<void> {
    const res = await call(app, 'POST', `/api/cases/${code(name)}/${action}`, { token: office.tokens[who], body });
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).to.equal(200);
  }

  before(async () => {
    office = await startWebOffice('sv');
    app = office.app;
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('leader', 'Lò Văn Hùng', ['CERT_SIGN'], [app.org.communeA]);
    await office.officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [app.org.communeA]);
    await office.officer('supervisor', 'Đỗ Thanh Bình', ['CASE_SUPERVISE'], [app.org.district]);

    const env = await testEnv();
    // A case completed on time: received 08:00, submitted 08:40, signed 09:10, sealed 09:40 (when
    // the engine can skip time; otherwise each step takes the seconds the test takes).
    const offset = await start('DONE', '2026-11-23T08:00:00+07:00', 'Giàng A Páo');
    const advanceTo = async (local: string) => {
      const gap = Date.parse(local) - ((await env.currentTimeMs()) + offset);
      if (env.supportsTimeSkipping && gap > 0) await env.sleep(gap);
    };
    await act('receiver', 'DONE', 'scan', { fileId: await uploadFile(app, office.tokens.receiver, pdfBytes('sv-done', 1)) });
    await advanceTo('2026-11-23T08:40:00+07:00');
    await act('receiver', 'DONE', 'submit');
    await advanceTo('2026-11-23T09:10:00+07:00');
    await act('leader', 'DONE', 'sign');
    await advanceTo('2026-11-23T09:40:00+07:00');
    await act('sealer', 'DONE', 'seal');
    await until(`select 1 from certification_cases where case_code = '${code('DONE')}' and status = 'completed' and on_time is not null`);

    await start('REFUSED', '2026-11-23T09:45:00+07:00', 'Lù Văn Páo');
    await act('receiver', 'REFUSED', 'refuse', { ground: 'ALTERED', note: 'Trang 1 bị tẩy xóa ở phần ngày cấp' });
    await until(`select 1 from certification_cases where case_code = '${code('REFUSED')}' and status = 'refused'`);
    // Due 12:00, warned 11:00: at risk at 11:30. Received on Friday: long overdue.
    await start('RISK', '2026-11-23T07:30:00+07:00', 'Sùng Thị Dua');
    await start('LATE', '2026-11-20T07:30:00+07:00', 'Lù Văn Sáng');

    app.clock.set(new Date('2026-11-23T11:30:00+07:00'));
    // A support request of the commune, filed now and still open.
    await supportRequestIn(app);
    page = await office.pageAs('supervisor');
  });

  after(async () => office?.close());

  it('shows the open cases by state, the overdue and at-risk ones by time left, the rates and the charts', async () => {
    await page.goto('/#/inbox');
    await page.getByRole('link', { name: 'Giám sát hạn' }).click();
    await page.getByRole('heading', { name: 'Giám sát hạn xử lý hồ sơ' }).waitFor();
    await page.getByTestId('open-total').waitFor();
    expect(await page.getByTestId('open-total').textContent()).to.equal('Đang xử lý2');
    expect(await page.getByTestId('open-at-risk').textContent()).to.equal('Sắp hết hạn1');
    expect(await page.getByTestId('open-overdue').textContent()).to.equal('Quá hạn1');
    // The API chose the last 30 days up to its own today.
    expect(await page.getByLabel('Từ ngày').inputValue()).to.equal('25/10/2026');
    expect(await page.getByLabel('Đến ngày').inputValue()).to.equal('23/11/2026');

    const rows = page.getByTestId('at-risk').locator('tbody tr');
    expect(await rows.locator('td:first-child').allTextContents()).to.deep.equal([code('LATE'), code('RISK')]);
    expect(await rows.nth(0).getAttribute('class')).to.equal('overdue');
    // Due Friday 12:00: Friday afternoon and Monday morning since then, 4 + 3.5 working hours.
    expect(await rows.nth(0).locator('td').last().textContent()).to.equal('quá hạn 7 giờ 30 phút làm việc Quá hạn');
    expect(await rows.nth(1).locator('td').last().textContent()).to.equal('còn 30 phút làm việc Sắp hết hạn');
    expect(await page.getByRole('link', { name: code('RISK') }).getAttribute('href')).to.equal(`#/cases/${code('RISK')}`);

    expect(await page.getByTestId('totals').textContent()).to.equal(
      'Tiếp nhận 4 · hoàn thành 1 (đúng hạn 1, trễ hạn 0, tỷ lệ đúng hạn 100%) · từ chối 1 · công dân rút 0',
    );
    const unitRow = page.getByTestId('on-time-units').getByRole('row').filter({ hasText: 'UBND xã Nùng Năng' });
    expect(await unitRow.locator('td').allTextContents()).to.deep.equal(['UBND xã Nùng Năng', '1', '1', '0', '100%']);
    const officers = page.getByTestId('on-time-officers').locator('tbody tr td:first-child');
    expect(await officers.allTextContents()).to.deep.equal(['Lò Văn Hùng', 'Phạm Thị Mai', 'Trần Ngọc Lan']);
    expect(await page.getByRole('img', { name: 'Thời gian làm việc trung bình mỗi bước so với thời hạn luật định' }).count()).to.equal(1);
    expect(await page.getByTestId('step-times').locator('text.chart-label').allTextContents()).to.deep.equal([
      'Tiếp nhận, quét và trình ký',
      'Lãnh đạo xem xét, ký số',
      'Cấp số, đóng dấu số',
    ]);
    expect(await page.getByTestId('refusals').locator('text.chart-value').first().textContent()).to.equal('1');
    expect(await page.getByTestId('refusals').locator('text.chart-label').first().textContent()).to.equal('Tẩy xóa, sửa chữa');
    expect(await page.getByTestId('trend').getByText('Diễn biến theo ngày').count()).to.equal(1);
    const support = page.getByTestId('support-sla');
    expect(await support.getByRole('heading').textContent()).to.equal('Yêu cầu hỗ trợ');
    expect(await support.getByTestId('support-received').textContent()).to.equal('Tiếp nhận trong kỳ1');
    expect(await support.getByTestId('support-open').textContent()).to.equal('Đang mở1');
    expect(await support.getByTestId('support-done').textContent()).to.equal('Đã xử lý xong0');
    await screenshot(page, 'giam-sat-01-bang-dieu-khien');

    await page.getByLabel('Biểu đồ theo').selectOption('week');
    await page.getByTestId('trend').getByText('Diễn biến theo tuần').waitFor();
    expect(await page.getByTestId('trend').locator('text.chart-legend').allTextContents()).to.deep.equal(['Tiếp nhận (4)', 'Đúng hạn (1)', 'Trễ hạn (0)', 'Từ chối (1)']);
  });

  it('tells a period longer than two years next to its field', async () => {
    await page.getByLabel('Từ ngày').fill('01/01/2024');
    const error = page.locator('label.field').filter({ hasText: 'Đến ngày' }).locator('.field-error');
    await error.waitFor();
    expect(await error.textContent()).to.equal('khoảng thời gian dài tối đa 2 năm (731 ngày), đang chọn 1058 ngày');
    await page.getByLabel('Từ ngày').fill('25/10/2026');
    await error.waitFor({ state: 'detached' });
  });

  it('refreshes the figures without reloading when a case arrives', async () => {
    await start('NEW', '2026-11-23T11:25:00+07:00', 'Vàng Thị Sua');
    // Polled every 15 seconds: the counter follows without any click.
    await page.getByTestId('open-total').getByText('3').waitFor({ timeout: 25_000 });
    expect(await page.getByTestId('open-on-time').textContent()).to.equal('Trong hạn1');
  });

  it('checks the figures against the workflows, and names the field of a row altered behind their back', async () => {
    await page.getByRole('button', { name: 'Kiểm tra đối soát' }).click();
    await page.getByText('Khớp: 5/5 hồ sơ đúng với luồng xử lý', { exact: false }).waitFor();

    await app.ctx.db.query(`update case_steps set late = true where case_code = $1 and step = 'sign'`, [code('DONE')]);
    await page.getByRole('button', { name: 'Kiểm tra đối soát' }).click();
    const mismatches = page.getByTestId('mismatches');
    await mismatches.waitFor();
    expect(await mismatches.locator('tbody tr td').allTextContents()).to.deep.equal([code('DONE'), 'steps[1].late: true ≠ false']);
    expect(await page.getByRole('status').locator('p').first().textContent()).to.equal('Đã kiểm tra 5 hồ sơ: 4 khớp, 1 sai lệch, 0 đang cập nhật, 0 không kiểm tra được.');
    await page.getByTestId('consistency').scrollIntoViewIfNeeded();
    await screenshot(page, 'giam-sat-02-doi-soat');
    const direct = await call(app, 'GET', '/api/supervision/consistency', { token: office.tokens.supervisor });
    expect(direct.body.mismatches).to.deep.equal([{ caseCode: code('DONE'), differences: ['steps[1].late: true ≠ false'] }]);
  });
});
