/**
 * The certification report's downloads carry the same figures as the JSON: the CSV (byte-order
 * mark, ';', bare numbers) parsed back, the workbook read back with exceljs (title, unit, period,
 * bold heading, number formats, totals), and the printed PDF's text as poppler extracts it.
 */
import { expect } from 'chai';
import { Workbook } from 'exceljs';
import { pdfText, poppler, saveTemp } from '../support/pdfTools';
import { createTestOfficer, sessionFor, startTestApp, type TestApp } from '../support/identityApp';
import { EXPECTED, seedReportCases } from './reportCases';

const QUERY = 'from=2026-10-01&to=2026-12-01';
const FIGURE_KEYS = ['received', 'completed', 'completedOnTime', 'completedLate', 'refused', 'withdrawn', 'openAtEnd', 'copiesIssued', 'feeReceipts', 'feesCollectedVnd'] as const;

async function download(app: TestApp, token: string, query: string): Promise<{ status: number; type: string; disposition: string; bytes: Buffer }> {
  const res = await fetch(`${app.baseUrl}/api/reports/certification?${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

/** RFC 4180 with ';' between cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('certification report: CSV, Excel and PDF downloads', function () {
  this.timeout(60_000);
  let app: TestApp;
  let token: string;

  before(async () => {
    app = await startTestApp();
    await seedReportCases(app.ctx.db, app.org);
    token = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'binh.dt', fullName: 'Đỗ Thanh Bình', rights: ['CERT_REPORT'], unitIds: [app.org.district] }));
  });
  after(async () => {
    await app?.close();
  });

  it('writes a CSV with a byte-order mark, Vietnamese headings, ";" and bare numbers that read back as the report’s figures', async () => {
    const res = await download(app, token, `unitId=${app.org.district}&${QUERY}&format=csv`);
    expect(res.status).to.equal(200);
    expect(res.type).to.equal('text/csv; charset=utf-8');
    expect(res.disposition).to.contain('attachment').and.contain('bao-cao-chung-thuc_000.00.43.H35_2026-10-01_2026-11-30.csv');
    expect([...res.bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(res.bytes.subarray(3).toString('utf8'));
    expect(rows[0]).to.deep.equal([
      'STT',
      'Mã đơn vị',
      'Đơn vị',
      'Số hồ sơ tiếp nhận',
      'Số hồ sơ hoàn thành',
      'Hoàn thành đúng hạn',
      'Hoàn thành trễ hạn',
      'Từ chối chứng thực',
      'Công dân rút hồ sơ',
      'Đang giải quyết cuối kỳ',
      'Số bản sao đã cấp',
      'Số biên lai thu phí',
      'Phí đã thu (đồng)',
    ]);
    expect(rows).to.have.length(4);
    const expected = [
      ['1', '000.15.43.H35', 'UBND xã Nùng Năng', EXPECTED.communeA],
      ['2', '000.16.43.H35', 'UBND xã Bản Bo', EXPECTED.communeB],
      ['', '', 'Tổng cộng', EXPECTED.total],
    ] as const;
    expected.forEach(([no, code, name, figures], i) => {
      const row = rows[i + 1] as string[];
      expect(row.slice(0, 3)).to.deep.equal([no, code, name]);
      // Every figure is a plain integer, so Excel in any locale reads it as a number.
      for (const cell of row.slice(3)) expect(cell).to.match(/^\d+$/);
      expect(row.slice(3).map(Number)).to.deep.equal(FIGURE_KEYS.map((k) => figures[k]));
    });
  });

  it('adds the month to each CSV line when the report is by month', async () => {
    const res = await download(app, token, `unitId=${app.org.district}&${QUERY}&format=csv&groupBy=month`);
    const rows = parseCsv(res.bytes.subarray(3).toString('utf8'));
    expect(rows[0].slice(0, 4)).to.deep.equal(['STT', 'Tháng', 'Mã đơn vị', 'Đơn vị']);
    expect(rows.slice(1).map((r) => [r[1], r[3], Number(r[4])])).to.deep.equal([
      ['Tháng 10/2026', 'UBND xã Nùng Năng', 3],
      ['Tháng 10/2026', 'UBND xã Bản Bo', 1],
      ['Tháng 10/2026', 'Cộng tháng 10/2026', 4],
      ['Tháng 11/2026', 'UBND xã Nùng Năng', 5],
      ['Tháng 11/2026', 'UBND xã Bản Bo', 2],
      ['Tháng 11/2026', 'Cộng tháng 11/2026', 7],
      ['', 'Tổng cộng', 11],
    ]);
  });

  it('writes a workbook with the title, unit and period, a bold heading, number formats and the totals', async () => {
    const res = await download(app, token, `unitId=${app.org.district}&${QUERY}&format=xlsx`);
    expect(res.status).to.equal(200);
    expect(res.type).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.disposition).to.contain('bao-cao-chung-thuc_000.00.43.H35_2026-10-01_2026-11-30.xlsx');
    const wb = new Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Báo cáo chứng thực');
    expect(sheet, 'sheet').to.not.equal(undefined);
    const ws = sheet!;
    expect(ws.getCell('A1').value).to.equal('BÁO CÁO TÌNH HÌNH THỰC HIỆN DỊCH VỤ CÔNG CHỨNG THỰC ĐIỆN TỬ');
    expect(ws.getCell('A1').font?.bold).to.equal(true);
    expect(ws.getCell('A2').value).to.equal('Đơn vị: UBND huyện Tam Đường (000.00.43.H35)');
    expect(ws.getCell('A3').value).to.equal('Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 30/11/2026');

    const heading = ws.getRow(6);
    const headings = (heading.values as unknown[]).slice(1);
    expect(headings.slice(0, 4)).to.deep.equal(['STT', 'Mã đơn vị', 'Đơn vị', 'Số hồ sơ tiếp nhận']);
    expect(headings).to.include('Tỷ lệ đúng hạn').and.include('Phí đã thu (đồng)');
    heading.eachCell((cell) => expect(cell.font?.bold, String(cell.value)).to.equal(true));
    const column = (name: string) => headings.indexOf(name) + 1;

    const lines = [
      [7, 'UBND xã Nùng Năng', EXPECTED.communeA],
      [8, 'UBND xã Bản Bo', EXPECTED.communeB],
      [9, 'Tổng cộng', EXPECTED.total],
    ] as const;
    const names: Record<(typeof FIGURE_KEYS)[number], string> = {
      received: 'Số hồ sơ tiếp nhận',
      completed: 'Số hồ sơ hoàn thành',
      completedOnTime: 'Hoàn thành đúng hạn',
      completedLate: 'Hoàn thành trễ hạn',
      refused: 'Từ chối chứng thực',
      withdrawn: 'Công dân rút hồ sơ',
      openAtEnd: 'Đang giải quyết cuối kỳ',
      copiesIssued: 'Số bản sao đã cấp',
      feeReceipts: 'Số biên lai thu phí',
      feesCollectedVnd: 'Phí đã thu (đồng)',
    };
    for (const [rowNo, name, figures] of lines) {
      const row = ws.getRow(rowNo);
      expect(row.getCell(column('Đơn vị')).value).to.equal(name);
      for (const key of FIGURE_KEYS) {
        const cell = row.getCell(column(names[key]));
        expect(cell.value, `${name} ${key}`).to.equal(figures[key]);
        expect(cell.numFmt, `${name} ${key}`).to.equal('#,##0');
      }
      const rate = row.getCell(column('Tỷ lệ đúng hạn'));
      expect(rate.value as number).to.be.closeTo(figures.onTimeRate as number, 1e-12);
      expect(rate.numFmt).to.equal('0.0%');
    }
    expect(ws.getRow(9).getCell(column('Đơn vị')).font?.bold).to.equal(true);
    expect(ws.getRow(7).getCell(column('Đơn vị')).font?.bold).to.not.equal(true);
    expect(ws.rowCount).to.equal(9);
    expect(ws.getColumn(column('Đơn vị')).width).to.be.greaterThan(20);
    expect(ws.pageSetup.orientation).to.equal('landscape');
  });

  it('prints an A4 landscape PDF with the national heading, title, unit, period, totals and signatures', async () => {
    const res = await download(app, token, `unitId=${app.org.district}&${QUERY}&format=pdf`);
    expect(res.status).to.equal(200);
    expect(res.type).to.equal('application/pdf');
    expect(res.disposition).to.match(/^inline;/).and.contain('bao-cao-chung-thuc_000.00.43.H35_2026-10-01_2026-11-30.pdf');
    const file = saveTemp(res.bytes, 'bao-cao');
    expect(poppler('pdfinfo', [file])).to.match(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const text = pdfText(file, undefined, false).replace(/\s+/g, ' ');
    for (const part of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UBND TỈNH LAI CHÂU',
      'UBND HUYỆN TAM ĐƯỜNG',
      'BÁO CÁO TÌNH HÌNH THỰC HIỆN DỊCH VỤ CÔNG CHỨNG THỰC ĐIỆN TỬ',
      'Đơn vị báo cáo: UBND huyện Tam Đường (000.00.43.H35)',
      'Kỳ báo cáo: từ ngày 01/10/2026 đến ngày 30/11/2026',
      'UBND xã Nùng Năng',
      'UBND xã Bản Bo',
      'THỦ TRƯỞNG ĐƠN VỊ',
      'NGƯỜI LẬP BÁO CÁO',
      'Đỗ Thanh Bình',
      // The clock of the test app: Monday 23 November 2026.
      'Tam Đường, ngày 23 tháng 11 năm 2026',
    ]) {
      expect(text, part).to.contain(part);
    }
    // Table lines as laid out: received, completed, on time, late, rate, refused, withdrawn, open, copies, receipts, fees.
    const lines = pdfText(file).split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
    expect(lines).to.include('1 UBND xã Nùng Năng 8 5 3 2 60,0% 1 1 3 8 3 13.000');
    expect(lines).to.include('2 UBND xã Bản Bo 3 2 1 1 50,0% 0 0 1 5 1 10.000');
    expect(lines).to.include('Tổng cộng 11 7 4 3 57,1% 1 1 4 13 4 23.000');
    // One page: no page numbers.
    expect(text).to.not.contain('Trang 1/');
  });
});
