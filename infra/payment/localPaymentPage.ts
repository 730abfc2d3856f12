/**
 * The local payment gateway of a one-machine installation: a page at /pay/local that shows the
 * order and two buttons, "Thanh toán" (approve) and "Hủy" (decline). The choice is signed with the
 * merchant's secret, posted to the order's callback address server to server (as a gateway's IPN
 * is), and the browser is sent back to the portal's result page. A redirect whose signature does
 * not check is refused, so the page only ever shows orders our API created.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CANCELLED_CODE, PAID_CODE } from './paymentGateway';
import { signed, verify } from './signing';

export interface LocalPaymentPage {
  url: string;
  payUrl: string;
  port: number;
  close(): Promise<void>;
}

const FIELDS = ['merchant', 'orderId', 'amount', 'description', 'expiresAt', 'callbackUrl', 'returnUrl', 'secureHash'] as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const vnd = (amount: string) => `${Number(amount).toLocaleString('vi-VN')} đồng`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#eef2f7;margin:0}main{max-width:520px;margin:48px auto;background:#fff;border-radius:8px;padding:28px;box-shadow:0 2px 8px #0002}
h1{font-size:20px;color:#0b4f8a;margin-top:0}dl{display:grid;grid-template-columns:150px 1fr;gap:8px 12px}dt{color:#555}dd{margin:0;font-weight:600}
.row{display:flex;gap:12px;margin-top:24px}button{font-size:16px;padding:10px 22px;border-radius:6px;border:0;cursor:pointer}.pay{background:#0b7a3e;color:#fff}.cancel{background:#ddd}
.note{color:#666;font-size:13px;margin-top:20px}</style></head><body><main>${body}</main></body></html>`;
}

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function pick(source: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = source.get(f);
    if (v !== null) out[f] = v;
  }
  return out;
}

export async function startLocalPaymentPage(options: { secret: string; port?: number; host?: string }): Promise<LocalPaymentPage> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const refuse = (text: string) => void res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page('Lỗi', `<h1>Không thực hiện được</h1><p>${esc(text)}</p>`));
    if (req.method === 'GET' && url.pathname === '/pay/local') {
      const order = pick(url.searchParams);
      if (!verify(order, options.secret)) return refuse('Yêu cầu thanh toán không hợp lệ (chữ ký không đúng).');
      const hidden = Object.entries(order).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        page(
          'Cổng thanh toán',
          `<h1>Cổng thanh toán (thử nghiệm)</h1><dl><dt>Đơn vị nhận</dt><dd>${esc(order.merchant ?? '')}</dd><dt>Mã giao dịch</dt><dd>${esc(order.orderId ?? '')}</dd>
<dt>Nội dung</dt><dd>${esc(order.description ?? '')}</dd><dt>Số tiền</dt><dd id="amount">${esc(vnd(order.amount ?? '0'))}</dd></dl>
<form method="post" action="/pay/local/result">${hidden}<div class="row"><button class="pay" name="decision" value="approve">Thanh toán</button><button class="cancel" name="decision" value="cancel">Hủy</button></div></form>
<p class="note">Trang thanh toán cục bộ của hệ thống: không có tiền thật nào được chuyển.</p>`,
        ),
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/pay/local/result') {
      const body = await form(req);
      const order = pick(body);
      if (!verify(order, options.secret)) return refuse('Yêu cầu thanh toán không hợp lệ (chữ ký không đúng).');
      const result = signed(
        {
          merchant: order.merchant!,
          orderId: order.orderId!,
          amount: order.amount!,
          txnRef: `LP${Date.now().toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`,
          responseCode: body.get('decision') === 'approve' ? PAID_CODE : CANCELLED_CODE,
          payDate: new Date().toISOString(),
        },
        options.secret,
      );
      const told = await fetch(order.callbackUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(result), signal: AbortSignal.timeout(15_000) }).catch(
        (err: unknown) => ({ ok: false, status: 0, text: async () => String(err) }),
      );
      if (!told.ok) return refuse(`Không báo được kết quả cho hệ thống (${told.status}): ${(await told.text()).slice(0, 200)}`);
      res.writeHead(303, { location: order.returnUrl! }).end();
      return;
    }
    res.writeHead(404).end();
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return { url, payUrl: `${url}/pay/local`, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
