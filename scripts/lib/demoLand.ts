/**
 * The demo's land-obligation payment (seed 003 Phụ lục 1 step d): the demo citizen looks the demo
 * dossier up by Mã hồ sơ + CCCD, pays the first unpaid notice on the local payment page (the
 * "Thanh toán" button, as the browser would press it), and the demo waits for the receipt in the
 * citizen's documents and its delivery to the locality; lan.tn then sees it at the desk.
 */
import { DEMO_LAND_DOSSIERS } from '../../infra/landTax/localTaxService';

interface Answer<T> {
  status: number;
  body: T;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Request = <T = any>(method: string, url: string, options?: { token?: string; body?: unknown }) => Promise<Answer<T>>;
type Expect = <T>(what: string, answer: Answer<T>, status: number) => T;

interface Payment {
  orderId: string;
  status: string;
  amountVnd: number;
  receiptNo: string | null;
  delivery: string;
  payUrl?: string;
}

export async function landObligationPaid(api: string, request: Request, expectStatus: Expect, citizen: string, receiver: string): Promise<void> {
  const demo = DEMO_LAND_DOSSIERS[0]!;
  const ask = { dossierCode: demo.dossierCode, idNumber: demo.idNumber };
  const lookup = await request<{ notices: Array<{ noticeNumber: string; totalVnd: number; paid: boolean; items: Array<{ content: string }> }> }>('POST', '/api/citizen/land-obligations/lookup', { token: citizen, body: ask });
  if (lookup.status === 503) {
    console.log(`Nghĩa vụ tài chính đất đai: the tax authority does not answer (${JSON.stringify(lookup.body)}); skipped`);
    return;
  }
  const notices = expectStatus('POST /api/citizen/land-obligations/lookup', lookup, 200).notices;
  const notice = notices.find((n) => !n.paid);
  console.log(`\nNghĩa vụ tài chính đất đai:        ${demo.dossierCode} + ${demo.idNumber}: ${notices.map((n) => `${n.noticeNumber} ${n.items[0]?.content} ${n.totalVnd.toLocaleString('vi-VN')} đ${n.paid ? ' (đã nộp)' : ''}`).join('; ')}`);
  if (!notice) {
    console.log('  every notice of the demo dossier is already paid');
    return;
  }
  const started = await request<Payment>('POST', '/api/citizen/land-payments', { token: citizen, body: { ...ask, noticeNumber: notice.noticeNumber } });
  const order = expectStatus('POST /api/citizen/land-payments', started, started.status === 200 ? 200 : 201);
  // The gateway page, as the citizen's browser shows it; its "Thanh toán" button posts the form.
  const page = await (await fetch(order.payUrl!)).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
  form.set('decision', 'approve');
  const back = await fetch(new URL('/pay/local/result', order.payUrl!), { method: 'POST', body: form, redirect: 'manual' });
  if (back.status !== 303) throw new Error(`the payment page answered ${back.status}: ${await back.text()}`);
  let paid: Payment | undefined;
  for (let i = 0; i < 150; i++) {
    paid = expectStatus('GET /api/citizen/land-payments/:orderId', await request<Payment>('GET', `/api/citizen/land-payments/${order.orderId}`, { token: citizen }), 200);
    if (paid.delivery === 'delivered') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log(`  paid ${notice.noticeNumber}:           order ${order.orderId}, ${paid!.status}, ${paid!.amountVnd.toLocaleString('vi-VN')} đ, receipt ${paid!.receiptNo ?? '—'}, locality ${paid!.delivery}`);
  const desk = expectStatus('GET /api/land-payments', await request<{ total: number }>('GET', `/api/land-payments?dossierCode=${encodeURIComponent(demo.dossierCode)}`, { token: receiver }), 200);
  console.log(`  on screen: ${back.headers.get('location')} (citizen), ${api}/#/land-payments (desk: ${desk.total} payment(s) of the dossier)`);
}
