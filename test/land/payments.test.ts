/**
 * Land financial obligations over REST on the real workflow, the local tax-authority service and
 * the local payment page: lookup by dossier code + ID through the adapter (and its clear refusals),
 * a payment approved on the gateway page (receipt PDF in the citizen's documents, SMS, receipt
 * accepted by the locality), declined, a callback replayed, forged or with another amount, and a
 * locality that refuses twice — or long enough to raise the alert once — before it accepts.
 */
import { expect } from 'chai';
import { installAlertRaiser } from '../../infra/alerts/alertHook';
import type { AlertInput } from '../../infra/alerts/raiseAlert';
import { signed } from '../../infra/payment/signing';
import type { LandDossier } from '../../domain/landObligations';
import { portalCitizen, citizenToken } from '../support/appointments';
import { call, startCaseApp, type CaseApp, clockAtEngineTime } from '../support/caseApp';
import { attachLandServices, TEST_MERCHANT, TEST_PAYMENT_SECRET, type LandTestServices } from '../support/land';
import { pdfText, saveTemp } from '../support/pdfTools';
import { createTestOfficer, sessionFor } from '../support/identityApp';

const DOSSIER = 'H35.15-DD-2026-000123';
const ID = '012090001234';

/** A dossier of its own for each test, so each has unpaid notices. */
function dossier(n: number, items: Array<[string, number]>): LandDossier {
  return {
    dossierCode: `H35.15-DD-2026-T${String(n).padStart(5, '0')}`,
    idNumber: ID,
    taxpayer: 'Giàng A Páo',
    property: { address: 'Bản Nùng Năng, xã Nùng Năng', parcel: String(100 + n), mapSheet: '17', areaM2: 120 },
    locality: { unitCode: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
    notices: items.map(([content, amountVnd], i) => ({ noticeNumber: `TB-${n}-${i + 1}`, taxpayer: 'Giàng A Páo', items: [{ content, amountVnd }], totalVnd: amountVnd })),
  };
}

describe('Land financial obligations: lookup and payment', function () {
  this.timeout(240_000);
  let app: CaseApp;
  let land: LandTestServices;
  let token: string;
  let phone: string;
  let desk: string;
  let otherDesk: string;
  const alerts: AlertInput[] = [];

  before(async () => {
    app = await startCaseApp();
    await clockAtEngineTime(app);
    land = await attachLandServices(app);
    const citizen = await portalCitizen(app, 'Giàng A Páo');
    token = await citizenToken(app, citizen);
    phone = ((await app.ctx.db.query('select phone from citizen_accounts where id = $1', [citizen.accountId])) as Array<{ phone: string }>)[0]!.phone;
    desk = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'mc.nungnang', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] }));
    otherDesk = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'mc.banbo', rights: ['CERT_CREATE'], unitIds: [app.org.deskB] }));
    installAlertRaiser(async (a) => {
      alerts.push(a);
      return undefined as never;
    });
  });
  after(async () => {
    installAlertRaiser(undefined);
    await land?.close();
    await app?.close();
  });

  const lookup = (body: unknown) => call(app, 'POST', '/api/citizen/land-obligations/lookup', { token, body });
  const status = async (orderId: string) => (await call(app, 'GET', `/api/citizen/land-payments/${orderId}`, { token })).body;
  async function settle(orderId: string, until: (p: { status: string; delivery: string }) => boolean): Promise<Record<string, unknown> & { status: string; delivery: string }> {
    for (let i = 0; i < 300; i++) {
      const p = await status(orderId);
      if (until(p)) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`payment ${orderId} never settled: ${JSON.stringify(await status(orderId))}`);
  }

  /** Starts the payment of a notice and answers the gateway page's choice as the citizen's browser would. */
  async function payThroughPage(dossierCode: string, noticeNumber: string, decision: 'approve' | 'cancel'): Promise<string> {
    const started = await call(app, 'POST', '/api/citizen/land-payments', { token, body: { dossierCode, idNumber: ID, noticeNumber } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    const html = await (await fetch(started.body.payUrl)).text();
    expect(html).to.contain('Thanh toán').and.to.contain('Hủy');
    const form = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
    form.set('decision', decision);
    const back = await fetch(`${land.page.url}/pay/local/result`, { method: 'POST', body: form, redirect: 'manual' });
    expect(back.status).to.equal(303);
    expect(back.headers.get('location')).to.equal(`${app.baseUrl}/#/portal/dat-dai/ket-qua/${started.body.orderId}`);
    return started.body.orderId as string;
  }

  function callback(orderId: string, over: Record<string, string> = {}, secret = TEST_PAYMENT_SECRET): Record<string, string> {
    return signed({ merchant: TEST_MERCHANT, orderId, amount: '0', txnRef: `TX${orderId.slice(-6)}`, responseCode: '00', payDate: new Date().toISOString(), ...over }, secret);
  }

  it('looks a dossier up by code + ID through the tax authority’s adapter: the property and the seed’s table of notices', async () => {
    const res = await lookup({ dossierCode: DOSSIER.toLowerCase(), idNumber: '0120 9000 1234' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.taxpayer).to.equal('Giàng A Páo');
    expect(res.body.property.address).to.contain('Nùng Năng');
    expect(res.body.notices.map((n: { items: Array<{ content: string }>; totalVnd: number; paid: boolean }) => [n.items[0]!.content, n.totalVnd, n.paid])).to.deep.equal([
      ['Lệ phí trước bạ nhà đất', 1_378_500, false],
      ['Thuế thu nhập từ chuyển nhượng bất động sản', 5_514_000, false],
    ]);
  });

  it('says clearly what is wrong: a malformed ID, an unknown code, a tax authority that does not answer', async () => {
    const bad = await lookup({ dossierCode: DOSSIER, idNumber: '12345' });
    expect([bad.status, bad.body.error.code]).to.deep.equal([400, 'INVALID_INPUT']);
    expect(bad.body.error.message).to.contain('12 chữ số');
    const unknown = await lookup({ dossierCode: 'H35.15-DD-2026-999999', idNumber: ID });
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, 'LAND_DOSSIER_NOT_FOUND']);
    expect(unknown.body.error.message).to.contain('Không tìm thấy hồ sơ H35.15-DD-2026-999999');
    const otherId = await lookup({ dossierCode: DOSSIER, idNumber: '012090009999' });
    expect(otherId.status, 'the code with someone else’s ID is not found either').to.equal(404);
    const live = app.ctx.land!;
    const { HttpTaxAuthority } = await import('../../infra/landTax/taxAuthority');
    app.ctx.land = { ...live, tax: new HttpTaxAuthority({ url: 'http://127.0.0.1:9', timeoutMs: 1000 }) };
    try {
      const down = await lookup({ dossierCode: DOSSIER, idNumber: ID });
      expect([down.status, down.body.error.code]).to.deep.equal([503, 'TAX_AUTHORITY_UNAVAILABLE']);
      expect(down.body.error.message).to.contain('cơ quan thuế tạm thời không trả lời');
    } finally {
      app.ctx.land = live;
    }
  });

  it('pays a notice on the gateway page: paid, receipt PDF in “Giấy tờ của tôi”, SMS, receipt accepted by the locality; the desk sees it', async () => {
    const orderId = await payThroughPage(DOSSIER, 'LPTB-2026-0001', 'approve');
    const paid = await settle(orderId, (p) => p.delivery === 'delivered');
    expect([paid.status, paid.amountVnd]).to.deep.equal(['paid', 1_378_500]);
    expect(paid.receiptNo).to.match(/^BL-DD-\d{4}-\d{6}$/);
    const docs = await call(app, 'GET', '/api/citizen/documents', { token });
    const receipt = docs.body.items.find((d: { kind: string }) => d.kind === 'land_receipt');
    expect(receipt.title).to.contain(paid.receiptNo);
    const pdf = Buffer.from(await (await fetch(`${app.baseUrl}${receipt.downloadUrl}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    const text = pdfText(saveTemp(pdf, 'bien-lai'));
    expect(text).to.contain('BIÊN LAI THU NGHĨA VỤ TÀI CHÍNH VỀ ĐẤT ĐAI').and.to.contain('Lệ phí trước bạ nhà đất').and.to.contain('1.378.500');
    const sms: Array<{ body: string }> = await app.ctx.db.query(`select body from sms_outbox where to_phone = $1 and purpose = 'land_receipt'`, [phone]);
    expect(sms).to.have.length(1);
    expect(sms[0]!.body).to.contain(String(paid.receiptNo));
    expect(land.tax.received.map((r) => [r.orderId, r.receiptNo, r.amountVnd])).to.deep.equal([[orderId, paid.receiptNo, 1_378_500]]);
    const again = await lookup({ dossierCode: DOSSIER, idNumber: ID });
    expect(again.body.notices[0].paid).to.equal(true);
    const twice = await call(app, 'POST', '/api/citizen/land-payments', { token, body: { dossierCode: DOSSIER, idNumber: ID, noticeNumber: 'LPTB-2026-0001' } });
    expect([twice.status, twice.body.error.code]).to.deep.equal([409, 'LAND_NOTICE_ALREADY_PAID']);
    const seen = await call(app, 'GET', `/api/land-payments/${orderId}`, { token: desk });
    expect(seen.status, 'the one-stop desk of the commune sees its commune’s payment').to.equal(200);
    expect((await call(app, 'GET', `/api/land-payments/${orderId}`, { token: otherDesk })).status, 'another commune’s desk does not').to.equal(404);
    expect((await call(app, 'GET', '/api/land-payments', { token: otherDesk })).body.total).to.equal(0);
    expect(seen.body.events.map((e: { kind: string }) => e.kind)).to.deep.equal(['created', 'paid', 'receipt.issued', 'citizen.sms', 'locality.delivered']);
    const officerPdf = await fetch(`${app.baseUrl}/api/land-payments/${orderId}/receipt`, { headers: { authorization: `Bearer ${desk}` } });
    expect([officerPdf.status, officerPdf.headers.get('content-type')]).to.deep.equal([200, 'application/pdf']);
  });

  it('records a declined payment: no receipt, nothing sent to the locality, the notice can be paid again', async () => {
    const d = dossier(1, [['Tiền sử dụng đất', 2_000_000]]);
    land.tax.put(d);
    const before = land.tax.received.length;
    const orderId = await payThroughPage(d.dossierCode, 'TB-1-1', 'cancel');
    const declined = await settle(orderId, (p) => p.status !== 'created');
    expect([declined.status, declined.receiptNo, declined.delivery]).to.deep.equal(['declined', null, 'none']);
    expect(land.tax.received.length).to.equal(before);
    const retry = await call(app, 'POST', '/api/citizen/land-payments', { token, body: { dossierCode: d.dossierCode, idNumber: ID, noticeNumber: 'TB-1-1' } });
    expect(retry.status).to.equal(201);
    expect(retry.body.orderId).not.to.equal(orderId);
  });

  it('records one payment for a callback delivered twice, and refuses a forged signature or a changed amount', async () => {
    const d = dossier(2, [['Lệ phí trước bạ nhà đất', 750_000]]);
    land.tax.put(d);
    const started = await call(app, 'POST', '/api/citizen/land-payments', { token, body: { dossierCode: d.dossierCode, idNumber: ID, noticeNumber: 'TB-2-1' } });
    const orderId = started.body.orderId as string;
    const forged = await call(app, 'POST', '/api/land-payments/callback', { body: callback(orderId, { amount: '750000' }, 'someone-elses-secret-000000') });
    expect([forged.status, forged.body.error.code]).to.deep.equal([400, 'INVALID_SIGNATURE']);
    const tampered = { ...callback(orderId, { amount: '750000' }), amount: '1000' };
    const edited = await call(app, 'POST', '/api/land-payments/callback', { body: tampered });
    expect([edited.status, edited.body.error.code], 'an amount changed after signing breaks the signature').to.deep.equal([400, 'INVALID_SIGNATURE']);
    const otherSum = await call(app, 'POST', '/api/land-payments/callback', { body: callback(orderId, { amount: '1000' }) });
    expect([otherSum.status, otherSum.body.error.code], 'a signed result for another sum').to.deep.equal([400, 'AMOUNT_MISMATCH']);
    expect((await status(orderId)).status, 'nothing recorded').to.equal('created');
    const good = callback(orderId, { amount: '750000' });
    const first = await call(app, 'POST', '/api/land-payments/callback', { body: good });
    const second = await call(app, 'POST', '/api/land-payments/callback', { body: good });
    expect([first.status, first.body.outcome, second.status, second.body.outcome]).to.deep.equal([200, 'recorded', 200, 'duplicate']);
    await settle(orderId, (p) => p.delivery === 'delivered');
    const third = await call(app, 'POST', '/api/land-payments/callback', { body: good });
    expect(third.body.outcome).to.equal('duplicate');
    const events: Array<{ kind: string }> = await app.ctx.db.query(`select kind from land_payment_events where order_id = $1 and kind in ('paid', 'receipt.issued')`, [orderId]);
    expect(events.map((e) => e.kind)).to.deep.equal(['paid', 'receipt.issued']);
    expect(land.tax.received.filter((r) => r.orderId === orderId)).to.have.length(1);
    const audit: Array<{ outcome: string; n: number }> = await app.ctx.db.query(
      `select outcome, count(*)::int as n from audit_log where action = 'land.payment.callback' and target = $1 group by outcome order by outcome`,
      [`land-payment:${orderId}`],
    );
    expect(audit).to.deep.equal([{ outcome: 'refused', n: 3 }, { outcome: 'success', n: 3 }]);
  });

  it('delivers the receipt to the locality after two refusals; after three the land-obligation alert is raised once and delivery goes on', async () => {
    const d = dossier(3, [['Lệ phí trước bạ nhà đất', 300_000], ['Thuế thu nhập từ chuyển nhượng bất động sản', 900_000]]);
    land.tax.put(d);
    land.tax.failNext(2);
    const first = await payThroughPage(d.dossierCode, 'TB-3-1', 'approve');
    const delivered = await settle(first, (p) => p.delivery === 'delivered');
    expect(delivered.status).to.equal('paid');
    const row: Array<{ delivery_attempts: number }> = await app.ctx.db.query('select delivery_attempts from land_payments where order_id = $1', [first]);
    expect(row[0]!.delivery_attempts, 'two refusals, accepted at the third attempt').to.equal(3);
    expect(alerts, 'no alert below the threshold').to.deep.equal([]);

    land.tax.failNext(5);
    const second = await payThroughPage(d.dossierCode, 'TB-3-2', 'approve');
    await settle(second, (p) => p.delivery === 'delivered');
    expect(alerts.map((a) => [a.kind, a.failureKey, a.unitId])).to.deep.equal([['land-obligation', `land-obligation:000.15.43.H35:${d.dossierCode}`, app.org.communeA]]);
    expect(alerts[0]!.title).to.contain('chưa gửi được');
    expect(land.tax.received.filter((r) => r.dossierCode === d.dossierCode)).to.have.length(2);
  });
});
