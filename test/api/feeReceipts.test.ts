/**
 * Fee receipts through the REST API, on the real workflow: the amount is the domain fee of the
 * case's originals (never the client's), the receipt records who collected it and when (the API
 * clock), one receipt per case, none for a refused case or a case of another commune, and
 * receipt numbers run per commune and year without gaps. The receipt prints as the payer's paper,
 * the register lists a commune's receipts, and the certification report counts them.
 */
import { expect } from 'chai';
import { certificationFee } from '../../domain/fees';
import type { CaseView } from '../../workflows/certification/types';
import { call, receptionBody, startCaseApp, type CaseApp } from '../support/caseApp';
import { createTestOfficer, login } from '../support/identityApp';
import { pdfText, saveTemp } from '../support/pdfTools';

interface Receipt {
  receiptNo: string;
  caseCode: string;
  amountVnd: number;
  amountText: string;
  method: string;
  payerName: string;
  note: string | null;
  collectedBy: { id: string; fullName: string };
  collectedAt: string;
}

const seqOf = (receiptNo: string) => Number(/^BL-2026-(\d{6})$/.exec(receiptNo)?.[1]);

describe('API fee receipts', function () {
  this.timeout(60_000);
  let app: CaseApp;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  before(async () => {
    app = await startCaseApp({ otpRequired: false });
    const { org } = app;
    const officer = async (name: string, fullName: string, rights: Parameters<typeof createTestOfficer>[1]['rights'], unitIds: string[]) => {
      ids[name] = await createTestOfficer(app.ctx.db, { username: `${name}.fee`, fullName, rights, unitIds });
      tokens[name] = await login(app, `${name}.fee`);
    };
    await officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [org.deskA]);
    await officer('other', 'Vàng Thị Thảo', ['CERT_CREATE'], [org.deskB]);
    await officer('reporter', 'Hoàng Minh Kiểm', ['CERT_REPORT'], [org.district]);
  });
  after(async () => {
    await app?.close();
  });

  async function receive(who = 'receiver', unitId = app.org.deskA, overrides: Record<string, unknown> = {}): Promise<CaseView> {
    const res = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens[who], body: receptionBody(unitId, overrides) });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }

  function collect(code: string, body: unknown, who = 'receiver') {
    return call<Receipt & { error: { code: string; message: string; details: { receipt: Receipt } } }>(app, 'POST', `/api/cases/${code}/fee-receipt`, { token: tokens[who], body });
  }

  async function collected(code: string, body: unknown = { method: 'cash' }, who = 'receiver'): Promise<Receipt> {
    const res = await collect(code, body, who);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }

  it('charges the fee of the originals, not an amount from the request: 3 pages × 2 copies is (2 × 2.000 + 1.000) × 2 = 10.000 đồng', async () => {
    const v = await receive();
    const expected = certificationFee({ pages: 3, copies: 2 }).totalVnd;
    expect(expected).to.equal(10_000);
    const r = await collected(v.caseCode, { method: 'cash', amountVnd: 1 });
    expect(r).to.include({ caseCode: v.caseCode, amountVnd: 10_000, amountText: '10.000 đồng', method: 'cash', payerName: 'Giàng A Páo' });
    expect(r.amountVnd).to.equal(v.fee.totalVnd);
  });

  it('caps each copy at 200.000 đồng and sums several originals', async () => {
    const capped = await receive('receiver', app.org.deskA, { documents: [{ type: 'Sổ địa chính', issuer: 'UBND huyện', pages: 250, copies: 1 }] });
    expect((await collected(capped.caseCode)).amountText).to.equal('200.000 đồng');
    const two = await receive('receiver', app.org.deskA, {
      documents: [
        { type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 3 },
        { type: 'Học bạ', issuer: 'Trường THCS Nùng Năng', pages: 12, copies: 2 },
      ],
    });
    const r = await collected(two.caseCode, { method: 'transfer' });
    const expected = certificationFee({ pages: 1, copies: 3 }).totalVnd + certificationFee({ pages: 12, copies: 2 }).totalVnd;
    expect(r).to.include({ amountVnd: expected, amountText: '34.000 đồng', method: 'transfer' });
  });

  it('records who collected it and when, from the API clock, and who paid; readers of the case see the receipt', async () => {
    const v = await receive();
    const missing = await call(app, 'GET', `/api/cases/${v.caseCode}/fee-receipt`, { token: tokens.reporter });
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal('FEE_NOT_COLLECTED');
    app.clock.advance(45 * 60_000);
    const at = app.clock.now().toISOString();
    const r = await collected(v.caseCode, { method: 'cash', payerName: '  Giàng   Thị Mỷ ', note: 'Nộp thay cho anh trai' });
    expect(r.collectedAt).to.equal(at);
    expect(r.collectedAt).to.not.equal(v.receivedAt);
    expect(r.collectedBy).to.deep.equal({ id: ids.receiver, fullName: 'Trần Ngọc Lan' });
    expect(r).to.include({ payerName: 'Giàng Thị Mỷ', note: 'Nộp thay cho anh trai' });
    const read = await call<Receipt>(app, 'GET', `/api/cases/${v.caseCode}/fee-receipt`, { token: tokens.reporter });
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal(r);
    const audit: Array<{ outcome: string; target: string; details: Record<string, unknown> }> = await app.ctx.db.query(
      `select outcome, target, details from audit_log where action = 'case.fee.collect' and target = $1`,
      [`case:${v.caseCode}`],
    );
    expect(audit).to.have.length(1);
    expect(audit[0].details).to.include({ receiptNo: r.receiptNo, amountVnd: 10_000, method: 'cash' });
  });

  it('makes one receipt per case: a second one is 409 FEE_ALREADY_COLLECTED with the first receipt, and uses no number', async () => {
    const a = await receive();
    const first = await collected(a.caseCode);
    const again = await collect(a.caseCode, { method: 'transfer' });
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('FEE_ALREADY_COLLECTED');
    expect(again.body.error.message).to.include(first.receiptNo);
    expect(again.body.error.details.receipt).to.deep.equal(first);
    const b = await receive();
    expect(seqOf((await collected(b.caseCode)).receiptNo)).to.equal(seqOf(first.receiptNo) + 1);
  });

  it('two officers collecting the same fee at once: one receipt, the other is told of it, and no number is lost', async () => {
    const a = await receive();
    const both = await Promise.all([collect(a.caseCode, { method: 'cash' }), collect(a.caseCode, { method: 'transfer' })]);
    expect(both.map((r) => r.status).sort()).to.deep.equal([201, 409]);
    const made = both.find((r) => r.status === 201)!.body as { receiptNo: string };
    expect(both.find((r) => r.status === 409)!.body.error.details.receipt.receiptNo).to.equal(made.receiptNo);
    const b = await receive();
    expect(seqOf((await collected(b.caseCode)).receiptNo)).to.equal(seqOf(made.receiptNo) + 1);
  });

  it('refuses a receipt for a refused case, and answers 400 for a missing or unknown method', async () => {
    const v = await receive();
    const refused = await call(app, 'POST', `/api/cases/${v.caseCode}/refuse`, { token: tokens.receiver, body: { ground: 'DAMAGED', note: 'Bản chính rách, không đọc được' } });
    expect(refused.status, JSON.stringify(refused.body)).to.equal(200);
    const res = await collect(v.caseCode, { method: 'cash' });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('CASE_CLOSED');
    expect(res.body.error.message).to.match(/từ chối.*không thu lệ phí/);
    const fresh = await receive();
    for (const body of [{}, { method: 'card' }]) {
      const bad = await collect(fresh.caseCode, body);
      expect(bad.status).to.equal(400);
      expect(bad.body.error.message).to.include('Hình thức nộp: ').and.not.include('(method)');
    }
    const rows: unknown[] = await app.ctx.db.query('select 1 from fee_receipts where case_code = any($1)', [[v.caseCode, fresh.caseCode]]);
    expect(rows).to.deep.equal([]);
  });

  it('hides a case of another commune (404) and numbers each commune’s receipts on its own', async () => {
    const a = await receive();
    const outside = await collect(a.caseCode, { method: 'cash' }, 'other');
    expect(outside.status).to.equal(404);
    expect(outside.body.error.code).to.equal('CASE_NOT_FOUND');
    const read = await call(app, 'GET', `/api/cases/${a.caseCode}/fee-receipt`, { token: tokens.other });
    expect(read.status).to.equal(404);
    expect(read.body.error.code).to.equal('CASE_NOT_FOUND');

    const b1 = await collected((await receive('other', app.org.deskB)).caseCode, { method: 'cash' }, 'other');
    const a1 = await collected(a.caseCode);
    const b2 = await collected((await receive('other', app.org.deskB)).caseCode, { method: 'cash' }, 'other');
    expect(b1.receiptNo).to.equal('BL-2026-000001');
    expect(b2.receiptNo).to.equal('BL-2026-000002');
    expect(seqOf(a1.receiptNo)).to.be.greaterThan(1);
  });

  it('prints the receipt as the payer’s paper — number, payer, amount in figures and words — saved under its number and case', async () => {
    const v = await receive();
    const notYet = await call(app, 'GET', `/api/cases/${v.caseCode}/fee-receipt/pdf`, { token: tokens.receiver });
    expect(notYet.status).to.equal(404);
    expect(notYet.body.error.code).to.equal('FEE_NOT_COLLECTED');
    const r = await collected(v.caseCode, { method: 'transfer', payerName: 'Giàng Thị Mỷ' });
    const res = await fetch(`${app.baseUrl}/api/cases/${v.caseCode}/fee-receipt/pdf`, { headers: { authorization: `Bearer ${tokens.reporter}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/pdf');
    expect(res.headers.get('content-disposition')).to.include(`filename="bien-lai-${r.receiptNo}-${v.caseCode}.pdf"`);
    const text = pdfText(saveTemp(Buffer.from(await res.arrayBuffer()), 'bien-lai')).replace(/\s+/g, ' ');
    expect(text)
      .to.include('BIÊN LAI THU PHÍ CHỨNG THỰC')
      .and.include(`Số: ${r.receiptNo}`)
      .and.include(`Mã hồ sơ: ${v.caseCode}`)
      .and.include('Họ và tên người nộp tiền: Giàng Thị Mỷ')
      .and.include('Số tiền: 10.000 đồng')
      .and.include('Mười nghìn đồng')
      .and.include('Chuyển khoản')
      .and.include('Trần Ngọc Lan');
    const outside = await call(app, 'GET', `/api/cases/${v.caseCode}/fee-receipt/pdf`, { token: tokens.other });
    expect(outside.status).to.equal(404);
    expect(outside.body.error.code).to.equal('CASE_NOT_FOUND');
    const printed: Array<{ outcome: string; status: number }> = await app.ctx.db.query(`select outcome, status from audit_log where action = 'case.fee.print' and target = $1 order by seq`, [`case:${v.caseCode}`]);
    expect(printed.map((a) => a.status)).to.deep.equal([404, 200, 404]);
  });

  it('lists a commune’s receipts of the year in number order with the total collected, for the register’s readers', async () => {
    const stored: Array<{ receipt_no: string; amount_vnd: number; payer_name: string }> = await app.ctx.db.query(
      'select receipt_no, amount_vnd, payer_name from fee_receipts where unit_id = $1 and year = 2026 order by seq',
      [app.org.communeA],
    );
    expect(stored.length).to.be.greaterThan(3);
    // The desk stands for its commune, as in the register of numbers.
    const list = await call(app, 'GET', `/api/register/fee-receipts?unitId=${app.org.deskA}&year=2026&pageSize=3`, { token: tokens.reporter });
    expect(list.status, JSON.stringify(list.body)).to.equal(200);
    expect(list.body).to.deep.include({ unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' }, year: 2026, total: stored.length, page: 1, pageSize: 3 });
    expect(list.body.totalVnd).to.equal(stored.reduce((n, r) => n + r.amount_vnd, 0));
    expect(list.body.items.map((i: Receipt) => [i.receiptNo, i.amountVnd, i.payerName])).to.deep.equal(stored.slice(0, 3).map((r) => [r.receipt_no, r.amount_vnd, r.payer_name]));
    expect(list.body.items[0]).to.include({ amountText: `${stored[0]!.amount_vnd.toLocaleString('de-DE')} đồng` });
    const second = await call(app, 'GET', `/api/register/fee-receipts?unitId=${app.org.communeA}&year=2026&pageSize=3&page=2`, { token: tokens.reporter });
    expect(second.body.items[0].receiptNo).to.equal(stored[3]!.receipt_no);
    expect((await call(app, 'GET', `/api/register/fee-receipts?unitId=${app.org.communeA}&year=2025`, { token: tokens.reporter })).body.total).to.equal(0);
    const desk = await call(app, 'GET', `/api/register/fee-receipts?unitId=${app.org.communeA}`, { token: tokens.receiver });
    expect(desk.status).to.equal(403);
    expect(desk.body.error.code).to.equal('RIGHT_REQUIRED');
  });

  it('counts the receipts in the certification report: fee receipts and fees collected of the period, per commune', async () => {
    const stored: Array<{ unit_id: string; n: number; vnd: number }> = await app.ctx.db.query(
      'select unit_id, count(*)::int as n, sum(amount_vnd)::int as vnd from fee_receipts group by unit_id',
    );
    const byUnit = new Map(stored.map((r) => [r.unit_id, r]));
    const report = await call(app, 'GET', `/api/reports/certification?unitId=${app.org.district}&from=2026-11-01&to=2026-12-01`, { token: tokens.reporter });
    expect(report.status, JSON.stringify(report.body)).to.equal(200);
    const row = (unitId: string) => report.body.rows.find((r: { unit: { id: string } }) => r.unit.id === unitId).figures;
    expect(row(app.org.communeA)).to.include({ feeReceipts: byUnit.get(app.org.communeA)!.n, feesCollectedVnd: byUnit.get(app.org.communeA)!.vnd });
    expect(row(app.org.communeB)).to.include({ feeReceipts: byUnit.get(app.org.communeB)!.n, feesCollectedVnd: byUnit.get(app.org.communeB)!.vnd });
    expect(report.body.total.feeReceipts).to.equal(stored.reduce((n, r) => n + r.n, 0));
    expect(report.body.total.feesCollectedVnd).to.be.greaterThan(0);
    // Receipts count in the period they were issued in, not another.
    const october = await call(app, 'GET', `/api/reports/certification?unitId=${app.org.district}&from=2026-10-01&to=2026-11-01`, { token: tokens.reporter });
    expect(october.body.total).to.include({ feeReceipts: 0, feesCollectedVnd: 0 });
  });
});
