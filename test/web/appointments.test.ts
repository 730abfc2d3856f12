/**
 * Appointments in a real browser (seed 001 part II): a citizen books through the portal — the
 * agency down the unit tree, a full slot shown disabled and a slot filled meanwhile refused beside
 * the time — and sees the code and the appointment in "Lịch hẹn của tôi"; the desk sees it in the
 * day's schedule, moves it with a reason (the citizen then reads the old and new time and the
 * reason) and moves a whole slot; the citizen checked in is received from the appointment, the
 * form filled from it and the case carrying its code; the administrator changes a unit's slots.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { formatLocalDateTime } from '../../domain/calendar';
import { bookAppointment } from '../../api/appointments/booking';
import { CaptchaService } from '../../infra/captcha/captcha';
import { nextSlot, portalCitizen } from '../support/appointments';
import { call, type CaseApp, clockAtEngineTime } from '../support/caseApp';
import { CAPTCHA_ANSWER, loginCitizen, newPerson, registerByMobile } from '../support/citizenApp';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

const DAY = 86_400_000;

/** "08:00–08:30", as the screens write a slot. */
function range(slot: { start: string; end: string }): string {
  return `${formatLocalDateTime(Date.parse(slot.start)).slice(11)}–${formatLocalDateTime(Date.parse(slot.end)).slice(11)}`;
}

/** "24/11/2026", as the date fields take a day. */
const dmy = (date: string) => date.split('-').reverse().join('/');

describe('web UI: appointments on the portal, at the desk and in the administration (real browser)', function () {
  this.timeout(240_000);
  let office: WebOffice;
  let app: CaseApp;
  let citizenPage: Page;
  let deskPage: Page;
  const person = newPerson({ fullName: 'Giàng Thị Hoa', email: 'hoa@example.vn', birthDate: '1990-08-15' });
  let code = '';
  /** The day booked and its first three slots; the day the desk moves appointments to. */
  let day = '';
  let slots: Array<{ start: string; end: string }> = [];
  let newDay = '';
  let newSlot: { start: string; end: string };

  before(async () => {
    office = await startWebOffice('appt');
    app = office.app;
    // The API checks slots on its clock, the appointment's workflow runs on the suite engine's, which
    // earlier tests may have skipped ahead of the wall clock: one time for both, before any session.
    await clockAtEngineTime(app);
    app.ctx.captcha = new CaptchaService(app.ctx.db, app.clock, { text: () => CAPTCHA_ANSWER });
    // At the commune's one-stop desk, as receiving officers sit: the desk stands for its commune.
    await office.officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await office.officer('admin', 'Nguyễn Văn Quản', ['USER_ADMIN'], [app.org.province]);
    const registered = await registerByMobile(app, person);
    expect(registered.status, JSON.stringify(registered.body)).to.equal(201);
    const token = await loginCitizen(app, person.idNumber);
    citizenPage = await office.newPage();
    await citizenPage.addInitScript({ content: `sessionStorage.setItem('chungthuc.citizenToken', ${JSON.stringify(token)});` });
    deskPage = await office.pageAs('receiver');

    // A working day after both clocks, its first slots.
    const after = Math.max(app.clock.now().getTime(), Date.now()) + DAY;
    day = (await nextSlot(app, app.org.communeA, after)).date;
    let from = Date.parse(`${day}T00:00:00+07:00`);
    for (let i = 0; i < 3; i++) {
      const s = await nextSlot(app, app.org.communeA, from);
      expect(s.date).to.equal(day);
      slots.push(s);
      from = Date.parse(s.start);
    }
    const moved = await nextSlot(app, app.org.communeA, Date.parse(`${day}T23:59:00+07:00`));
    newDay = moved.date;
    newSlot = moved;
  });
  let adminPage: Page | undefined;
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const [name, p] of [['citizen', citizenPage], ['desk', deskPage], ['admin', adminPage]] as const) if (p) await screenshot(p, `appointments-failed-${name}`);
  });
  after(async () => office?.close());

  /** Two other citizens take both places of a slot (the default capacity). */
  async function fill(slotStart: string): Promise<string[]> {
    const codes: string[] = [];
    for (const name of ['Lò Văn Một', 'Lò Văn Hai']) {
      const who = await portalCitizen(app, name);
      codes.push((await bookAppointment(app.ctx, who, { procedure: 'vn', unitId: app.org.communeA, paperType: 'Học bạ', slotStart }, randomUUID(), 10)).code);
    }
    return codes;
  }

  const slotButton = (page: Page, slot: { start: string; end: string }) => page.getByTestId('slots').getByRole('button', { name: new RegExp(`^${range(slot)}`) });

  it('books through the portal: the agency down the tree, a full slot disabled, a slot filled meanwhile refused beside the time, then the code', async () => {
    await fill(slots[0]!.start);
    const page = citizenPage;
    await page.goto('/#/portal/book');
    await page.getByRole('heading', { name: 'Đặt lịch hẹn' }).waitFor();
    await page.getByLabel(/giấy tờ do cơ quan Việt Nam cấp/).check();
    // One province and one district lead to an agency: chosen for the citizen.
    await page.locator('select[name=district]').filter({ hasText: 'UBND huyện Tam Đường' }).waitFor();
    await page.locator('select[name=agency]:not([disabled])').waitFor();
    const agencies = await page.locator('select[name=agency] option').allTextContents();
    expect(agencies).to.include.members(['UBND xã Nùng Năng', 'UBND xã Bản Bo', 'Phòng Tư pháp — UBND huyện Tam Đường']);
    await page.locator('select[name=agency]').selectOption({ label: 'UBND xã Nùng Năng' });
    await page.locator('select[name=paperType] option', { hasText: 'Giấy khai sinh' }).waitFor({ state: 'attached' });
    await page.locator('select[name=paperType]').selectOption('Giấy khai sinh');
    await page.locator('input[name=day]').fill(dmy(day));
    await page.locator('input[name=day]').blur();

    // Both places of the first slot are taken: shown, but not to pick.
    const full = slotButton(page, slots[0]!);
    await full.waitFor();
    expect(await full.isDisabled()).to.equal(true);
    expect(await full.textContent()).to.contain('hết chỗ');
    expect(await slotButton(page, slots[1]!).textContent()).to.contain('còn 2/2 chỗ');

    // The second slot fills while the citizen is choosing: the refusal is told beside the time.
    await slotButton(page, slots[1]!).click();
    await fill(slots[1]!.start);
    await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
    const refusal = page.locator('.field.has-error .field-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.contain('Khung giờ này đã đủ người đặt; hãy chọn khung giờ khác.');
    await page.locator('.ap-slot:disabled').nth(1).waitFor();
    expect(await slotButton(page, slots[1]!).isDisabled()).to.equal(true);
    await screenshot(page, 'appointments-01-khung-gio-het-cho');

    await slotButton(page, slots[2]!).click();
    await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
    await page.getByTestId('booked').waitFor();
    code = (await page.getByTestId('booked-code').textContent())!;
    expect(code).to.match(/^LH-\d{6}-[0-9A-Z]{6}$/);
    expect(await page.getByTestId('booked').textContent()).to.contain(`${range(slots[2]!)} ngày ${dmy(day)}`);
    await screenshot(page, 'appointments-02-dat-lich-thanh-cong');
    const rows: Array<{ status: string; paper_type: string }> = await app.ctx.db.query('select status, paper_type from appointments where code = $1', [code]);
    expect(rows).to.deep.equal([{ status: 'booked', paper_type: 'Giấy khai sinh' }]);

    await page.getByRole('link', { name: 'Lịch hẹn của tôi' }).first().click();
    const row = page.locator(`tr[data-code="${code}"]`);
    await row.waitFor();
    expect(await row.textContent()).to.contain('Đã đặt lịch');
    expect(await row.textContent()).to.contain('UBND xã Nùng Năng');
    expect(await page.locator('main').textContent()).to.not.match(/\/api\/|\bAPI\b|booked|undefined/);
    await screenshot(page, 'appointments-03-lich-hen-cua-toi');
  });

  it('shows the day at the desk and moves the appointment with a reason the citizen then reads, and moves a whole slot', async () => {
    const page = deskPage;
    await page.goto('/#/appointments');
    await page.getByRole('heading', { name: 'Lịch hẹn', exact: true }).waitFor();
    await page.locator('input[name=scheduleDay]').fill(dmy(day));
    const line = page.locator(`li[data-code="${code}"]`);
    await line.waitFor();
    expect(await line.textContent()).to.contain('Giàng Thị Hoa');
    expect(await page.locator(`tr[data-slot="${range(slots[0]!)}"]`).textContent()).to.contain('2/2');
    await screenshot(page, 'appointments-04-lich-hen-tai-quay');

    await line.getByRole('button', { name: 'Dời lịch' }).click();
    const dialog = page.getByRole('dialog', { name: `Dời lịch hẹn ${code}` });
    await dialog.locator('input[name=newDay]').fill(dmy(newDay));
    await dialog.getByTestId('slots').getByRole('button', { name: new RegExp(`^${range(newSlot)}`) }).click();
    await dialog.getByLabel(/^Lý do dời lịch/).fill('Cán bộ tiếp nhận đi họp đột xuất');
    await screenshot(page, 'appointments-05-doi-lich-hen');
    await dialog.getByRole('button', { name: 'Dời lịch hẹn' }).click();
    await page.getByText(`Đã dời lịch hẹn ${code} sang ${range(newSlot)} ngày ${dmy(newDay)}`).waitFor();
    await page.locator(`li[data-code="${code}"]`).waitFor({ state: 'detached' });

    // The whole first slot to the same time of the new day.
    await page.locator(`tr[data-slot="${range(slots[0]!)}"]`).getByRole('button', { name: 'Dời cả khung giờ' }).click();
    const bulk = page.getByRole('dialog');
    await bulk.locator('input[name=toDate]').fill(dmy(newDay));
    await bulk.getByLabel(/^Lý do dời lịch/).fill('Mất điện cả buổi sáng');
    await bulk.getByRole('button', { name: 'Dời 2 lịch hẹn' }).click();
    await bulk.getByTestId('bulk-result').waitFor();
    // The citizen moved first holds one of the two places of that time: one moves, one is told why not.
    const result = await bulk.getByTestId('bulk-result').textContent();
    expect(result).to.contain('Đã dời 1 lịch hẹn');
    expect(result).to.contain('Không dời được 1 lịch hẹn');
    await screenshot(page, 'appointments-06-doi-ca-khung-gio');
    await bulk.getByRole('button', { name: 'Đóng' }).click();

    // The list is open already from the booking: read again.
    await citizenPage.goto('/#/portal/appointments');
    await citizenPage.reload();
    const moved = citizenPage.locator(`tr[data-code="${code}"]`).getByTestId('rescheduled');
    await moved.waitFor();
    expect(await moved.textContent()).to.equal(`Đã dời từ ${range(slots[2]!)} ngày ${dmy(day)} sang ${range(newSlot)} ngày ${dmy(newDay)}. Lý do: Cán bộ tiếp nhận đi họp đột xuất`);
    await screenshot(citizenPage, 'appointments-07-cong-dan-thay-doi-lich');
  });

  it('checks the citizen in and receives the case from the appointment: the form filled from it, the case carrying its code', async () => {
    const page = deskPage;
    await page.locator('input[name=scheduleDay]').fill(dmy(newDay));
    const line = page.locator(`li[data-code="${code}"]`);
    await line.getByRole('button', { name: 'Công dân đã đến' }).click();
    await line.locator('.tag', { hasText: 'Đã đến quầy' }).waitFor();
    await line.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();

    await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ chứng thực bản sao' }).waitFor();
    await page.getByTestId('appointment-chosen').waitFor();
    expect(await page.locator('input[name=fullName]').inputValue()).to.equal('Giàng Thị Hoa');
    expect(await page.locator('input[name=citizenId]').inputValue()).to.equal(person.idNumber);
    expect(await page.locator('input[name=phone]').inputValue()).to.equal(person.phone);
    expect(await page.getByLabel('Loại giấy tờ — bản chính 1').inputValue()).to.equal('Giấy khai sinh');
    if (!(await page.locator('input[name=birthDate]').inputValue())) await page.locator('input[name=birthDate]').fill('15/08/1990');
    await page.getByLabel('Cơ quan cấp — bản chính 1').fill('UBND xã Nùng Năng');
    await screenshot(page, 'appointments-08-tiep-nhan-tu-lich-hen');
    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.waitForURL(/#\/cases\//);
    const caseCode = decodeURIComponent(page.url().split('#/cases/')[1]!);
    const view = await call(app, 'GET', `/api/cases/${encodeURIComponent(caseCode)}`, { token: office.tokens.receiver });
    expect(view.body.appointmentCode).to.equal(code);
    const appointment = await call(app, 'GET', `/api/appointments/${code}`, { token: office.tokens.receiver });
    expect(appointment.body).to.include({ status: 'received', caseCode });
  });

  it('lets the administrator change a unit’s slots and its list of paper types', async () => {
    const page = await office.pageAs('admin');
    adminPage = page;
    await page.goto('/#/admin/appointments');
    await page.getByRole('heading', { name: 'Cài đặt lịch hẹn' }).waitFor();
    await page.locator('select[name=appointmentUnit] option', { hasText: 'UBND xã Bản Bo' }).waitFor({ state: 'attached' });
    await page.locator('select[name=appointmentUnit]').selectOption(app.org.communeB);
    await page.locator('select[name=slotMinutes]').selectOption('60');
    await page.locator('input[name=capacity]').fill('25');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    const tooMany = page.locator('label.field', { hasText: 'Số người mỗi khung giờ' }).locator('.field-error');
    await tooMany.waitFor();
    expect(await tooMany.textContent()).to.contain('tối đa 20 người');
    await page.locator('input[name=capacity]').fill('3');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await page.getByText('Đã lưu cài đặt lịch hẹn.').waitFor();
    expect(await page.locator('select[name=slotMinutes]').inputValue()).to.equal('60');
    expect(await page.locator('input[name=capacity]').inputValue()).to.equal('3');
    const papers = page.locator('textarea[name=paperTypes]');
    await papers.fill(`${await papers.inputValue()}\nGiấy phép lái xe`);
    await page.getByRole('button', { name: 'Lưu danh sách' }).click();
    await page.getByText('Đã lưu danh sách loại giấy tờ.').waitFor();
    await screenshot(page, 'appointments-09-cai-dat-lich-hen');
    const settings: Array<{ slot_minutes: number; capacity: number }> = await app.ctx.db.query('select slot_minutes, capacity from appointment_settings where unit_id = $1', [app.org.communeB]);
    expect(settings).to.deep.equal([{ slot_minutes: 60, capacity: 3 }]);
    const names: Array<{ name: string }> = await app.ctx.db.query('select name from appointment_paper_types where unit_id = $1 and name = $2', [app.org.communeB, 'Giấy phép lái xe']);
    expect(names).to.have.length(1);
  });
});
