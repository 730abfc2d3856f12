/**
 * "Kiểm tra API" in a real browser: the province administrator adds a configured API with a
 * session password ("Danh sách API"), the integration officer checks a new API against a local
 * HTTP server the allow-list admits and sees status, time, headers and the pretty-printed body, is
 * refused a private address, checks the configured API through its session, and the
 * administrator disables it.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { startLocalApi, type LocalApi } from '../apiCheck/localApi';
import { screenshot } from './browser';
import { startWebOffice, type WebOffice } from './webOffice';

describe('web UI: API check console (real browser)', function () {
  this.timeout(180_000);
  let office: WebOffice;
  let local: LocalApi;

  before(async () => {
    office = await startWebOffice('apicheck');
    local = await startLocalApi();
    office.app.ctx.apiCheck = { allowHosts: [local.host], timeoutMs: 3000, maxBytes: 1024 * 1024, secretKey: randomBytes(32) };
    await office.officer('quantri', 'Quản trị Tỉnh', ['USER_ADMIN'], [office.app.org.province]);
    await office.officer('daumoi', 'Cán bộ đầu mối tỉnh', ['INTEGRATION_CHECK'], [office.app.org.province]);
  });
  after(async () => {
    await local?.close();
    await office?.close();
  });

  it('keeps configured APIs, checks a new and a configured API, and refuses a private address', async () => {
    const admin = await office.pageAs('quantri');
    await admin.goto('/#/api-endpoints');
    await admin.getByRole('button', { name: '+ Thêm mới' }).click();
    const form = admin.getByRole('form', { name: 'Thêm API' });
    await form.getByLabel('Loại API').selectOption({ label: 'API BNDP nhận thông báo thuế đất' });
    await form.getByLabel('Tên API').fill('Thông báo thuế đất Lai Châu');
    await form.getByLabel('URL API lấy session').fill(`${local.url}/session`);
    await form.getByLabel('URL API lấy dữ liệu').fill(`${local.url}/du-lieu`);
    await form.getByLabel('Tên đăng nhập lấy session').fill('laichau');
    await form.getByLabel('Mật khẩu lấy session').fill('mat-khau-phien');
    await form.getByLabel('Body mẫu').fill('{\n  "maHoSo": "HS-2026-0001"\n}');
    await form.getByRole('button', { name: 'Lưu' }).click();
    const table = admin.getByTestId('api-endpoints');
    await table.getByText('đã lưu (mã hóa)').waitFor();
    expect(await table.locator('thead th').allInnerTexts()).to.deep.equal(['STT', 'Loại API', 'Đơn vị', 'Tên API', 'URL API lấy session', 'URL API lấy dữ liệu', 'Mật khẩu', 'Trạng thái', '']);
    expect(await admin.content()).to.not.include('mat-khau-phien');
    await screenshot(admin, 'kiem-tra-api-01-danh-sach-api');

    const page = await office.pageAs('daumoi');
    await page.goto('/#/api-check');
    const newForm = page.getByRole('form', { name: 'Kiểm tra API mới' });
    await newForm.getByLabel('URL API địa phương').fill(`${local.url}/nghia-vu-tai-chinh`);
    await newForm.getByLabel('DSTCODE').selectOption({ index: 1 });
    await newForm.getByLabel('Loại API').selectOption({ label: 'Tra cứu nghĩa vụ tài chính' });
    const body = newForm.getByLabel('Body API');
    expect(JSON.parse(await body.inputValue())).to.deep.equal({ maHoSo: '', soCCCD: '', maDST: '000.00.00.H35' });
    await body.fill(JSON.stringify({ maHoSo: 'HS-2026-0001', soCCCD: '012090001234', maDST: '000.00.00.H35' }));
    await newForm.getByRole('button', { name: 'Gửi' }).click();
    const panel = page.getByTestId('api-response');
    await panel.getByTestId('api-status').getByText('Status: 200 OK').waitFor();
    expect(await panel.getByTestId('api-body').innerText()).to.include('"maHoSo": "HS-2026-0001",\n  "tongTien": 1250000');
    expect(await panel.getByTestId('api-time').innerText()).to.match(/^Time: \d+ ms$/);
    await screenshot(page, 'kiem-tra-api-02-api-moi');
    await panel.getByRole('button', { name: /Headers/ }).click();
    await panel.getByTestId('api-headers').getByText('GD-0001').waitFor();
    await screenshot(page, 'kiem-tra-api-03-headers');

    await newForm.getByLabel('URL API địa phương').fill('http://10.0.0.5/nghia-vu');
    await newForm.getByRole('button', { name: 'Gửi' }).click();
    await newForm.getByRole('alert').getByText('Không gửi yêu cầu tới 10.0.0.5').waitFor();
    await screenshot(page, 'kiem-tra-api-04-dia-chi-noi-bo');

    await page.getByRole('tab', { name: 'API đã cấu hình' }).click();
    const configured = page.getByRole('form', { name: 'Kiểm tra API đã cấu hình' });
    expect(await configured.getByLabel('URL API lấy session').inputValue()).to.equal(`${local.url}/session`);
    expect(await configured.getByLabel('Body API').inputValue()).to.include('HS-2026-0001');
    await configured.getByRole('button', { name: 'Gửi' }).click();
    await panel.getByTestId('api-session').getByText('Đã nhận mã phiên').waitFor();
    await panel.getByTestId('api-status').getByText('Status: 200 OK').waitFor();
    expect(await panel.getByTestId('api-body').innerText()).to.include('"soThongBao": "TB-01"');
    await screenshot(page, 'kiem-tra-api-05-api-da-cau-hinh');

    await admin.getByRole('button', { name: 'Tắt' }).click();
    await table.getByText('Đã tắt').waitFor();
    const audits: Array<{ action: string }> = await office.app.ctx.db.query(`select action from audit_log where action like 'apicheck.%' order by seq`);
    expect(audits.map((a) => a.action)).to.deep.equal(['apicheck.endpoint.create', 'apicheck.send', 'apicheck.send', 'apicheck.send', 'apicheck.endpoint.disable']);
  });
});
