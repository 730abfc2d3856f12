/**
 * Limits of the API check console and the administrator's allow-list (the deployment's
 * environment, not the database: a province administrator must not be able to open the
 * machine's own network to officers' requests).
 *
 * API_CHECK_ALLOW_HOSTS: comma-separated `host` or `host:port` entries whose private or local
 * addresses may be called. By default the local tax service (LAND_TAX_URL's and LAND_RECEIPT_URL's host and port, or
 * LOCAL_TAX_PORT — 2526 unless set — on 127.0.0.1 and localhost) and this API's own PUBLIC_BASE_URL — which
 * every caller reaches anyway — are on it.
 */
import { DEFAULT_LOCAL_TAX_PORT } from '../landTax/landServicesFromEnv';
import type { LookupAddress } from 'node:dns';

export interface ApiCheckConfig {
  allowHosts: readonly string[];
  timeoutMs: number;
  maxBytes: number;
  /** Resolves a host name to its addresses; tests give a fake directory. */
  lookup?: (host: string) => Promise<LookupAddress[]>;
  /** Seals the configured APIs' session passwords; PKI_MASTER_KEY's when absent. */
  secretKey?: Buffer;
}

export const DEFAULT_API_CHECK_TIMEOUT_MS = 10_000;
export const DEFAULT_API_CHECK_MAX_BYTES = 1024 * 1024;

function hostPortOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return [`${u.hostname.toLowerCase()}:${port}`];
  } catch {
    return [];
  }
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
}

/** This API's own address; on a developer's machine (localhost) both loopback names, as `npm run demo` calls 127.0.0.1. */
function selfEntries(url: string | undefined): string[] {
  const [entry] = hostPortOf(url);
  if (!entry) return [];
  const [host, port] = [entry.slice(0, entry.lastIndexOf(':')), entry.slice(entry.lastIndexOf(':') + 1)];
  return host === 'localhost' || host === '127.0.0.1' ? [`localhost:${port}`, `127.0.0.1:${port}`] : [entry];
}

/** The allow-list every deployment starts with, before API_CHECK_ALLOW_HOSTS. */
export function defaultAllowHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  // npm start runs the local tax service unless LAND_TAX_URL points at the tax authority.
  const taxPort = env.LOCAL_TAX_PORT?.trim() || (env.LAND_TAX_URL ? '' : String(DEFAULT_LOCAL_TAX_PORT));
  return [
    ...hostPortOf(env.LAND_TAX_URL),
    ...hostPortOf(env.LAND_RECEIPT_URL),
    ...(taxPort && /^\d+$/.test(taxPort) ? [`127.0.0.1:${taxPort}`, `localhost:${taxPort}`] : []),
    ...selfEntries(env.PUBLIC_BASE_URL),
  ];
}

export function apiCheckConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ApiCheckConfig {
  const extra = (env.API_CHECK_ALLOW_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return {
    allowHosts: [...new Set([...defaultAllowHosts(env), ...extra])],
    timeoutMs: positive(env, 'API_CHECK_TIMEOUT_MS', DEFAULT_API_CHECK_TIMEOUT_MS),
    maxBytes: positive(env, 'API_CHECK_MAX_BYTES', DEFAULT_API_CHECK_MAX_BYTES),
  };
}

/** Whether `host` (a name or an address, lower case) on `port` is on the allow-list. */
export function isAllowListed(allowHosts: readonly string[], host: string, port: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return allowHosts.some((entry) => {
    const e = entry.toLowerCase();
    // "[::1]:8080" or "host:8080" names one port; a bare host (or a bare IPv6 address) any port.
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(e);
    if (m) return m[1].replace(/^\[|\]$/g, '') === bare && m[2] === port;
    return e.replace(/^\[|\]$/g, '') === bare;
  });
}
