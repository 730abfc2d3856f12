import { expect } from 'chai';
import { ApiError } from '../../api/errors';
import { checkIdScanContent, ID_SCAN_MAX_BYTES, ole2EntryNames, zipEntryNames } from '../../infra/idScanContent';
import { CONTENT_TYPES, docx, idCardPdf as pdf, ole2, PNG, xlsx, zip } from '../support/officeFiles';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function refusal(data: Buffer, name?: string, maxBytes = ID_SCAN_MAX_BYTES): ApiError {
  try {
    checkIdScanContent(data, maxBytes, name);
  } catch (e) {
    expect(e).to.be.instanceOf(ApiError);
    return e as ApiError;
  }
  expect.fail('expected a refusal');
}

describe('ID card scan content (account requests)', function () {
  this.timeout(30_000);

  it('accepts a PDF and counts its pages', async () => {
    expect(checkIdScanContent(await pdf(2), ID_SCAN_MAX_BYTES, 'CCCD.pdf')).to.deep.equal({ mimeType: 'application/pdf', pages: 2 });
    expect(checkIdScanContent(await pdf(1), ID_SCAN_MAX_BYTES)).to.deep.equal({ mimeType: 'application/pdf', pages: 1 });
  });

  it('accepts a .docx whose ZIP holds [Content_Types].xml and word/document.xml', () => {
    expect(zipEntryNames(docx())).to.deep.equal(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    expect(checkIdScanContent(docx(), ID_SCAN_MAX_BYTES, 'cccd-2-mat.docx')).to.deep.equal({ mimeType: DOCX, pages: null });
    expect(checkIdScanContent(docx(), ID_SCAN_MAX_BYTES, null)).to.deep.equal({ mimeType: DOCX, pages: null });
  });

  it('accepts a .doc: an OLE2 compound file with a WordDocument stream', () => {
    const doc = ole2(['WordDocument', '1Table', '\u0005SummaryInformation']);
    expect(ole2EntryNames(doc)).to.deep.equal(['Root Entry', 'WordDocument', '1Table', '\u0005SummaryInformation']);
    expect(checkIdScanContent(doc, ID_SCAN_MAX_BYTES, 'CCCD.DOC')).to.deep.equal({ mimeType: 'application/msword', pages: null });
  });

  it('refuses an empty file', () => {
    expect(refusal(Buffer.alloc(0), 'CCCD.pdf')).to.include({ status: 400, code: 'FILE_EMPTY' });
  });

  it('refuses a file over the limit, saying the limit and the size', async () => {
    const big = Buffer.concat([await pdf(1), Buffer.alloc(ID_SCAN_MAX_BYTES, 0x20)]);
    const e = refusal(big, 'CCCD.pdf');
    expect(e).to.include({ status: 413, code: 'FILE_TOO_LARGE' });
    expect(e.vi).to.match(/^Tệp bản quét CCCD\/CMND quá lớn \(hơn 5 MB\)/).and.include('tối đa cho phép là 5 MB');
    expect(e.details).to.deep.equal({ maxBytes: ID_SCAN_MAX_BYTES, bytes: big.length });
    const e2 = refusal(Buffer.alloc(ID_SCAN_MAX_BYTES + 1_000_000, 0x25), 'CCCD.pdf');
    expect(e2.vi).to.include('(6 MB)');
    // Exactly the limit passes the size check.
    const exact = await pdf(1);
    expect(checkIdScanContent(exact, exact.length, 'x.pdf').mimeType).to.equal('application/pdf');
  });

  it('refuses a .pdf that is really a PNG, saying what it is', () => {
    const e = refusal(PNG, 'CCCD.pdf');
    expect(e).to.include({ status: 415, code: 'FILE_EXTENSION_MISMATCH' });
    expect(e.vi).to.match(/^Tệp “CCCD\.pdf” có đuôi \.pdf nhưng nội dung thực chất là ảnh PNG/);
  });

  it('refuses a .doc that is really a .docx, and a .docx that is really a PDF', async () => {
    const e = refusal(docx(), 'CCCD.doc');
    expect(e).to.include({ status: 415, code: 'FILE_EXTENSION_MISMATCH' });
    expect(e.vi).to.include('nội dung thực chất là văn bản Word (.docx)').and.include('(.docx)');
    const e2 = refusal(await pdf(1), 'CCCD.docx');
    expect(e2.code).to.equal('FILE_EXTENSION_MISMATCH');
    expect(e2.vi).to.include('nội dung thực chất là PDF');
  });

  it('refuses unsupported content, whatever the name', () => {
    const e = refusal(PNG, 'anh-cccd.png');
    expect(e).to.include({ status: 415, code: 'UNSUPPORTED_FILE_TYPE' });
    expect(e.vi).to.match(/^Tệp này là ảnh PNG, không được nhận\. Chỉ nhận một tệp Word \(\.doc, \.docx\) hoặc PDF/);
    const unknown = refusal(Buffer.from('chỉ là văn bản thuần'), undefined);
    expect(unknown).to.include({ status: 415, code: 'UNSUPPORTED_FILE_TYPE' });
    expect(unknown.vi).to.match(/^Nội dung tệp không phải văn bản Word hay PDF/);
  });

  it('refuses a .docx that is a ZIP of something else (a workbook, any archive)', () => {
    const e = refusal(xlsx(), 'CCCD.docx');
    expect(e).to.include({ status: 415, code: 'FILE_EXTENSION_MISMATCH' });
    expect(e.vi).to.include('bảng tính Excel (.xlsx)');
    const plainZip = refusal(zip({ 'mat-truoc.jpg': 'x', 'mat-sau.jpg': 'y' }), undefined);
    expect(plainZip).to.include({ status: 415, code: 'UNSUPPORTED_FILE_TYPE' });
    expect(plainZip.vi).to.include('tệp nén ZIP');
    // Content types alone are not a Word document.
    expect(refusal(zip({ '[Content_Types].xml': CONTENT_TYPES }), 'a.docx').code).to.equal('FILE_EXTENSION_MISMATCH');
  });

  it('refuses a .doc that is an OLE2 file without a WordDocument stream (an .xls)', () => {
    const e = refusal(ole2(['Workbook', '\u0005SummaryInformation']), 'CCCD.doc');
    expect(e).to.include({ status: 415, code: 'FILE_EXTENSION_MISMATCH' });
    expect(e.vi).to.include('bảng tính Excel cũ (.xls)');
    const unnamed = refusal(ole2(['EncryptedPackage', 'EncryptionInfo']));
    expect(unnamed).to.include({ status: 415, code: 'UNSUPPORTED_FILE_TYPE' });
    expect(unnamed.vi).to.include('được đặt mật khẩu');
  });

  it('refuses a cut-off PDF, ZIP or OLE2 file', async () => {
    const whole = await pdf(1);
    expect(refusal(whole.subarray(0, whole.length - 1100), 'CCCD.pdf')).to.include({ status: 400, code: 'PDF_TRUNCATED' });
    const d = docx();
    const e = refusal(d.subarray(0, d.length - 30), 'CCCD.docx');
    expect(e).to.include({ status: 400, code: 'FILE_DAMAGED' });
    expect(e.vi).to.match(/bị hỏng hoặc không trọn vẹn/);
    expect(refusal(ole2(['WordDocument']).subarray(0, 700), 'CCCD.doc')).to.include({ status: 400, code: 'FILE_DAMAGED' });
  });

  it('is a ContentCheck the file store can use with its own limit', () => {
    const e = refusal(docx(), 'CCCD.docx', 100);
    expect(e).to.include({ status: 413 });
    expect(e.vi).to.include('tối đa cho phép là 0,1 KB');
  });
});
