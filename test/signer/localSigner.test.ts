/**
 * The reference local signer (signer/): the protocol as a page meets it — loopback, the portal's
 * origins only, CORS and Chrome's private-network preflight — and its promises to the holder:
 * nothing but a portal challenge is signed, nothing without the PIN typed in the signer, a
 * request it cannot finish is withdrawn. The signature it makes is one the API accepts. The last
 * test runs `npm run signer` itself as its holder would, typing in its terminal.
 */
import { expect } from 'chai';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChallengeSignature, type ChallengeTrust } from '../../infra/pki/challengeSignature';
import { issueCitizenCertificate } from '../../infra/pki/citizenCertificates';
import { writePkcs12 } from '../../infra/pki/pkcs12';
import { startLocalSigner, type Approver, type RunningSigner, type SignatureRequest } from '../../signer/localSigner';
import { P12Keystore } from '../../signer/p12Keystore';
import { challengeText, type SignerCertificate } from '../../signer/protocol';
import { startCertificationServices, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { startReferenceSigner } from '../support/referenceSigner';

const NOW = new Date('2026-03-02T02:00:00Z');
const PORTAL = 'http://127.0.0.1:3999';
const PIN = '246810';

const newChallenge = (purpose: 'register' | 'login' = 'login') => challengeText(purpose, NOW, randomBytes(32).toString('base64url'));

/** An approver that answers from a script and remembers what it was shown. */
class ScriptedHolder implements Approver {
  readonly shown: Array<{ request: SignatureRequest; attempt: number; signal: AbortSignal }> = [];
  readonly outcomes: string[] = [];
  constructor(private readonly answer: (attempt: number) => Promise<string | undefined> | string | undefined) {}
  async askPin(request: SignatureRequest, attempt: number, signal: AbortSignal): Promise<string | undefined> {
    this.shown.push({ request, attempt, signal });
    return this.answer(attempt);
  }
  told(_request: SignatureRequest, outcome: string): void {
    this.outcomes.push(outcome);
  }
}

/** A raw HTTP request, so Host and Origin are exactly what a test says. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the reference local signer', function () {
  this.timeout(120_000);
  let fresh: FreshDatabase;
  let services: TestCertificationServices;
  let trust: ChallengeTrust;
  let dir: string;
  let p12Path: string;
  let keystore: P12Keystore;
  let certificate: SignerCertificate;
  let running: RunningSigner | undefined;

  before(async () => {
    fresh = await freshDatabase();
    services = await startCertificationServices(fresh.db, { now: () => NOW.getTime() });
    const citizen = await issueCitizenCertificate(services.pki, { idNumber: '001099012345', fullName: 'Nguyễn Thị Ánh Tuyết' });
    const ca = (await services.pki.authority()).certificate;
    trust = { ...(await services.pki.trust()), at: new Date(NOW.getTime() + 60_000) };
    dir = mkdtempSync(join(tmpdir(), 'local-signer-'));
    p12Path = join(dir, 'chu-ky-so.p12');
    writeFileSync(p12Path, writePkcs12({ certificate: citizen.certificatePem, chain: [ca], privateKey: createPrivateKey(citizen.privateKeyPem) }, PIN));
    keystore = P12Keystore.open(readFileSync(p12Path), PIN);
    [certificate] = keystore.certificates();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  after(async () => {
    await services?.close();
    await fresh?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function start(holder: Approver, extra: { approvalTimeoutMs?: number } = {}): Promise<RunningSigner> {
    running = await startLocalSigner({ keystore, allowedOrigins: [PORTAL], approver: holder, port: 0, ...extra });
    return running;
  }

  const sign = (signer: RunningSigner, body: unknown, signal?: AbortSignal) =>
    fetch(`${signer.url}/v1/sign`, { method: 'POST', headers: { origin: PORTAL, 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

  it('tells the portal its protocol and its certificates, with CORS naming the portal only', async () => {
    const signer = await start(new ScriptedHolder(() => undefined));
    const info = await fetch(`${signer.url}/v1/info`, { headers: { origin: PORTAL } });
    expect(info.status).to.equal(200);
    expect(info.headers.get('access-control-allow-origin')).to.equal(PORTAL);
    expect(info.headers.get('vary')).to.equal('Origin');
    expect(await info.json()).to.deep.include({ protocol: 'chungthuc-local-signer', version: 1 });
    const list = (await (await fetch(`${signer.url}/v1/certificates`, { headers: { origin: PORTAL } })).json()) as { certificates: SignerCertificate[] };
    expect(list.certificates).to.have.length(1);
    expect(list.certificates[0]).to.deep.include({ name: 'Nguyễn Thị Ánh Tuyết', idNumber: '001099012345', issuer: 'CA chứng thực điện tử nội bộ' });
    expect(list.certificates[0].id).to.match(/^[0-9a-f]{64}$/);
    expect(list.certificates[0].certificate).to.match(/^-----BEGIN CERTIFICATE-----/);
  });

  it('answers no other web page, no request without an origin, and nothing addressed to another host name', async () => {
    const signer = await start(new ScriptedHolder(() => PIN));
    const other = await raw(`${signer.url}/v1/certificates`, { headers: { origin: 'https://ke-gian.example' } });
    expect(other.status).to.equal(403);
    expect(JSON.parse(other.body).error.code).to.equal('ORIGIN_NOT_ALLOWED');
    expect(other.headers['access-control-allow-origin']).to.equal(undefined);
    expect(JSON.parse((await raw(`${signer.url}/v1/certificates`, {})).body).error.code).to.equal('ORIGIN_NOT_ALLOWED');
    // A page that points its own name at 127.0.0.1 still sends that name as Host.
    const rebound = await raw(`${signer.url}/v1/certificates`, { headers: { origin: PORTAL, host: `ke-gian.example:${signer.port}` } });
    expect(rebound.status).to.equal(403);
    expect(JSON.parse(rebound.body).error.code).to.equal('HOST_NOT_ALLOWED');
    expect((await raw(`${signer.url}/v1/certificates`, { headers: { origin: PORTAL, host: `localhost:${signer.port}` } })).status).to.equal(200);
    expect((await raw(`${signer.url}/v1/nothing`, { headers: { origin: PORTAL } })).status).to.equal(404);
  });

  it('answers the CORS preflight, and Chrome’s question whether a page may reach this computer', async () => {
    const signer = await start(new ScriptedHolder(() => PIN));
    const res = await raw(`${signer.url}/v1/sign`, {
      method: 'OPTIONS',
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', 'access-control-request-private-network': 'true' },
    });
    expect(res.status).to.equal(204);
    expect(res.headers).to.include({
      'access-control-allow-origin': PORTAL,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      'access-control-allow-private-network': 'true',
    });
    const stranger = await raw(`${signer.url}/v1/sign`, { method: 'OPTIONS', headers: { origin: 'https://ke-gian.example', 'access-control-request-method': 'POST' } });
    expect(stranger.status).to.equal(403);
    expect(stranger.headers['access-control-allow-origin']).to.equal(undefined);
  });

  it('signs a portal challenge once the holder, shown the page, the purpose and the text, types the right PIN', async () => {
    const holder = new ScriptedHolder((attempt) => (attempt === 1 ? '000000' : PIN));
    const signer = await start(holder);
    const challenge = newChallenge('login');
    const res = await sign(signer, { certificateId: certificate.id, challenge });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { format: string; signature: string; certificate: string };
    expect(body.format).to.equal('cms-detached');
    expect(body.certificate).to.equal(certificate.certificate);
    expect(verifyChallengeSignature({ challenge, signature: body.signature }, trust)).to.include({ idNumber: '001099012345', fullName: 'Nguyễn Thị Ánh Tuyết' });
    // The first PIN was wrong: asked again, same request.
    expect(holder.shown.map((s) => s.attempt)).to.deep.equal([1, 2]);
    expect(holder.shown[0].request).to.deep.include({ origin: PORTAL, purpose: 'login', challenge });
    expect(holder.shown[0].request.issuedAt.toISOString()).to.equal(NOW.toISOString());
    expect(holder.outcomes).to.deep.equal(['signed']);
  });

  it('signs nothing but a portal challenge, and asks the holder nothing when the text is not one', async () => {
    const holder = new ScriptedHolder(() => PIN);
    const signer = await start(holder);
    const good = newChallenge();
    for (const challenge of ['Tôi đồng ý chuyển 100.000.000 đ', `${good}x`, good.replace('dichvucong:', 'dichvucong2:'), good.replace(':login:', ':payment:'), JSON.stringify({ challenge: good })]) {
      const res = await sign(signer, { certificateId: certificate.id, challenge });
      expect(res.status, challenge).to.equal(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('CHALLENGE_REFUSED');
    }
    const form = await fetch(`${signer.url}/v1/sign`, { method: 'POST', headers: { origin: PORTAL, 'content-type': 'text/plain' }, body: JSON.stringify({ certificateId: certificate.id, challenge: good }) });
    expect(form.status).to.equal(400);
    expect(((await form.json()) as { error: { code: string } }).error.code).to.equal('BAD_REQUEST');
    expect(holder.shown).to.deep.equal([]);
  });

  it('refuses when the holder declines, after three wrong PINs, for an unknown certificate, and while another request waits', async () => {
    const declining = new ScriptedHolder(() => undefined);
    let signer = await start(declining);
    let res = await sign(signer, { certificateId: certificate.id, challenge: newChallenge() });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).to.deep.equal([403, 'DECLINED']);
    await signer.close();

    const forgetful = new ScriptedHolder(() => '111111');
    signer = await start(forgetful);
    res = await sign(signer, { certificateId: certificate.id, challenge: newChallenge() });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).to.deep.equal([403, 'PIN_BLOCKED']);
    expect(forgetful.shown.map((s) => s.attempt)).to.deep.equal([1, 2, 3]);
    res = await sign(signer, { certificateId: 'f'.repeat(64), challenge: newChallenge() });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).to.deep.equal([404, 'CERTIFICATE_NOT_FOUND']);
    await signer.close();

    let approve: (pin: string) => void = () => undefined;
    const slow = new ScriptedHolder(() => new Promise<string>((resolve) => (approve = resolve)));
    signer = await start(slow);
    const first = sign(signer, { certificateId: certificate.id, challenge: newChallenge() });
    while (slow.shown.length === 0) await new Promise((r) => setImmediate(r));
    const second = await sign(signer, { certificateId: certificate.id, challenge: newChallenge() });
    expect([second.status, ((await second.json()) as { error: { code: string } }).error.code]).to.deep.equal([409, 'BUSY']);
    approve(PIN);
    expect((await first).status).to.equal(200);
  });

  it('withdraws a request from the holder when its page goes away or nobody answers in time', async () => {
    const waiting = new ScriptedHolder(() => new Promise<undefined>(() => undefined));
    let signer = await start(waiting);
    const leave = new AbortController();
    const pending = sign(signer, { certificateId: certificate.id, challenge: newChallenge() }, leave.signal).catch((e: unknown) => e);
    while (waiting.shown.length === 0) await new Promise((r) => setImmediate(r));
    leave.abort();
    await pending;
    while (waiting.outcomes.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(waiting.shown[0].signal.aborted).to.equal(true);
    expect(waiting.outcomes).to.deep.equal(['withdrawn']);
    await signer.close();

    const unanswered = new ScriptedHolder(() => new Promise<undefined>(() => undefined));
    signer = await start(unanswered, { approvalTimeoutMs: 50 });
    const res = await sign(signer, { certificateId: certificate.id, challenge: newChallenge() });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).to.deep.equal([408, 'TIMEOUT']);
    expect(unanswered.outcomes).to.deep.equal(['withdrawn']);
  });

  it('runs as `npm run signer`: opens the file with its PIN, shows each request in the terminal and signs with the PIN typed there', async () => {
    const signer = await startReferenceSigner({ p12Path, pin: PIN, origins: [PORTAL] });
    try {
      expect(signer.output()).to.include('Chứng thư số: Nguyễn Thị Ánh Tuyết (số định danh 001099012345), do CA chứng thực điện tử nội bộ cấp');
      expect(signer.output()).to.include(`Chỉ nhận yêu cầu từ: ${PORTAL}`);
      const list = (await (await fetch(`${signer.url}/v1/certificates`, { headers: { origin: PORTAL } })).json()) as { certificates: SignerCertificate[] };
      const challenge = newChallenge('register');
      const mark = signer.output().length;
      const answer = fetch(`${signer.url}/v1/sign`, {
        method: 'POST',
        headers: { origin: PORTAL, 'content-type': 'application/json' },
        body: JSON.stringify({ certificateId: list.certificates[0].id, challenge }),
      });
      await signer.waitFor(/Nhập mã PIN để đồng ý ký/, mark);
      const prompt = signer.output().slice(mark);
      expect(prompt).to.include(`Trang web yêu cầu : ${PORTAL}`);
      expect(prompt).to.include('Mục đích          : ĐĂNG KÝ tài khoản trên Cổng dịch vụ công');
      expect(prompt).to.include(`Chuỗi được ký     : ${challenge}`);
      signer.type('999999');
      await signer.waitFor(/Mã PIN không đúng \(lần 1\)/, mark);
      signer.type(PIN);
      const res = await answer;
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { signature: string };
      expect(verifyChallengeSignature({ challenge, signature: body.signature }, trust).idNumber).to.equal('001099012345');
      await signer.waitFor(/Đã ký và gửi chữ ký cho trang web/, mark);
    } finally {
      await signer.close();
    }
  });
});
