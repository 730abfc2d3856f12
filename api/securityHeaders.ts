/**
 * Headers every answer carries — API, web UI, static files — so that a page of this product can
 * run only its own scripts, cannot be framed by another site, and leaks nothing in its Referer.
 *
 * - Content-Security-Policy: scripts only from this origin (the built web app has no inline
 *   script; the verification page lists the hash of its one script, api/verify/routes.ts).
 *   Styles also allow 'unsafe-inline' because React sets `style` attributes (sizes of previews and
 *   bars) and the server-rendered pages carry one <style> block; a style cannot run code.
 *   Scans are shown from blob: URLs (fetched with the session header), captchas are data: images,
 *   and the citizen portal talks to the signing tool on the citizen's own machine (CITIZEN_SIGNER_URL).
 * - Strict-Transport-Security only on a request that came over HTTPS: req.secure, which believes a
 *   proxy's X-Forwarded-Proto only from the addresses TRUST_PROXY names.
 */
import type { RequestHandler } from 'express';

export interface SecurityHeaderOptions {
  /** Origins the pages may also connect to (the citizen's local signing tool). */
  connectTo?: readonly string[];
}

export function contentSecurityPolicy(options: SecurityHeaderOptions = {}, scriptHashes: readonly string[] = []): string {
  // blob: lets a page read back the files it already holds (a scan's preview), never the network.
  const connect = ["'self'", 'blob:', ...(options.connectTo ?? [])].join(' ');
  const scripts = ["'self'", ...scriptHashes.map((h) => `'sha256-${h}'`)].join(' ');
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()';

/**
 * The headers of every answer. `connectTo` is read at each request: the signing tool's address is
 * settings the application may change while it runs (the policy is cached per value).
 */
export function securityHeaders(options: { connectTo?: () => readonly string[] } = {}): RequestHandler {
  let cached: { key: string; csp: string } | undefined;
  const policy = () => {
    const connectTo = options.connectTo?.() ?? [];
    const key = connectTo.join(' ');
    if (cached?.key !== key) cached = { key, csp: contentSecurityPolicy({ connectTo }) };
    return cached.csp;
  };
  return (req, res, next) => {
    res.setHeader('Content-Security-Policy', policy());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

/**
 * TRUST_PROXY: whose X-Forwarded-For/-Proto to believe (Express "trust proxy"). Default
 * "loopback": a reverse proxy on the same machine. "false" believes none; a number is that many
 * hops; anything else is a list of addresses or subnets ("10.0.0.0/8, 192.168.1.5").
 */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw) return 'loopback';
  if (raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}
