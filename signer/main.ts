/**
 * `npm run signer -- --p12 <file.p12|.pfx> [--port 18765] [--origin <portal address>]…`: the
 * reference local signer (README.md beside this file). It opens the PKCS#12 file with its PIN,
 * then serves the local-signer protocol on 127.0.0.1 for the portal's pages and asks for the PIN
 * again, in this terminal, before each signature.
 *
 * Origins allowed by default: the portal of PUBLIC_BASE_URL, else http://127.0.0.1:<PORT> and
 * http://localhost:<PORT> (PORT as for `npm start`, default 3000).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Pkcs12Error } from '../infra/pki/pkcs12';
import { startLocalSigner } from './localSigner';
import { P12Keystore, WrongPin } from './p12Keystore';
import { DEFAULT_SIGNER_PORT, SIGNER_PROTOCOL, SIGNER_PROTOCOL_VERSION } from './protocol';
import { LineSource, TerminalApprover } from './terminalApprover';

const USAGE = 'Cách dùng: npm run signer -- --p12 <tệp .p12/.pfx> [--port 18765] [--origin https://dichvucong.example.vn]…';

function defaultOrigins(env: NodeJS.ProcessEnv): string[] {
  if (env.PUBLIC_BASE_URL) return [new URL(env.PUBLIC_BASE_URL).origin];
  const port = env.PORT || '3000';
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { p12: { type: 'string' }, port: { type: 'string' }, origin: { type: 'string', multiple: true }, help: { type: 'boolean' } },
  });
  if (values.help || !values.p12) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const port = values.port === undefined ? DEFAULT_SIGNER_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const origins = values.origin?.length ? values.origin : defaultOrigins(process.env);
  for (const o of origins) if (new URL(o).origin !== o.replace(/\/+$/, '')) throw new Error(`--origin: give only scheme, host and port, e.g. https://dichvucong.example.vn (got ${o})`);

  const file = readFileSync(values.p12);
  const lines = new LineSource(process.stdin);
  let keystore: P12Keystore | undefined;
  for (let attempt = 1; attempt <= 3 && !keystore; attempt++) {
    process.stdout.write(`Nhập mã PIN (mật khẩu) của tệp ${basename(values.p12)}: `);
    const pin = await lines.next(process.stdout);
    if (pin === undefined) process.exit(1);
    try {
      keystore = P12Keystore.open(file, pin);
    } catch (e) {
      if (e instanceof WrongPin) console.log('Mã PIN không đúng.');
      else if (e instanceof Pkcs12Error) throw new Error(e.messageVi);
      else throw e;
    }
  }
  if (!keystore) {
    console.log('Nhập sai mã PIN 3 lần.');
    process.exit(1);
  }
  const [certificate] = keystore.certificates();
  const signer = await startLocalSigner({ keystore, allowedOrigins: origins, approver: new TerminalApprover(lines, process.stdout), port });
  console.log(`Chứng thư số: ${certificate.name}${certificate.idNumber ? ` (số định danh ${certificate.idNumber})` : ''}, do ${certificate.issuer} cấp, hiệu lực đến ${certificate.validTo.slice(0, 10)}`);
  console.log(`Chỉ nhận yêu cầu từ: ${origins.join(', ')}`);
  console.log(`Công cụ ký số đang chờ tại ${signer.url} (${SIGNER_PROTOCOL} v${SIGNER_PROTOCOL_VERSION}); Ctrl-C để dừng.`);
  const stop = () => void signer.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
