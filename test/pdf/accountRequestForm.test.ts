import { expect } from 'chai';
import { formCreationTime, renderAccountRequestForm, type AccountRequestFormInput } from '../../infra/pdf/accountRequestForm';
import { pageCount, pdfText, saveTemp } from '../support/pdfTools';

const INPUT: AccountRequestFormInput = {
  requestId: 'YC-2026-000123',
  idNumber: '001099012345',
  fullName: 'Nguyễn Thị Ánh Tuyết',
  birthDate: '1999-02-07',
  phone: '0912345678',
  email: null,
  unit: { code: '000.15.43.H35', name: 'Bộ phận Một cửa xã Nùng Năng' },
  officer: { fullName: 'Trần Văn Bình', phone: '0987654321' },
  // 14:35 in Hà Nội.
  createdAt: '2026-03-02T07:35:10Z',
};

/** The words of the page, one space between them, whatever the line breaks. */
function words(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('account request form (giấy đề nghị tạo tài khoản)', function () {
  this.timeout(60_000);

  it('prints the heading, the citizen’s data, the statement, the desk, the officer and the time as extractable Vietnamese text, on one page', async () => {
    const file = saveTemp(await renderAccountRequestForm(INPUT), 'account-request');
    expect(pageCount(file)).to.equal(1);
    const text = words(pdfText(file, undefined, false));
    expect(text.normalize('NFC')).to.equal(text);
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'GIẤY ĐỀ NGHỊ TẠO TÀI KHOẢN',
      'Mã yêu cầu: YC-2026-000123',
      'Số CCCD/CMND: 001099012345',
      'Họ và tên: Nguyễn Thị Ánh Tuyết',
      'Ngày sinh: 07/02/1999',
      'Số điện thoại: 0912345678',
      'Thư điện tử (email): (không có)',
      'Tôi xác nhận số điện thoại 0912345678 là số điện thoại chính chủ của tôi, dùng để nhận mã xác thực (OTP) và mật khẩu đăng nhập',
      'Bộ phận Một cửa tiếp nhận: Bộ phận Một cửa xã Nùng Năng (mã đơn vị 000.15.43.H35)',
      'Cán bộ tiếp nhận: Trần Văn Bình; số điện thoại: 0987654321',
      'Thời gian tạo: 14:35, ngày 02/03/2026',
      'Nùng Năng, ngày 02 tháng 3 năm 2026',
      'NGƯỜI ĐỀ NGHỊ',
      'CÁN BỘ TIẾP NHẬN',
    ]) {
      expect(text).to.include(expected);
    }
    // The two signature places carry the two names.
    expect(text.match(/Nguyễn Thị Ánh Tuyết/g)).to.have.length(2);
    expect(text.match(/Trần Văn Bình/g)).to.have.length(2);
  });

  it('prints the e-mail when there is one, and "(không có)" for an officer without a phone', async () => {
    const file = saveTemp(await renderAccountRequestForm({ ...INPUT, email: 'tuyet.nguyen@example.vn', officer: { fullName: 'Trần Văn Bình', phone: null } }), 'account-request');
    const text = words(pdfText(file, undefined, false));
    expect(text).to.include('Thư điện tử (email): tuyet.nguyen@example.vn');
    expect(text).to.include('Cán bộ tiếp nhận: Trần Văn Bình; số điện thoại: (không có)');
  });

  it('writes the creation time in Viet Nam time, across the UTC date line', async () => {
    expect(formCreationTime('2026-03-02T18:05:00Z')).to.equal('01:05, ngày 03/03/2026');
    const file = saveTemp(await renderAccountRequestForm({ ...INPUT, createdAt: '2026-12-31T17:30:00Z' }), 'account-request');
    const text = words(pdfText(file, undefined, false));
    expect(text).to.include('Thời gian tạo: 00:30, ngày 01/01/2027');
    expect(text).to.include('ngày 01 tháng 01 năm 2027');
  });

  it('is reproducible byte for byte, and differs when the data differ', async () => {
    const a = await renderAccountRequestForm(INPUT);
    const b = await renderAccountRequestForm({ ...INPUT });
    expect(Buffer.compare(a, b)).to.equal(0);
    const c = await renderAccountRequestForm({ ...INPUT, phone: '0912345679' });
    expect(Buffer.compare(a, c)).not.to.equal(0);
  });

  it('stays on one page with long names', async () => {
    const long = {
      ...INPUT,
      fullName: 'Tôn Nữ Hoàng Thị Phương Thảo Nguyên Khánh Ngọc',
      email: 'ton.nu.hoang.thi.phuong.thao.nguyen.khanh.ngoc@mot-ten-mien-rat-dai.example.vn',
      unit: { code: '000.02.03.H48', name: 'Trung tâm Phục vụ hành chính công và Kiểm soát thủ tục hành chính tỉnh Hưng Yên' },
    };
    const file = saveTemp(await renderAccountRequestForm(long), 'account-request');
    expect(pageCount(file)).to.equal(1);
    expect(words(pdfText(file, undefined, false))).to.include('Tôn Nữ Hoàng Thị Phương Thảo Nguyên Khánh Ngọc');
  });

  it('refuses an invalid creation time', async () => {
    const err = await renderAccountRequestForm({ ...INPUT, createdAt: 'hôm nay' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RangeError);
  });
});
