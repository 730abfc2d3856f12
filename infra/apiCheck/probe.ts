/**
 * One request of the API check console, made the way a careful HTTP client would for an officer:
 * the host is resolved once, every address is checked against the private ranges and this
 * machine (unless the host is allow-listed), and the connection goes to that checked address —
 * a second, different DNS answer (rebinding) is never asked for. The whole exchange has one
 * deadline, the body is read up to a size limit, and redirects are followed only within the same
 * origin (to the same pinned address); a redirect to another host is shown, not followed.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { isPrivateAddress } from './addresses';
import { isAllowListed, type ApiCheckConfig } from './config';

export type ProbeMethod = 'GET' | 'POST';

export interface ProbeRequest {
  method: ProbeMethod;
  url: string;
  /** Sent as JSON with a POST; a GET carries none. */
  body?: string;
  /** Set by the console itself (a session token), never typed by the officer. */
  headers?: Record<string, string>;
}

export interface ProbeError {
  code: 'TIMEOUT' | 'CONNECTION_FAILED' | 'DNS_FAILED';
  message: string;
  messageEn: string;
}

export interface ProbeResult {
  method: ProbeMethod;
  /** The address asked, without credentials or query (what the audit keeps). */
  target: string;
  status?: number;
  statusText?: string;
  timeMs: number;
  headers: Array<[string, string]>;
  body: string;
  bodyBytes: number;
  truncated: boolean;
  isJson: boolean;
  /** Notes the panel shows under the answer (a cut body, a redirect not followed). */
  notes: string[];
  error?: ProbeError;
}

/** Refused before any connection: the answer is a 422 naming the rule. */
export class ProbeRefusal extends Error {
  constructor(
    readonly code: 'URL_INVALID' | 'ADDRESS_REFUSED' | 'DNS_FAILED',
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const MAX_SAME_ORIGIN_REDIRECTS = 3;

/** What may be stored about a URL: scheme, host, port and path; no credentials, no query. */
export function auditableUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return raw.slice(0, 200);
  }
}

export function parseTarget(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ProbeRefusal('URL_INVALID', 'URL không hợp lệ: cần đường dẫn đầy đủ, ví dụ https://api.tinh.gov.vn/nghia-vu-tai-chinh.', 'The URL is not valid: give the full address.');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ProbeRefusal('URL_INVALID', 'Chỉ kiểm tra được API qua http hoặc https.', 'Only http and https APIs can be checked.');
  if (u.username || u.password) {
    throw new ProbeRefusal('URL_INVALID', 'URL không được chứa tên đăng nhập hay mật khẩu; dùng API đã cấu hình để gửi thông tin đăng nhập.', 'The URL must not carry credentials.');
  }
  return u;
}

const portOf = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80');
const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** The one address the request goes to, checked; the DNS is asked once. */
async function pinAddress(u: URL, config: ApiCheckConfig): Promise<LookupAddress> {
  const host = hostOf(u);
  const allowed = isAllowListed(config.allowHosts, host, portOf(u));
  let addresses: LookupAddress[];
  const family = isIP(host);
  if (family) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await (config.lookup ?? ((h: string) => dnsLookup(h, { all: true, verbatim: true })))(host);
    } catch {
      throw new ProbeRefusal('DNS_FAILED', `Không phân giải được tên máy chủ ${host}.`, `The host name ${host} does not resolve.`);
    }
    if (addresses.length === 0) throw new ProbeRefusal('DNS_FAILED', `Không phân giải được tên máy chủ ${host}.`, `The host name ${host} does not resolve.`);
  }
  // Every address must pass: a name answering with one public and one private address is refused.
  const inside = addresses.find((a) => isPrivateAddress(a.address));
  if (inside && !allowed) {
    const how = family ? `${host}` : `${host} (phân giải thành ${inside.address})`;
    throw new ProbeRefusal(
      'ADDRESS_REFUSED',
      `Không gửi yêu cầu tới ${how}: đây là địa chỉ của máy chủ này hoặc mạng nội bộ, chưa được quản trị hệ thống cho phép (API_CHECK_ALLOW_HOSTS).`,
      `${how} is an address of this machine or a private network, not on the administrator's allow-list (API_CHECK_ALLOW_HOSTS).`,
    );
  }
  return addresses[0];
}

interface Exchange {
  res: IncomingMessage;
  body: Buffer;
  truncated: boolean;
}

function exchange(u: URL, pinned: LookupAddress, req: ProbeRequest, config: ApiCheckConfig, signal: AbortSignal): Promise<Exchange> {
  const body = req.method === 'POST' && req.body !== undefined ? Buffer.from(req.body, 'utf8') : undefined;
  const client = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = client.request(
      u,
      {
        method: req.method,
        signal,
        // The connection goes to the checked address; TLS still verifies the certificate for the host name.
        lookup: (_host, options, cb) => {
          if ((options as { all?: boolean }).all) (cb as (e: null, a: LookupAddress[]) => void)(null, [pinned]);
          else (cb as (e: null, a: string, f: number) => void)(null, pinned.address, pinned.family);
        },
        headers: {
          accept: 'application/json, */*',
          'user-agent': 'chung-thuc-kiem-tra-api/1',
          ...(body ? { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) } : {}),
          ...req.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const finish = (truncated: boolean) => {
          if (done) return;
          done = true;
          resolve({ res, body: Buffer.concat(chunks).subarray(0, config.maxBytes), truncated });
        };
        res.on('data', (chunk: Buffer) => {
          if (done) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size > config.maxBytes) {
            finish(true);
            // Stop reading: the rest of an oversized answer never reaches memory.
            res.destroy();
            r.destroy();
          }
        });
        res.on('end', () => finish(false));
        res.on('error', (err) => (done ? undefined : reject(err)));
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

function describeFailure(err: unknown, timedOut: boolean, timeoutMs: number): ProbeError {
  if (timedOut) {
    const s = (timeoutMs / 1000).toLocaleString('vi-VN');
    return {
      code: 'TIMEOUT',
      message: `API không trả lời trong ${s} giây nên yêu cầu đã dừng (giới hạn API_CHECK_TIMEOUT_MS). Kiểm tra máy chủ API của tỉnh đang chạy và không bị chặn.`,
      messageEn: `The API did not answer within ${s} s; the request was stopped (API_CHECK_TIMEOUT_MS).`,
    };
  }
  const code = (err as { code?: string }).code ?? '';
  const why = code === 'ECONNREFUSED' ? 'máy chủ từ chối kết nối' : code === 'ECONNRESET' ? 'kết nối bị ngắt' : code.startsWith('ERR_TLS') || code.includes('CERT') ? 'chứng chỉ TLS không hợp lệ' : 'lỗi kết nối';
  return { code: 'CONNECTION_FAILED', message: `Không nhận được phản hồi: ${why}${code ? ` (${code})` : ''}.`, messageEn: `No answer: ${code || (err as Error).message}.` };
}

/** Sends the request under the console's rules; refusals throw ProbeRefusal, failures of the far side come back in `error`. */
export async function probe(req: ProbeRequest, config: ApiCheckConfig): Promise<ProbeResult> {
  let u = parseTarget(req.url);
  const started = performance.now();
  const result: ProbeResult = { method: req.method, target: auditableUrl(req.url), timeMs: 0, headers: [], body: '', bodyBytes: 0, truncated: false, isJson: false, notes: [] };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  try {
    // A name server that never answers counts against the same deadline.
    const stopped = new Promise<'timeout'>((resolve) => controller.signal.addEventListener('abort', () => resolve('timeout'), { once: true }));
    const pinned = await Promise.race([pinAddress(u, config), stopped]);
    if (pinned === 'timeout') {
      result.error = describeFailure(undefined, true, config.timeoutMs);
      return result;
    }
    let current: ProbeRequest = req;
    for (let hop = 0; ; hop++) {
      let ex: Exchange;
      try {
        ex = await exchange(u, pinned, current, config, controller.signal);
      } catch (err) {
        result.error = describeFailure(err, timedOut, config.timeoutMs);
        return result;
      }
      const location = ex.res.headers.location;
      const status = ex.res.statusCode ?? 0;
      if (status >= 300 && status < 400 && location) {
        let next: URL | undefined;
        try {
          next = new URL(location, u);
        } catch {
          next = undefined;
        }
        if (next && next.origin === u.origin && hop < MAX_SAME_ORIGIN_REDIRECTS) {
          // Same origin, same pinned address: 307/308 keep the method and body, the others become a GET.
          u = next;
          current = status === 307 || status === 308 ? { ...current, url: next.href } : { ...current, method: 'GET', body: undefined, url: next.href };
          result.notes.push(`Đã theo chuyển hướng ${status} tới ${auditableUrl(next.href)}.`);
          continue;
        }
        result.notes.push(
          next && next.origin !== u.origin
            ? `Không theo chuyển hướng ${status} sang máy chủ khác (${next.host}); API cần trả lời trực tiếp tại URL đã cấu hình.`
            : `Không theo chuyển hướng ${status} (quá ${MAX_SAME_ORIGIN_REDIRECTS} lần hoặc địa chỉ không hợp lệ).`,
        );
      }
      result.status = status;
      result.statusText = ex.res.statusMessage ?? '';
      result.headers = Object.entries(ex.res.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : v === undefined ? [] : [[k, String(v)] as [string, string]]));
      result.body = ex.body.toString('utf8');
      result.bodyBytes = ex.body.length;
      result.truncated = ex.truncated;
      if (ex.truncated) {
        const mb = config.maxBytes >= 1024 * 1024 ? `${(config.maxBytes / 1024 / 1024).toLocaleString('vi-VN')} MB` : `${Math.round(config.maxBytes / 1024).toLocaleString('vi-VN')} KB`;
        result.notes.push(`Nội dung phản hồi vượt quá ${mb} (API_CHECK_MAX_BYTES): chỉ hiển thị ${mb} đầu, phần còn lại không được đọc.`);
      }
      result.isJson = /json/i.test(String(ex.res.headers['content-type'] ?? '')) || looksLikeJson(result.body);
      return result;
    }
  } finally {
    clearTimeout(timer);
    result.timeMs = Math.round(performance.now() - started);
  }
}

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
