import { expect } from 'chai';
import { createPublicLinks, isLoopbackUrl, loopbackWarning, publicLinksFromEnv } from './publicLinks';

describe('public links on citizens’ papers', () => {
  const links = createPublicLinks('https://motcua.example.vn/', 'a secret of the commune');

  it('points the QR code at the verification page with a token for that case only', () => {
    const url = new URL(links.verifyUrl('000.15.43.H35-261123-0001'));
    expect(url.origin + url.pathname).to.equal('https://motcua.example.vn/verify/000.15.43.H35-261123-0001');
    const token = url.searchParams.get('t')!;
    expect(links.tokenMatches('000.15.43.H35-261123-0001', token)).to.equal(true);
    expect(links.tokenMatches('000.15.43.H35-261123-0002', token)).to.equal(false);
    expect(links.tokenMatches('000.15.43.H35-261123-0001', token.slice(1))).to.equal(false);
  });

  it('gives another token under another secret', () => {
    const other = createPublicLinks('https://motcua.example.vn', 'another secret entirely');
    expect(other.verifyUrl('X-1')).to.not.equal(links.verifyUrl('X-1'));
  });

  it('reads its settings from the environment and refuses bad ones', () => {
    expect(publicLinksFromEnv({}, { port: 8080, masterKey: Buffer.alloc(32, 7) }).verifyUrl('A')).to.match(/^http:\/\/localhost:8080\/verify\/A\?t=/);
    expect(() => publicLinksFromEnv({ PUBLIC_BASE_URL: 'not a url' }, { port: 1, masterKey: Buffer.alloc(32) })).to.throw(/PUBLIC_BASE_URL/);
    expect(() => publicLinksFromEnv({ VERIFY_LINK_SECRET: 'short' }, { port: 1 })).to.throw(/16 characters/);
    expect(() => publicLinksFromEnv({}, { port: 1 })).to.throw(/VERIFY_LINK_SECRET/);
  });
});

describe('a public address only this machine can open', () => {
  it('is localhost, 127.x.x.x, ::1 or 0.0.0.0, whatever the port or the case', () => {
    for (const url of ['http://localhost:3000', 'http://LOCALHOST', 'https://app.localhost/', 'http://127.0.0.1:3000', 'http://127.1.2.3', 'http://[::1]:3000', 'http://0.0.0.0:3000']) {
      expect(isLoopbackUrl(url), url).to.equal(true);
    }
    for (const url of ['https://motcua.example.vn', 'http://10.0.0.5:3000', 'http://192.168.1.20', 'http://localhost.example.vn', 'http://chungthuc.test']) {
      expect(isLoopbackUrl(url), url).to.equal(false);
    }
  });

  it('is warned about with what it breaks and how to set it', () => {
    const text = loopbackWarning('http://localhost:3000', false).join('\n');
    expect(text).to.include('PUBLIC_BASE_URL is not set; it defaults to http://localhost:3000');
    expect(text).to.include('QR code').and.include('CRL').and.include('PUBLIC_BASE_URL=https://');
  });
});
