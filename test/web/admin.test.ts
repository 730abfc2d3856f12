/**
 * The administrator's screens in a real browser: searching users (the notice that only inactive
 * ones match), adding a user (a missing unit told beside the units), granting rights (the refusal
 * of ACCOUNT_CREATE outside a one-stop unit, then its grant once the desk is assigned), the unit
 * tree, the working calendar, and a signing delegation given and revoked.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createTestOfficer, startTestApp, type TestApp } from '../support/identityApp';
import { closeBrowser, newPage, screenshot } from './browser';
import { logInThroughForm } from './webOffice';

describe('web UI: administration (real browser)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let adminId = '';

  before(async () => {
    app = await startTestApp({}, { web: true });
    adminId = await createTestOfficer(app.ctx.db, {
      username: 'quantri',
      fullName: 'Đỗ Minh Quân',
      rights: ['USER_ADMIN', 'CERT_SIGN'],
      unitIds: [app.org.district],
      phone: '0912000601',
    });
    await createTestOfficer(app.ctx.db, { username: 'an.nv', fullName: 'Nguyễn Văn An', rights: ['CERT_CREATE'], unitIds: [app.org.communeA], phone: '0912000602' });
    await createTestOfficer(app.ctx.db, { username: 'binh.tt', fullName: 'Trần Thị Bình', status: 'inactive', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
  });
  after(async () => {
    await closeBrowser();
    await app?.close();
  });

  async function logIn(page: Page): Promise<void> {
    await logInThroughForm(page, app, 'quantri', '0912000601');
    await page.getByRole('link', { name: 'Quản trị' }).waitFor();
  }

  it('searches users, adds one, grants rights and shows the refusal of ACCOUNT_CREATE outside a one-stop unit', async () => {
    const page = await newPage(app.baseUrl);
    await logIn(page);
    await page.getByRole('link', { name: 'Quản trị' }).click();
    await page.getByRole('heading', { name: 'Quản lý người dùng' }).waitFor();
    await page.getByTestId('users').getByRole('row', { name: /Nguyễn Văn An/ }).waitFor();
    expect(await page.getByTestId('users').getByRole('row', { name: /Trần Thị Bình/ }).count()).to.equal(0);
    await screenshot(page, 'admin-01-nguoi-dung');

    // Nobody active matches; the inactive officer who does is offered.
    await page.getByLabel('Họ và tên').fill('tran thi binh');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    const notice = page.locator('[data-code="ONLY_INACTIVE_MATCH"]');
    await notice.waitFor();
    expect(await notice.textContent()).to.equal(
      'Không tìm thấy người dùng đang hoạt động phù hợp. Có 1 người dùng đã ngừng hoạt động phù hợp với điều kiện tìm kiếm.',
    );
    expect(await page.getByTestId('inactive-users').getByRole('row', { name: /Trần Thị Bình/ }).textContent()).to.contain('Ngừng hoạt động');
    await screenshot(page, 'admin-02-chi-co-nguoi-dung-ngung-hoat-dong');

    await page.getByRole('link', { name: 'Thêm người dùng' }).click();
    await page.getByRole('heading', { name: 'Thêm người dùng' }).waitFor();
    await page.getByLabel(/^Họ và tên/).fill('Lò Thị Hoa');
    await page.getByLabel(/^Tên đăng nhập/).fill('hoa.lt');
    await page.getByLabel(/^Số CCCD/).fill('001190012345');
    await page.getByLabel(/^Số điện thoại/).fill('0912000603');
    await page.getByLabel(/^Mật khẩu ban đầu/).fill('matkhau2026');
    await page.getByLabel('Tạo bản sao chứng thực', { exact: true }).check();
    await page.getByRole('button', { name: 'Lưu người dùng' }).click();
    const unitsError = page.locator('fieldset.choices.has-error .field-error');
    await unitsError.waitFor();
    expect(await unitsError.textContent()).to.equal('phải gán người dùng vào ít nhất một đơn vị');
    await screenshot(page, 'admin-03-them-nguoi-dung-thieu-don-vi');

    await page.getByLabel(/UBND xã Nùng Năng \(000\.15\.43\.H35\)/).check();
    await page.getByRole('button', { name: 'Lưu người dùng' }).click();
    await page.getByRole('heading', { name: 'Lò Thị Hoa' }).waitFor();
    const created: Array<{ id: string; status: string }> = await app.ctx.db.query(`select id, status from officers where username = 'hoa.lt'`);
    expect(created).to.have.length(1);
    expect(created[0].status).to.equal('active');

    const rights = page.getByTestId('rights');
    const rightRow = (name: string) => rights.getByRole('row').filter({ hasText: name });
    expect(await rightRow('Tạo bản sao chứng thực').first().textContent()).to.contain('✓');

    // ACCOUNT_CREATE needs a one-stop unit: the refusal says why, beside the rights.
    await rightRow('Quyền tạo tài khoản công dân').getByRole('button', { name: 'Cấp quyền' }).click();
    const refusal = page.locator('section[aria-labelledby="rights-title"] .problem');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.match(/^Không thể cấp “Quyền tạo tài khoản công dân”: chỉ công chức thuộc Bộ phận Một cửa mới được cấp quyền này\. Công chức Lò Thị Hoa chưa được gán vào đơn vị/);
    expect(await refusal.getAttribute('data-code')).to.equal('ONE_STOP_NOT_ASSIGNED');
    await screenshot(page, 'admin-04-tu-choi-cap-quyen');

    await rightRow('Ký bản sao chứng thực điện tử').getByRole('button', { name: 'Cấp quyền' }).click();
    await page.getByText('Đã cấp quyền “Ký bản sao chứng thực điện tử”.').waitFor();
    expect(await rightRow('Ký bản sao chứng thực điện tử').textContent()).to.contain('✓');

    // Assigned to the commune's one-stop desk, the same grant goes through.
    await page.getByLabel('Gán thêm đơn vị').selectOption(app.org.deskA);
    await page.getByRole('button', { name: 'Gán đơn vị' }).click();
    await page.getByText('Đã gán đơn vị.').waitFor();
    await rightRow('Quyền tạo tài khoản công dân').getByRole('button', { name: 'Cấp quyền' }).click();
    await page.getByText('Đã cấp quyền “Quyền tạo tài khoản công dân”.').waitFor();
    await screenshot(page, 'admin-05-nguoi-dung-chi-tiet');
    const held: Array<{ right_code: string }> = await app.ctx.db.query('select right_code from officer_rights where officer_id = $1 order by right_code', [created[0].id]);
    expect(held.map((r) => r.right_code)).to.deep.equal(['ACCOUNT_CREATE', 'CERT_CREATE', 'CERT_SIGN']);

    await page.getByRole('link', { name: 'Đơn vị' }).click();
    await page.getByRole('heading', { name: 'Đơn vị', exact: true }).waitFor();
    expect(await page.getByTestId('units').getByRole('row', { name: /Bộ phận Một cửa xã Nùng Năng/ }).textContent()).to.contain('Một cửa');
    await screenshot(page, 'admin-06-don-vi');

    await page.getByRole('link', { name: 'Lịch làm việc' }).click();
    await page.getByRole('heading', { name: 'Giờ làm việc trong tuần' }).waitFor();
    expect(await page.getByLabel('Thứ Hai').inputValue()).to.equal('08:00–12:00, 13:00–17:00');
    await screenshot(page, 'admin-07-lich-lam-viec');

    // The administrator, a leader too, lets the new officer sign for the commune.
    await page.getByRole('link', { name: 'Ủy quyền ký' }).click();
    await page.getByRole('heading', { name: 'Ủy quyền ký', exact: true }).waitFor();
    await page.getByLabel(/^Đơn vị/).selectOption(app.org.communeA);
    await page.getByLabel(/^Người được ủy quyền/).getByRole('option', { name: 'Lò Thị Hoa (hoa.lt)' }).waitFor({ state: 'attached' });
    await page.getByLabel(/^Người được ủy quyền/).selectOption(created[0].id);
    await page.getByLabel(/^Từ/).fill('23/11/2026 10:00');
    await page.getByLabel(/^Đến/).fill('23/12/2026 17:00');
    await page.getByLabel(/^Lý do ủy quyền/).fill('Chủ tịch đi công tác');
    await page.getByRole('button', { name: 'Ủy quyền', exact: true }).click();
    const delegation = page.getByTestId('delegations').getByRole('row', { name: /Lò Thị Hoa/ });
    await delegation.waitFor();
    expect(await delegation.textContent()).to.contain('10:00 23/11/2026 → 17:00 23/12/2026');
    await screenshot(page, 'admin-08-uy-quyen-ky');
    await delegation.getByRole('button', { name: 'Thu hồi' }).click();
    await delegation.getByText(/Đã thu hồi/).waitFor();
    const stored: Array<{ revoked_at: Date | null; reason: string }> = await app.ctx.db.query('select revoked_at, reason from signing_delegations');
    expect(stored).to.have.length(1);
    expect(stored[0].reason).to.equal('Chủ tịch đi công tác');
    expect(stored[0].revoked_at).to.be.instanceOf(Date);
    await page.context().close();
  });

  it('offers an administrator no way to grant himself a right, and says why', async () => {
    const page = await newPage(app.baseUrl);
    await logIn(page);
    await page.goto(`/#/admin/users/${adminId}`);
    await page.getByRole('heading', { name: 'Đỗ Minh Quân' }).waitFor();
    expect(await page.getByTestId('self-grant-note').textContent()).to.equal(
      'Bạn không thể tự cấp quyền cho chính mình, nhất là quyền ký, đóng dấu và kiểm tra: hãy nhờ một quản trị viên khác.',
    );
    const rights = page.getByTestId('rights');
    expect(await rights.getByRole('button', { name: 'Cấp quyền' }).count()).to.equal(0);
    // What he holds he may still give up (except USER_ADMIN, which the API keeps).
    expect(await rights.getByRole('button', { name: 'Thu hồi' }).count()).to.equal(2);
    await screenshot(page, 'admin-09-khong-tu-cap-quyen');
    await page.context().close();
  });
});
