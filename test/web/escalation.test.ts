/**
 * The escalation ladder in a real browser: a supervisor opens his commune's ladder (the default
 * until he saves one), a wrong percent is told next to its field in Vietnamese, the corrected
 * ladder is saved; then a case's warning fires on the engine's clock and the desk officer sees the
 * bell count it, reads the notice with its case link and marks it read.
 */
import { expect } from 'chai';
import { DEFAULT_LADDER } from '../../domain/escalation/ladder';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { CERTIFICATION_WORKFLOW_TYPE, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CertificationInput } from '../../workflows/certification/types';
import { requireTimeSkipping, testEnv } from '../engine/harness';
import type { CaseApp } from '../support/caseApp';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

describe('web UI: escalation ladder and notifications (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let app: CaseApp;

  before(async () => {
    office = await startWebOffice('esc');
    app = office.app;
    await office.officer('supervisor', 'Đỗ Thanh Bình', ['CASE_SUPERVISE'], [app.org.communeA]);
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
  });
  after(async () => office?.close());

  it("edits and saves the commune's ladder, with a wrong value told at its field", async () => {
    const page = await office.pageAs('supervisor');
    await page.goto(`/#/escalation/${app.org.communeA}`);
    await page.getByTestId('ladder-source').filter({ hasText: 'Đang dùng thang cảnh báo mặc định.' }).waitFor();
    expect(await page.getByRole('group').count()).to.equal(DEFAULT_LADDER.length);
    const first = page.getByRole('group', { name: 'Bậc 1' });
    expect(await first.getByLabel('Phần trăm thời hạn (%)').inputValue()).to.equal('75');
    await first.getByLabel('Phần trăm thời hạn (%)').fill('100');
    await page.getByRole('button', { name: 'Lưu thang cảnh báo' }).click();
    await first.locator('.field-error').filter({ hasText: 'Phần trăm thời hạn phải là số nguyên từ 1 đến 99' }).waitFor();
    await screenshot(page, 'thang-canh-bao-01-loi');

    await first.getByLabel('Phần trăm thời hạn (%)').fill('50');
    await first.getByLabel('Email').uncheck();
    await page.getByRole('group', { name: 'Bậc 5' }).getByRole('button', { name: 'Xóa bậc' }).click();
    await page.getByRole('button', { name: 'Lưu thang cảnh báo' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu.' }).waitFor();
    await page.getByTestId('ladder-source').filter({ hasText: 'Đơn vị có thang cảnh báo riêng' }).waitFor();
    expect(await page.getByRole('group').count()).to.equal(4);
    await screenshot(page, 'thang-canh-bao-02-da-luu');

    const stored: Array<{ rungs: Array<{ id: string; trigger: { percent?: number }; channels: string[] }>; updated_by: string }> = await app.ctx.db.query(
      'select rungs, updated_by from escalation_ladders where unit_id = $1',
      [app.org.communeA],
    );
    expect(stored[0].updated_by).to.equal(office.ids.supervisor);
    expect(stored[0].rungs.map((r) => r.id)).to.deep.equal(DEFAULT_LADDER.slice(0, 4).map((r) => r.id));
    expect(stored[0].rungs[0]).to.deep.include({ trigger: { kind: 'budgetShare', percent: 50 }, channels: ['inApp'] });
  });

  it("shows the desk officer's notice under the bell once the case's warning fires, and marks it read", async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const code = `HS-WEB-ESC-${process.pid}`;
    const ladder = await app.ctx.db.query('select rungs from escalation_ladders where unit_id = $1', [app.org.communeA]);
    // Received Monday 23/11/2026 09:00 (case clock): 50% of step 2's four working hours is 11:00.
    const input: CertificationInput = {
      caseCode: code,
      unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      calendar: await loadUnitCalendar(app.ctx.db, app.org.communeA),
      receivedBy: { officerId: office.ids.receiver, fullName: 'Trần Ngọc Lan' },
      citizen: { fullName: 'Sùng Thị Dua', citizenId: '012190001236', birthDate: '1990-03-04' },
      documents: [{ type: 'Bằng tốt nghiệp', issuer: 'Trường THPT Tam Đường', pages: 1, copies: 1 }],
      complex: false,
      escalationLadder: { rungs: ladder[0].rungs, fromUnitId: app.org.communeA },
      clockOffsetMs: Date.parse('2026-11-23T09:00:00+07:00') - (await env.currentTimeMs()),
    };
    await app.client.workflow.start(CERTIFICATION_WORKFLOW_TYPE, { args: [input], taskQueue: app.taskQueue, workflowId: certificationWorkflowId(code) });

    const page = await office.pageAs('receiver');
    await page.goto('/#/inbox');
    const bell = page.getByTestId('bell');
    await bell.waitFor();
    expect(await bell.getAttribute('aria-label')).to.equal('Thông báo: 0 chưa đọc');

    await env.sleep(2 * 3_600_000 + 60_000);
    for (let i = 0; i < 200 && (await app.ctx.db.query('select 1 from officer_notifications where case_code = $1', [code])).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.goto('/#/notifications');
    await page.getByLabel('Thông báo: 1 chưa đọc').waitFor();
    expect(await bell.locator('.bell-count').textContent()).to.equal('1');
    const notice = page.getByTestId('notifications').getByRole('listitem').filter({ hasText: code });
    await notice.waitFor();
    expect(await notice.locator('strong').textContent()).to.equal(`Hồ sơ ${code} sắp đến hạn bước tiếp nhận, trình ký (bước 2)`);
    expect(await notice.textContent()).to.include('14:00 ngày 23/11/2026').and.include('50% thời hạn của bước — báo cán bộ xử lý bước');
    await screenshot(page, 'thang-canh-bao-03-thong-bao');
    expect(await notice.getByRole('link', { name: `Mở hồ sơ ${code}` }).getAttribute('href')).to.equal(`#/cases/${code}`);

    await notice.getByRole('button', { name: 'Đã đọc' }).click();
    await page.getByTestId('unread-count').filter({ hasText: '0 thông báo chưa đọc' }).waitFor();
    await page.getByLabel('Thông báo: 0 chưa đọc').waitFor();
    const row: Array<{ read_at: Date | null }> = await app.ctx.db.query('select read_at from officer_notifications where case_code = $1', [code]);
    expect(row[0].read_at).to.not.equal(null);
  });
});
