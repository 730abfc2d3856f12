/**
 * The REST API as an officer at the desk uses it while parts of the system fail: a request that
 * gets no answer, a 5xx or a 503 is sent again with the same idempotency key (so it happens at most
 * once), until it succeeds or its deadline passes. Used by the crash test.
 */
import { randomUUID } from 'node:crypto';

export interface Answer<T> {
  status: number;
  body: T;
}

export class RequestFailed extends Error {
  constructor(
    readonly what: string,
    readonly answer: Answer<unknown> | undefined,
    detail: string,
  ) {
    super(`${what}: ${detail}`);
  }
}

/** Statuses worth sending again: the server's trouble, not the request's. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class OfficerClient {
  /** Requests sent again after no answer or a retryable status. */
  static retries = 0;

  constructor(
    readonly api: string,
    private token?: string,
    private readonly deadlineMs = 240_000,
  ) {}

  /** Logs in with the password (the system runs with OTP_REQUIRED=false). */
  static async login(api: string, username: string, password: string): Promise<OfficerClient> {
    const c = new OfficerClient(api);
    const answer = await c.send<{ status: string; token?: string }>('POST', '/api/auth/login', { body: { username, password } }, [200]);
    if (!answer.token) throw new Error(`login ${username}: a second factor was asked (${answer.status}); run with OTP_REQUIRED=false`);
    c.token = answer.token;
    return c;
  }

  /**
   * Sends one request, again and again with the same idempotency key while the system cannot
   * answer. `accept` lists the statuses that end it successfully; another status fails at once,
   * unless `onRefused` decides the action happened already (true) or should be tried again (false).
   */
  async send<T>(method: string, url: string, options: { body?: unknown; raw?: Buffer; onRefused?: (a: Answer<unknown>) => Promise<boolean | 'retry'> } = {}, accept: number[] = [200, 201]): Promise<T> {
    const key = randomUUID();
    const deadline = Date.now() + this.deadlineMs;
    let last = 'no answer';
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      if (attempt > 0) {
        OfficerClient.retries += 1;
        await sleep(Math.min(250 * 2 ** Math.min(attempt, 4), 3_000));
      }
      let answer: Answer<unknown>;
      try {
        answer = await this.once(method, url, key, options);
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
        continue;
      }
      if (accept.includes(answer.status)) return answer.body as T;
      last = `HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      if (RETRYABLE.has(answer.status) || isInProgress(answer)) continue;
      const verdict = options.onRefused ? await options.onRefused(answer) : false;
      if (verdict === 'retry') continue;
      if (verdict) return answer.body as T;
      throw new RequestFailed(`${method} ${url}`, answer, last);
    }
    throw new RequestFailed(`${method} ${url}`, undefined, `gave up after ${this.deadlineMs} ms: ${last}`);
  }

  private async once(method: string, url: string, key: string, options: { body?: unknown; raw?: Buffer }): Promise<Answer<unknown>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (method !== 'GET') headers['idempotency-key'] = key;
    let body: Uint8Array | string | undefined;
    if (options.raw) {
      headers['content-type'] = 'application/octet-stream';
      headers['x-file-name'] = 'ban-quet.pdf';
      body = new Uint8Array(options.raw);
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(`${this.api}${url}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // an HTML or empty error page from a dying process: kept as text
    }
    return { status: res.status, body: parsed };
  }
}

/** The same idempotency key still being worked on: its answer comes later. */
function isInProgress(answer: Answer<unknown>): boolean {
  const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code ?? '';
  return answer.status === 409 && /IN_PROGRESS|PENDING|CONCURRENT/i.test(code);
}
