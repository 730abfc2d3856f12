/** What the mail tests share: a PDF-like attachment, a port nobody listens on, a counted transport. */
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createMailTransport, localMailSettings, type MailTransport } from '../../infra/mail/mailTransport';

/** 1 December 2026, 10:00 in Hà Nội. */
export const MAIL_TEST_TIME = Date.parse('2026-12-01T03:00:00Z');

/** PDF framing around every byte value, so any 8-bit damage in transit shows in the hash. */
export function samplePdf(label: string): Buffer {
  const body = Buffer.alloc(4096);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + label.length) % 256;
  return Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n'), Buffer.from(label), body, Buffer.from('\n%%EOF\n')]);
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A loopback port that was free a moment ago and has no listener now. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A transport to the embedded server on `port` that counts the messages it really hands to SMTP. */
export function countedTransport(port: number): { transport: MailTransport; sent: () => number } {
  const transport = createMailTransport(localMailSettings(port));
  let count = 0;
  transport.use('compile', (_mail, done) => {
    count++;
    done();
  });
  return { transport, sent: () => count };
}
