/**
 * Security headers on every kind of answer — an API route, the web UI's index page, a built
 * static file, the server-rendered verification page — and session tokens only ever in the
 * Authorization header, never in an address. Needs the web UI built (npm run build:web).
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROUTES } from '../../api/app';
import { WEB_DIST } from '../../api/webApp';
import { trustProxyFromEnv } from '../../api/securityHeaders';
import { createTestOfficer, sessionFor, startTestApp, type TestApp } from '../support/identityApp';

function expectStrictHeaders(res: Response): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values] as const));
  expect(directives.get('default-src')).to.deep.equal(["'self'"]);
  expect(directives.get('script-src')?.[0]).to.equal("'self'");
  expect(directives.get('script-src')).to.not.include("'unsafe-inline'").and.not.include("'unsafe-eval'");
  expect(directives.get('frame-ancestors')).to.deep.equal(["'none'"]);
  expect(directives.get('object-src')).to.deep.equal(["'none'"]);
  expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
  expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
  expect(res.headers.get('x-frame-options')).to.equal('DENY');
  expect(res.headers.get('cross-origin-opener-policy')).to.equal('same-origin');
  expect(res.headers.get('permissions-policy')).to.include('camera=()');
  // Plain HTTP from the test: no HSTS (a browser would pin a name that has no certificate).
  expect(res.headers.get('strict-transport-security')).to.equal(null);
}

describe('security headers and tokens', function () {
  this.timeout(60_000);
  let app: TestApp;
  let token: string;

  before(async () => {
    app = await startTestApp({ otpRequired: false }, { web: true });
    const id = await createTestOfficer(app.ctx.db, { username: 'tiepnhan.tieude', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
    token = await sessionFor(app, id);
  });
  after(async () => app?.close());

  it('sends them on an API route, on a refusal, on the UI index page and on a static asset', async () => {
    const api = await fetch(`${app.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expectStrictHeaders(api);
    expectStrictHeaders(await fetch(`${app.baseUrl}/api/files/not-a-file`));
    const index = await fetch(`${app.baseUrl}/`);
    expect(index.status).to.equal(200);
    expectStrictHeaders(index);
    const html = await index.text();
    // The built page runs no inline script, which the policy would block.
    expect(html).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/);
    const asset = readdirSync(join(WEB_DIST, 'assets')).find((f) => f.endsWith('.js'))!;
    const js = await fetch(`${app.baseUrl}/assets/${asset}`);
    expect(js.status).to.equal(200);
    expectStrictHeaders(js);
  });

  it('lets the verification page run its own inline script only, by its hash', async () => {
    const res = await fetch(`${app.baseUrl}/verify`);
    expectStrictHeaders(res);
    const page = await res.text();
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).to.have.length(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(res.headers.get('content-security-policy')).to.include(`'sha256-${hash}'`);
    expect(page).to.not.match(/\son[a-z]+="/); // no inline event handlers
  });

  it('sends HSTS only for a request that came over HTTPS through a trusted proxy', async () => {
    // The test connects over loopback, which TRUST_PROXY trusts by default.
    const viaTls = await fetch(`${app.baseUrl}/api/auth/me`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaTls.headers.get('strict-transport-security')).to.match(/^max-age=\d+/);
    expect(trustProxyFromEnv({})).to.equal('loopback');
    expect(trustProxyFromEnv({ TRUST_PROXY: 'false' })).to.equal(false);
    expect(trustProxyFromEnv({ TRUST_PROXY: '1' })).to.equal(1);
    expect(trustProxyFromEnv({ TRUST_PROXY: '10.0.0.0/8' })).to.equal('10.0.0.0/8');
  });

  it('accepts a session token in the Authorization header only, never in the address', async () => {
    const withHeader = await fetch(`${app.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(withHeader.status).to.equal(200);
    for (const name of ['token', 'access_token', 'session', 't', 'authorization', 'bearer']) {
      const res = await fetch(`${app.baseUrl}/api/auth/me?${name}=${encodeURIComponent(token)}`);
      expect(res.status, name).to.equal(401);
      const file = await fetch(`${app.baseUrl}/api/files/00000000-0000-4000-8000-000000000000?${name}=${encodeURIComponent(token)}`);
      expect(file.status, name).to.equal(401);
    }
    // Every guarded GET route, officers' and citizens' alike: a token in the address is no login.
    for (const route of ROUTES.filter((r) => r.method === 'get' && r.access !== 'public')) {
      const path = route.path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
      const res = await fetch(`${app.baseUrl}${path}?token=${token}&access_token=${token}`);
      expect(res.status, route.path).to.equal(401);
    }
  });
});
