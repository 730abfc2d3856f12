/**
 * The local tax-authority service of a one-machine installation (`npm start`, the tests): answers
 * the land-obligation lookup from demo dossiers (or ones a test adds) and plays the locality's
 * system that receives paid receipts — which a test can tell to refuse the next N deliveries, as a
 * locality's server that is down would.
 *
 *   GET  /obligations?dossierCode=&idNumber=   → LandDossier | 404
 *   POST /locality/receipts                    → 201 {reference} (or 503 while told to fail)
 *   GET  /locality/receipts                    → the receipts accepted, newest last
 *   POST /locality/fail {times}                → the next `times` deliveries answer 503
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LandDossier } from '../../domain/landObligations';
import type { LandReceiptDelivery } from './localityReceipts';

/** The demo citizen's land dossiers (db/seed/demo.ts: Giàng A Páo, 012090001234, at Nùng Năng). */
export const DEMO_LAND_DOSSIERS: readonly LandDossier[] = [
  {
    dossierCode: 'H35.15-DD-2026-000123',
    idNumber: '012090001234',
    taxpayer: 'Giàng A Páo',
    property: { address: 'Bản Nùng Năng, xã Nùng Năng, huyện Tam Đường, tỉnh Lai Châu', parcel: '125', mapSheet: '17', areaM2: 180.5, purpose: 'Đất ở tại nông thôn' },
    locality: { unitCode: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
    notices: [
      { noticeNumber: 'LPTB-2026-0001', taxpayer: 'Giàng A Páo', items: [{ content: 'Lệ phí trước bạ nhà đất', amountVnd: 1_378_500 }], totalVnd: 1_378_500 },
      { noticeNumber: 'TNCN-2026-0001', taxpayer: 'Giàng A Páo', items: [{ content: 'Thuế thu nhập từ chuyển nhượng bất động sản', amountVnd: 5_514_000 }], totalVnd: 5_514_000 },
    ],
  },
  {
    dossierCode: 'H35.16-DD-2026-000045',
    idNumber: '012195004321',
    taxpayer: 'Lý Thị Mẩy',
    property: { address: 'Bản Bo, xã Bản Bo, huyện Tam Đường, tỉnh Lai Châu', parcel: '48', mapSheet: '9', areaM2: 250, purpose: 'Đất ở tại nông thôn' },
    locality: { unitCode: '000.16.43.H35', name: 'UBND xã Bản Bo' },
    notices: [
      {
        noticeNumber: 'TSD-2026-0045',
        taxpayer: 'Lý Thị Mẩy',
        items: [
          { content: 'Tiền sử dụng đất', amountVnd: 12_000_000 },
          { content: 'Lệ phí trước bạ nhà đất', amountVnd: 600_000 },
        ],
        totalVnd: 12_600_000,
      },
    ],
  },
];

export interface LocalTaxService {
  url: string;
  port: number;
  /** The receipt endpoint of the locality it plays. */
  receiptsUrl: string;
  received: LandReceiptDelivery[];
  put(dossier: LandDossier): void;
  failNext(times: number): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 5 * 1024 * 1024) throw new Error('too large');
    chunks.push(c as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export async function startLocalTaxService(options: { port?: number; host?: string; dossiers?: readonly LandDossier[] } = {}): Promise<LocalTaxService> {
  const dossiers = new Map<string, LandDossier>();
  const keyOf = (code: string, id: string) => `${code.toUpperCase()}|${id}`;
  for (const d of options.dossiers ?? DEMO_LAND_DOSSIERS) dossiers.set(keyOf(d.dossierCode, d.idNumber), d);
  const received: LandReceiptDelivery[] = [];
  const byOrder = new Map<string, string>();
  let failures = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && url.pathname === '/obligations') {
      const d = dossiers.get(keyOf(url.searchParams.get('dossierCode') ?? '', url.searchParams.get('idNumber') ?? ''));
      return d ? json(res, 200, d) : json(res, 404, { error: 'not found' });
    }
    if (req.method === 'POST' && url.pathname === '/locality/receipts') {
      const body = (await readJson(req)) as LandReceiptDelivery;
      if (failures > 0) {
        failures -= 1;
        return json(res, 503, { error: 'locality system unavailable' });
      }
      if (typeof body.orderId !== 'string' || typeof body.receiptPdfBase64 !== 'string') return json(res, 400, { error: 'orderId and receiptPdfBase64 required' });
      // The locality's own idempotency: a receipt delivered twice is recorded once.
      let reference = byOrder.get(body.orderId);
      if (!reference) {
        reference = `DP-${String(received.length + 1).padStart(6, '0')}`;
        byOrder.set(body.orderId, reference);
        received.push(body);
      }
      return json(res, 201, { reference });
    }
    if (req.method === 'GET' && url.pathname === '/locality/receipts') return json(res, 200, received.map(({ receiptPdfBase64, ...r }) => ({ ...r, pdfBytes: Buffer.from(receiptPdfBase64, 'base64').length })));
    if (req.method === 'POST' && url.pathname === '/locality/fail') {
      const body = (await readJson(req)) as { times?: unknown };
      failures = Number.isInteger(body.times) ? (body.times as number) : 1;
      return json(res, 200, { failNext: failures });
    }
    json(res, 404, { error: 'no such route' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 400, { error: String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    receiptsUrl: `${url}/locality/receipts`,
    received,
    put: (d) => void dossiers.set(keyOf(d.dossierCode, d.idNumber), d),
    failNext: (times) => void (failures = times),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
