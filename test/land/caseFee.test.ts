/**
 * A certification case's fee paid online: the desk issues a payment link instead of collecting at
 * the counter, the citizen pays it on the gateway page, and the case gets its one fee receipt —
 * the commune's next number, "chuyển khoản", the officer who issued the link as collector, the
 * gateway's reference in the note — with the receipt PDF in the citizen's documents and an SMS.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, caseThrough, startCaseApp, type CaseApp, clockAtEngineTime } from '../support/caseApp';
import { answerOnPage, attachLandServices, type LandTestServices } from '../support/land';
import { createTestOfficer, sessionFor } from '../support/identityApp';

describe('Certification fee paid through the payment gateway', function () {
  this.timeout(240_000);
  let app: CaseApp;
  let land: LandTestServices;
  let receiverId: string;
  let receiver: string;

  before(async () => {
    app = await startCaseApp();
    await clockAtEngineTime(app);
    land = await attachLandServices(app);
    receiverId = await createTestOfficer(app.ctx.db, { username: 'mc.phi', fullName: 'Trần Ngọc Lan', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
    receiver = await sessionFor(app, receiverId);
  });
  after(async () => {
    await land?.close();
    await app?.close();
  });

  it('issues a link, and once paid the case has its fee receipt collected by the issuing officer, in the citizen’s documents', async () => {
    const code = await caseThrough(app, { receiver }, [], 'phi-truc-tuyen');
    const first = await call(app, 'POST', `/api/cases/${code}/fee-payment`, { token: receiver });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const again = await call(app, 'POST', `/api/cases/${code}/fee-payment`, { token: receiver });
    expect([again.status, again.body.orderId], 'the open link again').to.deep.equal([200, first.body.orderId]);
    const fee = (await call(app, 'GET', `/api/cases/${code}`, { token: receiver })).body.fee.totalVnd as number;
    expect(first.body.amountVnd).to.equal(fee);
    const back = await answerOnPage(land, first.body.payUrl, 'approve');
    expect(back).to.contain(`#/portal/dat-dai/ket-qua/${first.body.orderId}`);
    let receipt: { status: number; body: Record<string, unknown> & { collectedBy: { id: string }; note: string } } | undefined;
    for (let i = 0; i < 200; i++) {
      receipt = await call(app, 'GET', `/api/cases/${code}/fee-receipt`, { token: receiver });
      if (receipt.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(receipt!.status).to.equal(200);
    expect([receipt!.body.method, receipt!.body.amountVnd, receipt!.body.collectedBy.id]).to.deep.equal(['transfer', fee, receiverId]);
    expect(receipt!.body.receiptNo).to.match(/^BL-\d{4}-\d{6}$/);
    expect(receipt!.body.note).to.contain('Thanh toán trực tuyến').and.to.contain(first.body.orderId);
    let payment: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) {
      payment = (await call(app, 'GET', `/api/land-payments?dossierCode=${code}`, { token: receiver })).body.items[0];
      if (payment.receiptUrl) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([payment.purpose, payment.status, payment.receiptNo, payment.delivery]).to.deep.equal(['case_fee', 'paid', receipt!.body.receiptNo, 'none']);
    const docs: Array<{ path: string; holder_id: string }> = await app.ctx.db.query(`select path, holder_id from case_documents where case_code = $1 and kind = 'fee_receipt'`, [code]);
    expect(docs.map((d) => d.holder_id)).to.deep.equal(['012090001234']);
    expect(readFileSync(join(app.filesDir, docs[0]!.path)).subarray(0, 5).toString()).to.equal('%PDF-');
    let sms: Array<{ body: string }> = [];
    for (let i = 0; i < 100 && sms.length === 0; i++) {
      sms = await app.ctx.db.query(`select body from sms_outbox where dedupe_key = $1`, [`land-payment:${first.body.orderId}:receipt`]);
      if (sms.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sms[0]!.body).to.contain('phi chung thuc').and.to.contain(String(receipt!.body.receiptNo));
    const twice = await call(app, 'POST', `/api/cases/${code}/fee-payment`, { token: receiver });
    expect([twice.status, twice.body.error.code]).to.deep.equal([409, 'FEE_ALREADY_COLLECTED']);
    expect(land.tax.received.filter((r) => r.dossierCode === code), 'nothing goes to a locality').to.deep.equal([]);
  });

  it('keeps the counter’s receipt when the fee was collected in cash while the link was open', async () => {
    const code = await caseThrough(app, { receiver }, [], 'phi-tien-mat');
    const link = await call(app, 'POST', `/api/cases/${code}/fee-payment`, { token: receiver });
    const cash = await call(app, 'POST', `/api/cases/${code}/fee-receipt`, { token: receiver, body: { method: 'cash' } });
    expect(cash.status).to.equal(201);
    await answerOnPage(land, link.body.payUrl, 'approve');
    let events: string[] = [];
    for (let i = 0; i < 200 && !events.includes('fee.already_collected'); i++) {
      events = ((await app.ctx.db.query('select kind from land_payment_events where order_id = $1 order by seq', [link.body.orderId])) as Array<{ kind: string }>).map((e) => e.kind);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events).to.deep.equal(['created', 'paid', 'fee.already_collected']);
    const receipt = await call(app, 'GET', `/api/cases/${code}/fee-receipt`, { token: receiver });
    expect([receipt.body.receiptNo, receipt.body.method]).to.deep.equal([cash.body.receiptNo, 'cash']);
  });
});
