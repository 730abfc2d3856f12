/**
 * The reference signer's HTTP side (protocol.ts, README.md): loopback only, for the portal's own
 * origins only, and nothing signed without the holder's say-so.
 *
 * - It listens on 127.0.0.1 and answers only requests addressed to 127.0.0.1 or localhost (a web
 *   page that rebinds its own name to 127.0.0.1 still sends its own Host).
 * - Every request must come from an allowed origin (the browser sets Origin, a page cannot);
 *   CORS answers name that origin only, and approve Chrome's private-network preflight.
 * - POST /v1/sign takes JSON only (so a page always sends the preflight first), signs only a
 *   challenge of the portal's shape (CHALLENGE_PATTERN), one request at a time, and only once the
 *   holder, shown the origin, the purpose and the text, has typed the PIN; a wrong PIN may be
 *   typed again up to `maxPinAttempts` times. A request nobody answers ends after
 *   `approvalTimeoutMs`, and one whose page went away is withdrawn from the holder.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Keystore } from './p12Keystore';
import { WrongPin } from './p12Keystore';
import {
  parseChallenge,
  SIGNER_PROTOCOL,
  SIGNER_PROTOCOL_VERSION,
  type ChallengePurpose,
  type SignerCertificate,
  type SignerErrorBody,
  type SignerErrorCode,
  type SignerInfo,
  type SignResult,
} from './protocol';

/** What the holder is asked to approve. */
export interface SignatureRequest {
  origin: string;
  purpose: ChallengePurpose;
  /** When the server issued the challenge. */
  issuedAt: Date;
  challenge: string;
  certificate: SignerCertificate;
}

export interface Approver {
  /**
   * Shows the request to the holder and resolves with the PIN they type, or undefined when they
   * decline. `attempt` counts from 1 (above 1 the previous PIN was wrong); `signal` aborts when
   * the request times out or its page goes away.
   */
  askPin(request: SignatureRequest, attempt: number, signal: AbortSignal): Promise<string | undefined>;
  /** Tells the holder how a request ended. */
  told?(request: SignatureRequest, outcome: 'signed' | 'declined' | 'pin-blocked' | 'withdrawn'): void;
}

export interface LocalSignerOptions {
  keystore: Keystore;
  /** Origins (scheme://host[:port]) whose pages may use the signer. */
  allowedOrigins: readonly string[];
  approver: Approver;
  /** Default: the protocol's port; 0 takes a free one. */
  port: number;
  product?: string;
  approvalTimeoutMs?: number;
  maxPinAttempts?: number;
}

export interface RunningSigner {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;

const MESSAGES: Record<SignerErrorCode, [number, string, string]> = {
  HOST_NOT_ALLOWED: [403, 'Công cụ ký số chỉ nhận yêu cầu gửi tới 127.0.0.1 hoặc localhost.', 'The signer only answers requests addressed to 127.0.0.1 or localhost.'],
  ORIGIN_NOT_ALLOWED: [403, 'Trang web này không được phép dùng công cụ ký số.', 'This web page may not use the signer.'],
  NOT_FOUND: [404, 'Không có chức năng này.', 'No such endpoint.'],
  BAD_REQUEST: [400, 'Yêu cầu ký không hợp lệ.', 'Malformed signing request.'],
  CHALLENGE_REFUSED: [400, 'Nội dung cần ký không phải chuỗi xác thực của Cổng dịch vụ công: công cụ từ chối ký.', 'The text is not a portal challenge: the signer refuses to sign it.'],
  CERTIFICATE_NOT_FOUND: [404, 'Không tìm thấy chứng thư số đã chọn trong công cụ ký số.', 'The chosen certificate is not in the signer.'],
  BUSY: [409, 'Công cụ ký số đang chờ xác nhận một yêu cầu khác.', 'The signer is waiting for another request to be approved.'],
  DECLINED: [403, 'Người dùng đã từ chối ký.', 'The holder declined to sign.'],
  PIN_BLOCKED: [403, 'Nhập sai mã PIN quá số lần cho phép: yêu cầu ký bị hủy.', 'Too many wrong PINs: the request was cancelled.'],
  TIMEOUT: [408, 'Hết thời gian chờ xác nhận trên công cụ ký số.', 'Nobody approved the request in time.'],
};

class SignerRefusal extends Error {
  constructor(readonly code: SignerErrorCode) {
    super(code);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function refuse(res: ServerResponse, code: SignerErrorCode): void {
  const [status, message, messageEn] = MESSAGES[code];
  const body: SignerErrorBody = { error: { code, message, messageEn } };
  send(res, status, body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new SignerRefusal('BAD_REQUEST');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SignerRefusal('BAD_REQUEST');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SignerRefusal('BAD_REQUEST');
  }
}

export async function startLocalSigner(options: LocalSignerOptions): Promise<RunningSigner> {
  const allowed = new Set(options.allowedOrigins.map((o) => new URL(o).origin));
  const timeoutMs = options.approvalTimeoutMs ?? 120_000;
  const maxPinAttempts = options.maxPinAttempts ?? 3;
  const info: SignerInfo = { protocol: SIGNER_PROTOCOL, version: SIGNER_PROTOCOL_VERSION, product: options.product ?? 'Công cụ ký số mẫu (chung-thuc)' };
  let port = options.port;
  let busy = false;

  async function sign(req: IncomingMessage, origin: string): Promise<SignResult> {
    const body = await readJson(req);
    const { certificateId, challenge } = (body ?? {}) as { certificateId?: unknown; challenge?: unknown };
    if (typeof certificateId !== 'string' || typeof challenge !== 'string') throw new SignerRefusal('BAD_REQUEST');
    const parsed = parseChallenge(challenge);
    if (!parsed) throw new SignerRefusal('CHALLENGE_REFUSED');
    const certificate = options.keystore.certificates().find((c) => c.id === certificateId);
    if (!certificate) throw new SignerRefusal('CERTIFICATE_NOT_FOUND');
    if (busy) throw new SignerRefusal('BUSY');
    busy = true;
    const request: SignatureRequest = { origin, purpose: parsed.purpose, issuedAt: parsed.issuedAt, challenge, certificate };
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new SignerRefusal('TIMEOUT')), timeoutMs);
    // The page went away (closed, reloaded): nobody waits for the answer any more.
    const gone = () => abort.abort(new SignerRefusal('TIMEOUT'));
    req.socket.once('close', gone);
    try {
      for (let attempt = 1; attempt <= maxPinAttempts; attempt++) {
        const pin = await Promise.race([
          options.approver.askPin(request, attempt, abort.signal),
          new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true })),
        ]);
        if (pin === undefined || pin === '') {
          options.approver.told?.(request, 'declined');
          throw new SignerRefusal('DECLINED');
        }
        try {
          const signature = options.keystore.sign(certificate.id, challenge, pin);
          options.approver.told?.(request, 'signed');
          return { format: 'cms-detached', signature, certificate: certificate.certificate };
        } catch (e) {
          if (!(e instanceof WrongPin)) throw e;
        }
      }
      options.approver.told?.(request, 'pin-blocked');
      throw new SignerRefusal('PIN_BLOCKED');
    } catch (e) {
      if (abort.signal.aborted) options.approver.told?.(request, 'withdrawn');
      throw e;
    } finally {
      clearTimeout(timer);
      req.socket.off('close', gone);
      busy = false;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse(res, 'HOST_NOT_ALLOWED');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !allowed.has(origin)) return refuse(res, 'ORIGIN_NOT_ALLOWED');
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', 'content-type');
      res.setHeader('access-control-max-age', '600');
      // Chrome asks before a public page may reach a loopback address.
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('access-control-allow-private-network', 'true');
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/v1/info') return send(res, 200, info);
    if (req.method === 'GET' && path === '/v1/certificates') return send(res, 200, { certificates: options.keystore.certificates() });
    if (req.method === 'POST' && path === '/v1/sign') return send(res, 200, await sign(req, origin));
    return refuse(res, 'NOT_FOUND');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (e instanceof SignerRefusal) refuse(res, e.code);
      else send(res, 500, { error: { code: 'INTERNAL', message: 'Công cụ ký số gặp lỗi.', messageEn: 'The signer failed.' } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
