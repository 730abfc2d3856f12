/**
 * A stand-in for a province's local API (and the local tax service) in the API check tests: a
 * plain HTTP server on 127.0.0.1 with the behaviours the console must cope with.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalApi {
  url: string;
  host: string;
  port: number;
  /** Requests received, by path, with the Authorization header they carried. */
  seen: Array<{ method: string; path: string; authorization?: string; body: string }>;
  close(): Promise<void>;
}

export const SESSION_TOKEN = 'phien-bi-mat-123';

export async function startLocalApi(): Promise<LocalApi> {
  const seen: LocalApi['seen'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0];
      seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ma-giao-dich': 'GD-0001', ...headers });
        res.end(JSON.stringify(value));
      };
      switch (path) {
        case '/nghia-vu-tai-chinh': {
          const asked = body ? (JSON.parse(body) as { maHoSo?: string }) : {};
          return json(200, { maLoi: '00', moTa: 'Thành công', maHoSo: asked.maHoSo ?? null, tongTien: 1250000 });
        }
        case '/session':
          return JSON.parse(body || '{}').password === 'mat-khau-phien' ? json(200, { session: SESSION_TOKEN }) : json(401, { moTa: 'Sai mật khẩu' });
        case '/du-lieu':
          return req.headers.authorization === `Bearer ${SESSION_TOKEN}` ? json(200, { maLoi: '00', duLieu: [{ soThongBao: 'TB-01' }] }) : json(401, { moTa: 'Thiếu phiên' });
        case '/chuyen-sang-may-khac':
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          return res.end();
        case '/chuyen-cung-may':
          res.writeHead(302, { location: '/nghia-vu-tai-chinh' });
          return res.end();
        case '/qua-lon':
          res.writeHead(200, { 'content-type': 'text/plain' });
          // 300 KB, written in pieces so the reader can stop early.
          for (let i = 0; i < 300; i++) res.write('x'.repeat(1023) + '\n');
          return res.end();
        case '/cham':
          // Never answers: the console's deadline must end the wait.
          return;
        default:
          return json(404, { moTa: 'Không có' });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
