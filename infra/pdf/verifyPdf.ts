/**
 * Our own check of a PDF's signatures: integrity (digest of the byte ranges and the CMS
 * signature), coverage, certificate chain up to the roots we trust, and revocation.
 *
 * Why the raw bytes rather than a PDF parser: a verifier must still say "altered" when the
 * alteration breaks the document structure, and every fact it needs sits in the signature
 * dictionary: /ByteRange, and /Contents, which is exactly the gap between the two ranges.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { OID, attribute, isIssuedBy, normalizeSerial, type CertificateFacts } from '../pki/certificates';
import { CmsFormatError, verifySignedData } from '../pki/cms';

export interface PdfSignatureReport {
  fieldName: string;
  subFilter: string;
  signer: { commonName: string; organization?: string; title?: string; serialNumber: string /* cert serial hex */ };
  signingTime?: string;
  /** Digest of the signed ranges and the CMS signature both check out. */
  integrity: boolean;
  coversWholeDocument: boolean;
  /** Length of the revision the signature covers (end of its second byte range). */
  revisionEnd: number;
  chainTrusted: boolean;
  revoked: boolean;
  /** In Vietnamese; empty when everything checks out. */
  problems: string[];
}

export interface TrustAnchors {
  /** Trusted root certificates, PEM. */
  roots: string[];
  /** Revoked certificate serial (hex) → ISO revocation time. */
  revokedSerials?: Map<string, string>;
}

interface RawSignature {
  objectNumber: number;
  generation: number;
  dictionary: string;
  byteRange: [number, number, number, number];
}

const MAX_CHAIN = 10;

function findSignatures(text: string): RawSignature[] {
  const found = new Map<string, RawSignature>();
  const rangePattern = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = rangePattern.exec(text); m; m = rangePattern.exec(text)) {
    const headerWindow = text.slice(Math.max(0, m.index - 1_000_000), m.index);
    const headers = [...headerWindow.matchAll(/(\d+)\s+(\d+)\s+obj\b/g)];
    const header = headers[headers.length - 1];
    const start = header ? m.index - headerWindow.length + (header.index ?? 0) : m.index;
    const endAt = text.indexOf('endobj', m.index);
    const dictionary = text.slice(start, endAt < 0 ? text.length : endAt);
    const byteRange = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    found.set(byteRange.join(','), { objectNumber: header ? Number(header[1]) : -1, generation: header ? Number(header[2]) : 0, dictionary, byteRange });
  }
  return [...found.values()];
}

/** Reads a PDF string (literal or hex) at the start of `s`. */
function readPdfString(s: string): Buffer | undefined {
  const t = s.trimStart();
  if (t.startsWith('<') && !t.startsWith('<<')) {
    const end = t.indexOf('>');
    if (end < 0) return undefined;
    const hex = t.slice(1, end).replace(/\s+/g, '');
    return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
  }
  if (!t.startsWith('(')) return undefined;
  const out: number[] = [];
  let depth = 0;
  for (let i = 1; i < t.length; i++) {
    const c = t[i];
    if (c === '\\') {
      const n = t[++i];
      const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (n in escapes) out.push(escapes[n]);
      else if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(t[i + 1])) oct += t[++i];
        out.push(parseInt(oct, 8) & 0xff);
      } else if (n === '\r' && t[i + 1] === '\n') i++;
      else if (n !== '\n' && n !== '\r') out.push(n.charCodeAt(0));
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') {
      if (depth === 0) return Buffer.from(out);
      depth--;
    }
    out.push(c.charCodeAt(0) & 0xff);
  }
  return undefined;
}

function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('latin1');
}

function entryString(dictionary: string, key: string): string | undefined {
  const m = new RegExp(`/${key}(?![A-Za-z0-9])\\s*`).exec(dictionary);
  if (!m) return undefined;
  const bytes = readPdfString(dictionary.slice(m.index + m[0].length));
  return bytes ? decodeText(bytes) : undefined;
}

/** PDF date (D:YYYYMMDDHHmmSS+HH'mm' or …Z) as ISO 8601. */
function pdfDateToIso(value: string): string | undefined {
  const m = /^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(value);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const offset = sign === '+' || sign === '-' ? `${sign}${oh}:${om}` : 'Z';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function fieldNameFor(text: string, sig: RawSignature): string {
  const pattern = new RegExp(`/V\\s+${sig.objectNumber}\\s+${sig.generation}\\s+R(?![0-9])`, 'g');
  let name = '';
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const start = text.lastIndexOf('obj', m.index);
    const end = text.indexOf('endobj', m.index);
    const t = entryString(text.slice(start, end < 0 ? text.length : end), 'T');
    if (t !== undefined) name = t;
  }
  return name;
}

function chainStatus(signer: CertificateFacts, embedded: readonly CertificateFacts[], roots: readonly X509Certificate[], at: Date) {
  const problems: string[] = [];
  const path: CertificateFacts[] = [signer];
  let trusted = false;
  let current = signer;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (roots.some((r) => r.raw.equals(current.der))) {
      trusted = true;
      break;
    }
    const root = roots.find((r) => isIssuedBy(current.x509, r));
    if (root) {
      trusted = true;
      if (!(new Date(root.validFrom) <= at && at <= new Date(root.validTo))) problems.push('Chứng thư gốc không còn hiệu lực tại thời điểm ký.');
      break;
    }
    const next = embedded.find((c) => c !== current && !path.includes(c) && isIssuedBy(current.x509, c.x509));
    if (!next) break;
    path.push(next);
    current = next;
  }
  if (!trusted) problems.push('Không xây dựng được chuỗi chứng thư đến một chứng thư gốc tin cậy.');
  for (const c of path) {
    if (at < c.notBefore || at > c.notAfter) {
      problems.push(`Chứng thư "${attribute(c, OID.commonName) ?? c.subjectText}" không có hiệu lực tại thời điểm ký.`);
    }
  }
  return { trusted: trusted && problems.length === 0, path, problems };
}

/** One report per signature dictionary found in the file, in file order. */
export function verifyPdfSignatures(pdf: Uint8Array, trust: TrustAnchors): PdfSignatureReport[] {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length);
  const text = bytes.toString('latin1');
  const roots = trust.roots.map((pem) => new X509Certificate(pem));
  const revoked = new Map([...(trust.revokedSerials ?? new Map<string, string>())].map(([k, v]) => [normalizeSerial(k), v]));

  return findSignatures(text).map((sig): PdfSignatureReport => {
    const [a, b, c, d] = sig.byteRange;
    const problems: string[] = [];
    const report: PdfSignatureReport = {
      fieldName: fieldNameFor(text, sig),
      subFilter: /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(sig.dictionary)?.[1] ?? '',
      signer: { commonName: '', serialNumber: '' },
      integrity: false,
      coversWholeDocument: c + d === bytes.length,
      revisionEnd: c + d,
      chainTrusted: false,
      revoked: false,
      problems,
    };
    const claimedTime = entryString(sig.dictionary, 'M');
    const claimedIso = claimedTime ? pdfDateToIso(claimedTime) : undefined;
    if (claimedIso) report.signingTime = claimedIso;

    const gap = bytes.subarray(b, c).toString('latin1');
    if (a !== 0 || b >= c || c + d > bytes.length || !/^<[0-9A-Fa-f\s]*>$/.test(gap)) {
      problems.push('Vùng dữ liệu được ký (/ByteRange) không hợp lệ hoặc không bao đúng chữ ký.');
      return report;
    }
    const cms = Buffer.from(gap.slice(1, -1).replace(/\s+/g, ''), 'hex');
    let verification;
    try {
      verification = verifySignedData(cms, (hash) => createHash(hash).update(bytes.subarray(a, a + b)).update(bytes.subarray(c, c + d)).digest());
    } catch (e) {
      problems.push(e instanceof CmsFormatError ? 'Dữ liệu chữ ký (CMS) không đọc được.' : `Lỗi khi kiểm tra chữ ký: ${(e as Error).message}`);
      return report;
    }
    const signer = verification.signer;
    report.signer = {
      commonName: attribute(signer, OID.commonName) ?? '',
      organization: attribute(signer, OID.organization),
      title: attribute(signer, OID.title),
      serialNumber: signer.serial,
    };
    if (!report.signingTime && verification.signingTime) report.signingTime = verification.signingTime.toISOString();
    report.integrity = verification.digestMatches && verification.signatureValid;
    problems.push(...verification.problems);

    const at = report.signingTime ? new Date(report.signingTime) : new Date();
    const chain = chainStatus(signer, verification.certificates, roots, at);
    report.chainTrusted = chain.trusted;
    problems.push(...chain.problems);

    for (const cert of chain.path) {
      const when = revoked.get(cert.serial);
      if (!when) continue;
      report.revoked = true;
      const after = report.signingTime && new Date(when) > new Date(report.signingTime) ? ' (sau thời điểm ký)' : '';
      problems.push(`Chứng thư "${attribute(cert, OID.commonName) ?? cert.subjectText}" (số hiệu ${cert.serial}) đã bị thu hồi lúc ${when}${after}.`);
    }
    return report;
  });
}
