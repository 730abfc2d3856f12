import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { citizenConfigFromEnv, DEFAULT_CITIZEN_CONFIG } from '../../api/context';
import { HttpSocialInsuranceRegistry, SocialInsuranceUnavailable } from '../../infra/socialInsurance/httpSocialInsuranceRegistry';
import { socialInsuranceFromEnv } from '../../infra/socialInsurance/socialInsuranceFromEnv';
import { LocalSocialInsuranceRegistry } from '../../infra/socialInsurance/socialInsuranceRegistry';
import { http } from '../support/identityApp';
import { captcha, smsCount, startCitizenTestApp, type CitizenTestApp } from '../support/citizenApp';

describe('citizen registration settings and the social-insurance registry over HTTP', function () {
  this.timeout(60_000);
  let server: Server;
  let base: string;
  const seen: Array<{ url: string; authorization?: string }> = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === '/people/0123456789') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ idNumber: '012090123456', fullName: 'Lò Văn Minh', birthDate: '1990-04-12T00:00:00Z', phone: '0386123456' }));
      } else if (req.url === '/people/0000000000') {
        res.statusCode = 500;
        res.end('registry down');
      } else if (req.url === '/people/1111111111') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ idNumber: '012090123456' }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/people/`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a person, treats 404 as unknown and anything else as the registry being unavailable', async () => {
    const registry = new HttpSocialInsuranceRegistry({ url: base, token: 'secret-token' });
    expect(await registry.lookup('0123456789')).to.deep.equal({ idNumber: '012090123456', fullName: 'Lò Văn Minh', birthDate: '1990-04-12', phone: '0386123456' });
    expect(seen.at(-1)).to.deep.equal({ url: '/people/0123456789', authorization: 'Bearer secret-token' });
    expect(await registry.lookup('0999999999')).to.equal(undefined);
    let failure: unknown;
    await registry.lookup('0000000000').catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(SocialInsuranceUnavailable);
    failure = undefined;
    await registry.lookup('1111111111').catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(SocialInsuranceUnavailable);
  });

  it('answers 503 and sends nothing when the registry cannot answer a registration', async () => {
    let app: CitizenTestApp | undefined;
    try {
      app = await startCitizenTestApp();
      app.ctx.socialInsurance = new HttpSocialInsuranceRegistry({ url: base });
      const down = await http(app, 'POST', '/api/citizen/register/social-insurance', { body: { socialInsuranceNumber: '0000000000', birthDate: '1990-04-12', ...(await captcha(app)) } });
      expect(down.status).to.equal(503);
      expect(down.body.error.code).to.equal('SOCIAL_INSURANCE_UNAVAILABLE');
      const ok = await http(app, 'POST', '/api/citizen/register/social-insurance', { body: { socialInsuranceNumber: '0123456789', birthDate: '1990-04-12', ...(await captcha(app)) } });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(await smsCount(app, '0386123456')).to.equal(1);
    } finally {
      await app?.close();
    }
  });

  it('reads the citizen settings from the environment and refuses malformed ones at start-up', () => {
    expect(citizenConfigFromEnv({})).to.deep.equal(DEFAULT_CITIZEN_CONFIG);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const c = citizenConfigFromEnv(
      { CITIZEN_SESSION_TTL_MINUTES: '30', CITIZEN_OTP_TTL_SECONDS: '90', CITIZEN_OTP_RESEND_SECONDS: '45', CITIZEN_OTP_MAX_SENDS: '3', CITIZEN_LOGIN_MAX_FAILURES: '4', CITIZEN_TRUSTED_CA_FILE: '/etc/ca.pem' },
      (path) => (path === '/etc/ca.pem' ? `${pem}\n${pem}\n` : ''),
    );
    expect(c).to.include({ sessionTtlMs: 1_800_000, otpTtlMs: 90_000, otpResendIntervalMs: 45_000, otpMaxSends: 3, maxFailedLogins: 4 });
    expect(c.extraTrustedRoots).to.deep.equal([pem, pem]);
    expect(() => citizenConfigFromEnv({ CITIZEN_OTP_MAX_SENDS: '2.5' })).to.throw('CITIZEN_OTP_MAX_SENDS must be a positive integer');
    expect(() => citizenConfigFromEnv({ CITIZEN_OTP_TTL_SECONDS: '-1' })).to.throw('CITIZEN_OTP_TTL_SECONDS');
    expect(() => citizenConfigFromEnv({ CITIZEN_TRUSTED_CA_FILE: '/empty' }, () => 'nothing')).to.throw('holds no PEM certificate');
    expect(citizenConfigFromEnv({ CITIZEN_SIGNER_URL: 'http://localhost:24680/' }).signerUrl).to.equal('http://localhost:24680');
    expect(citizenConfigFromEnv({ CITIZEN_SIGNER_URL: 'https://127.0.0.1:8443' }).signerUrl).to.equal('https://127.0.0.1:8443');
    // The signing tool runs on the citizen's computer: never another host.
    expect(() => citizenConfigFromEnv({ CITIZEN_SIGNER_URL: 'http://signer.example.vn:18765' })).to.throw('CITIZEN_SIGNER_URL');
    expect(() => citizenConfigFromEnv({ CITIZEN_SIGNER_URL: 'http://127.0.0.1:18765/sign' })).to.throw('CITIZEN_SIGNER_URL');
    expect(() => citizenConfigFromEnv({ CITIZEN_SIGNER_URL: 'not a url' })).to.throw('CITIZEN_SIGNER_URL');
  });

  it('picks the registry from SOCIAL_INSURANCE_URL', () => {
    const db = {} as never;
    expect(socialInsuranceFromEnv(db, {})).to.be.instanceOf(LocalSocialInsuranceRegistry);
    expect(socialInsuranceFromEnv(db, { SOCIAL_INSURANCE_URL: base, SOCIAL_INSURANCE_TOKEN: 't' })).to.be.instanceOf(HttpSocialInsuranceRegistry);
    expect(() => socialInsuranceFromEnv(db, { SOCIAL_INSURANCE_URL: 'ftp://x' })).to.throw('SOCIAL_INSURANCE_URL');
  });
});
