import { expect } from 'chai';
import { ApiError } from '../../api/errors';
import { checkSupportAttachment, SUPPORT_ATTACHMENT_MAX_BYTES } from '../../infra/supportAttachmentContent';
import { docx, idCardPdf, ole2, PNG, xlsx } from '../support/officeFiles';

const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(64, 0)]);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), Buffer.alloc(64, 0x55)]);
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

function refusal(data: Buffer, name: string, maxBytes = SUPPORT_ATTACHMENT_MAX_BYTES): ApiError {
  try {
    checkSupportAttachment(data, maxBytes, name);
  } catch (e) {
    expect(e).to.be.instanceOf(ApiError);
    return e as ApiError;
  }
  expect.fail(`expected ${name} to be refused`);
}

describe('support request attachments, recognised by content', () => {
  it('accepts each of the ten kinds the seed lists, under its own name', async () => {
    const files: Array<[string, Buffer, string]> = [
      ['anh-loi.jpg', JPG, 'image/jpeg'],
      ['anh-loi.JPEG', JPG, 'image/jpeg'],
      ['man-hinh.png', PNG, 'image/png'],
      ['cong-van.pdf', await idCardPdf(2), 'application/pdf'],
      ['ghi-am.mp3', MP3, 'audio/mpeg'],
      ['quay-man-hinh.mp4', MP4, 'video/mp4'],
      ['de-nghi.doc', ole2(['WordDocument', '1Table']), 'application/msword'],
      ['de-nghi.docx', docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['danh-sach.xls', ole2(['Workbook']), 'application/vnd.ms-excel'],
      ['danh-sach.xlsx', xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['nhat-ky.txt', Buffer.from('Lỗi 503 khi gọi API thanh toán thuế đất\r\n\tlúc 10:05\n', 'utf8'), 'text/plain'],
    ];
    expect(files.map(([name, data]) => `${name} ${checkSupportAttachment(data, SUPPORT_ATTACHMENT_MAX_BYTES, name).mimeType}`)).to.deep.equal(files.map(([name, , type]) => `${name} ${type}`));
  });

  it('refuses a renamed file, saying what it really is', () => {
    expect(refusal(EXE, 'huong-dan.pdf')).to.include({ status: 415, code: 'FILE_EXTENSION_MISMATCH' });
    expect(refusal(EXE, 'huong-dan.pdf').vi).to.contain('chương trình chạy được');
    expect(refusal(xlsx(), 'bao-cao.docx').vi).to.contain('tệp .xlsx');
    expect(refusal(ole2(['Workbook']), 'bao-cao.doc').vi).to.contain('tệp .xls');
    expect(refusal(JPG, 'ghi-chu.txt').code).to.equal('FILE_EXTENSION_MISMATCH');
    expect(refusal(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe]), 'du-lieu.txt').code).to.equal('FILE_EXTENSION_MISMATCH');
  });

  it('refuses kinds the seed does not list, empty and oversized files', () => {
    expect(refusal(EXE, 'cai-dat.exe')).to.include({ status: 415, code: 'UNSUPPORTED_FILE_TYPE' });
    expect(refusal(PNG, 'anh.gif').code).to.equal('UNSUPPORTED_FILE_TYPE');
    expect(refusal(EXE, 'khong-duoi').code).to.equal('UNSUPPORTED_FILE_TYPE');
    expect(checkSupportAttachment(PNG, SUPPORT_ATTACHMENT_MAX_BYTES, 'khong-duoi').mimeType, 'no extension: taken for its content').to.equal('image/png');
    expect(refusal(Buffer.alloc(0), 'rong.txt').code).to.equal('FILE_EMPTY');
    expect(refusal(Buffer.alloc(2048, 0x41), 'lon.txt', 1024)).to.include({ status: 413, code: 'FILE_TOO_LARGE' });
  });

  it('refuses a damaged Office file and a truncated PDF', () => {
    expect(refusal(docx().subarray(0, 40), 'hong.docx').code).to.equal('FILE_DAMAGED');
    expect(refusal(Buffer.from('%PDF-1.4\n1 0 obj\n'), 'cut.pdf').code).to.equal('PDF_TRUNCATED');
  });
});
