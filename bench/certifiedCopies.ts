/**
 * `npm run bench:copies`: certified copies produced per second for a 5-page scan — render the copy
 * (scan pages + certification block with its QR code), the leader's signature, then the number
 * stamp with the commune's seal in an incremental update — next to the raw `crypto.sign` rate of the
 * same RSA-2048 key measured in the same run, so the cost beyond the two RSA operations shows.
 * One copy at a time, on one core, as one activity does it.
 *
 *   BENCH_COPIES   copies to produce (default 60)
 */
import { sign } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { drawSealStamp, renderCertifiedCopy } from '../infra/pdf/certifiedCopy';
import { signPdf } from '../infra/pdf/signPdf';
import { ephemeralPki } from '../infra/pki/certificates';
import { percentile, printTable } from './stats';

const COPIES = Number(process.env.BENCH_COPIES ?? 60);

async function fivePageScan(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 5; i++) {
    const page = doc.addPage([595, 842]);
    for (let line = 0; line < 40; line++) page.drawText(`Trang ${i}, dong ${line + 1}: noi dung ban chinh`, { x: 50, y: 800 - line * 18, size: 11, font });
  }
  return doc.save();
}

async function main(): Promise<void> {
  const now = new Date();
  const unit = { code: '000.15.43.H35', name: 'UBND xã Nùng Năng' };
  const { leader, seal } = ephemeralPki({ person: { officerId: 'bench-leader', fullName: 'Tẩn Văn Sơn', title: 'Phó Chủ tịch UBND xã', unit }, unit, now });
  const scan = await fivePageScan();

  async function oneCopy(n: number): Promise<number> {
    const started = performance.now();
    const at = new Date(now.getTime() + n * 1000).toISOString();
    const rendered = await renderCertifiedCopy([{ bytes: scan, mimeType: 'application/pdf' }], {
      unitName: unit.name,
      placeName: 'Nùng Năng',
      certifiedAt: at,
      signerTitle: 'Phó Chủ tịch UBND xã',
      signerName: 'Tẩn Văn Sơn',
      caseCode: `BENCH-${n}`,
      verifyUrl: `https://motcua.example.vn/verify/BENCH-${n}?t=abcdefghijklmnopqrstuv`,
      documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 5, copies: 1 }],
    });
    const signed = await signPdf(rendered, { signer: leader, signingTime: new Date(at), fieldName: 'ChuKyLanhDao1', name: 'Tẩn Văn Sơn' });
    await signPdf(signed, {
      signer: seal,
      signingTime: new Date(at),
      fieldName: 'DauCoQuan',
      name: unit.name,
      beforeSign: (doc) => drawSealStamp(doc, { certificationNumber: `${n + 1}/2026-SCTĐT/BS`, book: 'SCTĐT/BS', sealedAt: at, unitName: unit.name, sealerName: 'Vàng Thị Mai' }),
    });
    return performance.now() - started;
  }

  for (let i = 0; i < 3; i++) await oneCopy(-1 - i); // warm-up: fonts parsed, code compiled
  const latencies: number[] = [];
  const began = performance.now();
  for (let i = 0; i < COPIES; i++) latencies.push(await oneCopy(i));
  const seconds = (performance.now() - began) / 1000;

  const data = Buffer.alloc(1024, 7);
  let signatures = 0;
  const signBegan = performance.now();
  while (performance.now() - signBegan < 2000) {
    sign('sha256', data, leader.privateKey);
    signatures++;
  }
  const signRate = signatures / ((performance.now() - signBegan) / 1000);
  const copyRate = COPIES / seconds;

  latencies.sort((a, b) => a - b);
  printTable(
    `Certified copies (${COPIES} in a row, one core)`,
    ['measure', 'per second', 'p50 ms', 'p95 ms'],
    [
      ['certified copies, 5-page scan (render + 2 signatures)', copyRate.toFixed(1), percentile(latencies, 50).toFixed(1), percentile(latencies, 95).toFixed(1)],
      ['raw crypto.sign, RSA-2048 SHA-256', signRate.toFixed(0), (1000 / signRate).toFixed(2), '—'],
    ],
  );
  console.log(`\nA copy costs ${(1000 / copyRate).toFixed(1)} ms, of which its two RSA signatures ${((2 * 1000) / signRate).toFixed(1)} ms (${((200 * copyRate) / signRate).toFixed(1)}%).`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
