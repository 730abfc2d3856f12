/**
 * The registry's HTTP service: GET <url>/<number> with a bearer token answers
 * {idNumber, fullName, birthDate: "YYYY-MM-DD", phone}, or 404 for an unknown number. Anything
 * else — another status, a malformed answer, no answer within the timeout — is an error the
 * portal reports as "the registry cannot be reached", never as "unknown number".
 */
import type { InsuredPerson, SocialInsuranceRegistry } from './socialInsuranceRegistry';

export interface HttpSocialInsuranceConfig {
  url: string;
  token?: string;
  timeoutMs?: number;
}

export class SocialInsuranceUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SocialInsuranceUnavailable';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

function asPerson(answer: unknown): InsuredPerson | undefined {
  if (answer === null || typeof answer !== 'object') return undefined;
  const a = answer as Record<string, unknown>;
  const { idNumber, fullName, birthDate, phone } = a;
  if (typeof idNumber !== 'string' || typeof fullName !== 'string' || typeof birthDate !== 'string' || typeof phone !== 'string') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(birthDate)) return undefined;
  return { idNumber, fullName, birthDate: birthDate.slice(0, 10), phone };
}

export class HttpSocialInsuranceRegistry implements SocialInsuranceRegistry {
  constructor(private readonly config: HttpSocialInsuranceConfig) {}

  async lookup(socialInsuranceNumber: string): Promise<InsuredPerson | undefined> {
    const base = this.config.url.replace(/\/+$/, '');
    let res: Response;
    try {
      res = await fetch(`${base}/${encodeURIComponent(socialInsuranceNumber)}`, {
        headers: { accept: 'application/json', ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {}) },
        signal: AbortSignal.timeout(this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (err) {
      throw new SocialInsuranceUnavailable(`social-insurance registry unreachable: ${(err as Error).message}`);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new SocialInsuranceUnavailable(`social-insurance registry answered HTTP ${res.status}`);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new SocialInsuranceUnavailable('social-insurance registry answered something that is not JSON');
    }
    const person = asPerson(body);
    if (!person) throw new SocialInsuranceUnavailable('social-insurance registry answered without idNumber, fullName, birthDate and phone');
    return person;
  }
}
