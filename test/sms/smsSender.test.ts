import { expect } from 'chai';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayBody, HttpSmsSender, SmsDeliveryError } from '../../infra/sms/httpSmsSender';
import { smsSenderFromEnv } from '../../infra/sms/smsFromEnv';
import { LocalSmsSender, maskSecrets } from '../../infra/sms/smsSender';
import { freshDatabase, type FreshDatabase } from '../support/database';

const NOW = new Date('2026-03-02T02:00:00Z');
const now = () => NOW;

interface Gateway {
  url: string;
  received: Array<{ headers: IncomingHttpHeaders; raw: string }>;
  answer: { status: number; body: string };
  /** Milliseconds the gateway takes to answer, so concurrent requests overlap. */
  delayMs: number;
  close(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const gateway: Omit<Gateway, 'url' | 'close'> = { received: [], answer: { status: 200, body: '{"id":"gw-1"}' }, delayMs: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      gateway.received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      const { status, body } = gateway.answer;
      setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), gateway.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(gateway, {
    url: `http://127.0.0.1:${port}/send`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

interface OutboxRow {
  id: string;
  to_phone: string;
  body: string;
  purpose: string;
  provider: string;
  status: string;
  provider_ref: string | null;
  dedupe_key: string | null;
}

describe('SMS senders: keys, secrets, gateway templates', function () {
  this.timeout(60_000);
  let fresh: FreshDatabase;
  let gateway: Gateway;

  before(async () => {
    fresh = await freshDatabase();
    gateway = await startGateway();
  });
  after(async () => {
    await gateway?.close();
    await fresh?.close();
  });
  beforeEach(async () => {
    await fresh.db.query('delete from sms_outbox');
    gateway.received.length = 0;
    gateway.answer = { status: 200, body: '{"id":"gw-1"}' };
    gateway.delayMs = 0;
  });

  const outbox = (): Promise<OutboxRow[]> =>
    fresh.db.query('select id, to_phone, body, purpose, provider, status, provider_ref, dedupe_key from sms_outbox order by seq');

  describe('maskSecrets', () => {
    it('replaces every occurrence of each secret by at least six stars, and ignores empty secrets', () => {
      expect(maskSecrets('Mã OTP 123456. Nhắc lại: 123456', ['123456'])).to.equal('Mã OTP ******. Nhắc lại: ******');
      expect(maskSecrets('Mật khẩu: Ab1!xyzQWE9', ['Ab1!xyzQWE9'])).to.equal('Mật khẩu: ***********');
      expect(maskSecrets('mã 42', ['42'])).to.equal('mã ******');
      expect(maskSecrets('không đổi', ['', 'xyz'])).to.equal('không đổi');
      expect(maskSecrets('không đổi')).to.equal('không đổi');
    });
  });

  describe('LocalSmsSender', () => {
    it('stores the whole message and masks its secrets on the console', async () => {
      const lines: string[] = [];
      const sender = new LocalSmsSender(fresh.db, now, (l) => lines.push(l));
      const sent = await sender.send('0912345678', 'Mã OTP của bạn là 482913', 'account-otp', { secrets: ['482913'] });
      expect(sent).to.deep.equal({ id: sent.id, status: 'stored' });
      expect(lines).to.deep.equal(['[sms] → 0912345678 (account-otp): Mã OTP của bạn là ******']);
      const rows = await outbox();
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ id: sent.id, body: 'Mã OTP của bạn là 482913', provider: 'local', status: 'stored', dedupe_key: null });
    });

    it('sends a keyed message at most once, and unkeyed ones every time', async () => {
      const lines: string[] = [];
      const sender = new LocalSmsSender(fresh.db, now, (l) => lines.push(l));
      const first = await sender.send('0912345678', 'Mật khẩu: Xy7!abcd', 'account-password', { key: 'account:1:password', secrets: ['Xy7!abcd'] });
      const again = await sender.send('0912345678', 'Mật khẩu: Zz9!other', 'account-password', { key: 'account:1:password', secrets: ['Zz9!other'] });
      expect(again).to.deep.equal({ id: first.id, status: 'stored', alreadySent: true });
      await sender.send('0912345678', 'Không khóa', 'test');
      await sender.send('0912345678', 'Không khóa', 'test');
      const rows = await outbox();
      expect(rows.map((r) => r.body)).to.deep.equal(['Mật khẩu: Xy7!abcd', 'Không khóa', 'Không khóa']);
      expect(lines).to.have.length(3);
    });

    it('stores one row when concurrent sends share a key', async () => {
      const sender = new LocalSmsSender(fresh.db, now);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => sender.send('0912345678', `Lần ${i}`, 'test', { key: 'account:2:password' })));
      const rows = await outbox();
      expect(rows).to.have.length(1);
      expect(new Set(results.map((r) => r.id))).to.deep.equal(new Set([rows[0].id]));
      expect(results.filter((r) => !r.alreadySent)).to.have.length(1);
    });
  });

  describe('HttpSmsSender', () => {
    it('posts {to, text, sender} with a bearer token and stores the body with its secrets masked', async () => {
      const sender = new HttpSmsSender(fresh.db, now, { url: gateway.url, token: 'gw-secret', senderName: 'UBND-XA' });
      gateway.answer = { status: 200, body: '{"id": 77}' };
      const sent = await sender.send('0912345678', 'Mã OTP: 482913', 'account-otp', { secrets: ['482913'] });
      expect(sent).to.deep.equal({ id: sent.id, status: 'sent' });
      expect(gateway.received).to.have.length(1);
      expect(gateway.received[0].headers.authorization).to.equal('Bearer gw-secret');
      expect(JSON.parse(gateway.received[0].raw)).to.deep.equal({ to: '0912345678', text: 'Mã OTP: 482913', sender: 'UBND-XA' });
      expect((await outbox())[0]).to.include({ body: 'Mã OTP: ******', status: 'sent', provider: 'http', provider_ref: '77' });
    });

    it('fills a template and authenticates with basic credentials', async () => {
      const template = '{"phone": {{to}}, "message": {{text}}, "brandname": {{sender}}, "unicode": 1}';
      const sender = new HttpSmsSender(fresh.db, now, { url: gateway.url, token: 'user:p@ss:word', basicAuth: true, template });
      await sender.send('0912345678', 'Chào "bạn"\nDòng 2 \\ {{to}}', 'test');
      const got = gateway.received[0];
      expect(got.headers.authorization).to.equal(`Basic ${Buffer.from('user:p@ss:word').toString('base64')}`);
      // Placeholders in the message itself are text, not template.
      expect(JSON.parse(got.raw)).to.deep.equal({ phone: '0912345678', message: 'Chào "bạn"\nDòng 2 \\ {{to}}', brandname: '', unicode: 1 });
      expect(gatewayBody({ template: '{"m": {{text}}, "s": {{sender}}}', senderName: 'UBND' }, '09', '$& $1')).to.equal('{"m": "$& $1", "s": "UBND"}');
    });

    it('does not send a keyed message that already went out', async () => {
      const sender = new HttpSmsSender(fresh.db, now, { url: gateway.url, token: 't' });
      const first = await sender.send('0912345678', 'Mật khẩu: Q1w!e2r3', 'account-password', { key: 'account:3:password', secrets: ['Q1w!e2r3'] });
      const again = await sender.send('0912345678', 'Mật khẩu: Q1w!e2r3', 'account-password', { key: 'account:3:password', secrets: ['Q1w!e2r3'] });
      expect(again).to.deep.equal({ id: first.id, status: 'sent', alreadySent: true });
      expect(gateway.received).to.have.length(1);
      expect(await outbox()).to.have.length(1);
    });

    it('keeps no key on a failed attempt, so the retry sends and records under the key', async () => {
      const sender = new HttpSmsSender(fresh.db, now, { url: gateway.url, token: 't' });
      gateway.answer = { status: 503, body: '{"error":"busy"}' };
      const err = await sender.send('0912345678', 'OTP 111222', 'account-otp', { key: 'account:4:otp:1', secrets: ['111222'] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(SmsDeliveryError);
      expect((err as Error).message).to.include('HTTP 503').and.not.include('111222');
      gateway.answer = { status: 200, body: '{"id":"gw-9"}' };
      const retry = await sender.send('0912345678', 'OTP 111222', 'account-otp', { key: 'account:4:otp:1', secrets: ['111222'] });
      expect(retry.status).to.equal('sent');
      expect(retry.alreadySent).to.equal(undefined);
      const rows = await outbox();
      expect(rows.map((r) => [r.status, r.dedupe_key, r.body])).to.deep.equal([
        ['failed', null, 'OTP ******'],
        ['sent', 'account:4:otp:1', 'OTP ******'],
      ]);
      expect(gateway.received).to.have.length(2);
    });

    it('sends once and stores one row when concurrent sends share a key', async () => {
      const sender = new HttpSmsSender(fresh.db, now, { url: gateway.url, token: 't' });
      gateway.delayMs = 100;
      const results = await Promise.all(Array.from({ length: 5 }, () => sender.send('0912345678', 'Mật khẩu: K8#mnbvc', 'account-password', { key: 'account:5:password' })));
      const rows = await outbox();
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ status: 'sent', dedupe_key: 'account:5:password' });
      expect(gateway.received).to.have.length(1);
      expect(new Set(results.map((r) => r.id))).to.deep.equal(new Set([rows[0].id]));
      expect(results.filter((r) => !r.alreadySent)).to.have.length(1);
    });

    it('sends unkeyed messages concurrently without waiting for each other', async () => {
      const sender = new HttpSmsSender(fresh.db, now, { url: gateway.url, token: 't' });
      gateway.delayMs = 300;
      const started = Date.now();
      await Promise.all(Array.from({ length: 4 }, (_, i) => sender.send('0912345678', `Tin ${i}`, 'test')));
      expect(Date.now() - started).to.be.below(1100);
      expect(await outbox()).to.have.length(4);
    });
  });

  describe('smsSenderFromEnv', () => {
    const base = () => ({ SMS_PROVIDER: 'http', SMS_HTTP_URL: gateway.url, SMS_HTTP_TOKEN: 'user:secret' });

    it('reads SMS_HTTP_AUTH and SMS_HTTP_TEMPLATE into a working sender', async () => {
      const sender = smsSenderFromEnv(fresh.db, now, { ...base(), SMS_HTTP_AUTH: 'basic', SMS_SENDER_NAME: 'UBND-XA', SMS_HTTP_TEMPLATE: ' {"dest": {{to}}, "msg": {{text}}, "from": {{sender}}} ' });
      expect(sender).to.be.instanceOf(HttpSmsSender);
      await sender.send('0987654321', 'Xin chào', 'test');
      expect(gateway.received[0].headers.authorization).to.equal(`Basic ${Buffer.from('user:secret').toString('base64')}`);
      expect(JSON.parse(gateway.received[0].raw)).to.deep.equal({ dest: '0987654321', msg: 'Xin chào', from: 'UBND-XA' });
    });

    it('defaults to a bearer token and the {to, text} body', async () => {
      await smsSenderFromEnv(fresh.db, now, base()).send('0987654321', 'Xin chào', 'test');
      expect(gateway.received[0].headers.authorization).to.equal('Bearer user:secret');
      expect(JSON.parse(gateway.received[0].raw)).to.deep.equal({ to: '0987654321', text: 'Xin chào' });
    });

    it('refuses wrong settings at start-up with a clear message', () => {
      expect(() => smsSenderFromEnv(fresh.db, now, { ...base(), SMS_HTTP_AUTH: 'digest' })).to.throw(/SMS_HTTP_AUTH must be 'bearer' or 'basic', got 'digest'/);
      expect(() => smsSenderFromEnv(fresh.db, now, { ...base(), SMS_HTTP_TOKEN: 'token-only', SMS_HTTP_AUTH: 'basic' })).to.throw(/user:password/);
      expect(() => smsSenderFromEnv(fresh.db, now, { ...base(), SMS_HTTP_TEMPLATE: '{"msg": "{{text}}"}' })).to.throw(/SMS_HTTP_TEMPLATE must be JSON/);
      expect(() => smsSenderFromEnv(fresh.db, now, { ...base(), SMS_HTTP_TEMPLATE: '{"to": {{to}}}' })).to.throw(/must contain \{\{text\}\}/);
    });
  });
});
