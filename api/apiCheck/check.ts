/**
 * One check of the console: a new API straight from the form, or a configured one — first its
 * session URL with the stored user and password, then its data URL with the session token as a
 * bearer token. The token and the password never leave this module: the answer shows the session
 * step's status and time only.
 */
import type { ApiCheckConfig } from '../../infra/apiCheck/config';
import { probe, type ProbeResult } from '../../infra/apiCheck/probe';

export interface SessionStep {
  status?: number;
  timeMs: number;
  ok: boolean;
  message: string;
}

export interface CheckOutcome {
  session?: SessionStep;
  response?: ProbeResult;
}

/** The session token in a JSON answer: the usual field names, at the top or under `data`. */
function tokenIn(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    for (const o of [parsed, (parsed as { data?: unknown } | null)?.data]) {
      if (!o || typeof o !== 'object') continue;
      for (const k of ['session', 'token', 'accessToken', 'access_token']) {
        const v = (o as Record<string, unknown>)[k];
        if (typeof v === 'string' && v) return v;
      }
    }
  } catch {
    // not JSON: no token
  }
  return undefined;
}

export async function checkConfigured(
  target: { sessionUrl: string | null; dataUrl: string; method: 'GET' | 'POST'; body: string; username: string | null; password: string | undefined },
  config: ApiCheckConfig,
): Promise<CheckOutcome> {
  const headers: Record<string, string> = {};
  let session: SessionStep | undefined;
  if (target.sessionUrl) {
    const s = await probe({ method: 'POST', url: target.sessionUrl, body: JSON.stringify({ username: target.username ?? '', password: target.password ?? '' }) }, config);
    const token = s.status !== undefined && s.status < 300 ? tokenIn(s.body) : undefined;
    session = {
      status: s.status,
      timeMs: s.timeMs,
      ok: token !== undefined,
      message: s.error
        ? s.error.message
        : token
          ? 'Đã nhận mã phiên (token); mã không hiển thị.'
          : `URL lấy session trả về ${s.status ?? '—'} nhưng không có mã phiên (session, token, accessToken hoặc access_token).`,
    };
    if (!token) return { session };
    headers.authorization = `Bearer ${token}`;
  }
  const response = await probe({ method: target.method, url: target.dataUrl, body: target.body, headers }, config);
  return { session, response };
}
