/**
 * PAdES-style PDF signatures, each in its own incremental revision so earlier ones stay valid
 * (the leader signs at step 3, the commune's seal is a second signature at step 4).
 *
 * Decisions:
 * - /SubFilter /ETSI.CAdES.detached (PAdES baseline B-B): the CMS carries ESS
 *   signing-certificate-v2 and no signing-time attribute — ETSI EN 319 142-1 puts the claimed
 *   time in the signature dictionary's /M instead. poppler's pdfsig (22.12 here) validates it
 *   like adbe.pkcs7.detached and prints "Signature is Valid." for both signatures.
 * - The signature is invisible: a widget on the last page with /Rect [0 0 0 0] and /F 132
 *   (print + locked), added to the page's /Annots and to /AcroForm /Fields with /SigFlags 3. The
 *   seal's visible stamp is whatever `beforeSign` draws, in the same revision.
 * - /Contents is reserved from an exact upper bound of the CMS size (certificates and key size
 *   known in advance) and zero-padded; /ByteRange is written as a fixed-width placeholder and
 *   overwritten in place with space padding, so no offset moves after the digest is taken.
 * - Certificate trust: pdfsig checks the chain against its NSS database, which does not hold
 *   our embedded CA, so it reports the issuer as not trusted; verifyPdf.ts checks the chain
 *   against the roots the Pki service publishes.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';
import { buildSignedData, signedDataSizeBound } from '../pki/cms';
import { appendRevisionWithOffsets } from './incremental';

export interface PdfSigner {
  /** Leaf certificate, PEM. */
  certificate: string;
  /** Issuer certificates (PEM) up to the root. */
  chain: string[];
  privateKey: KeyObject;
}

export interface SignPdfOptions {
  signer: PdfSigner;
  signingTime: Date;
  fieldName: string;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Extra changes made in the same revision before signing (e.g. the seal stamp drawn on the last page). */
  beforeSign?: (doc: PDFDocument) => Promise<void> | void;
}

export const SIGNATURE_SUB_FILTER = 'ETSI.CAdES.detached';

const BYTE_RANGE_PLACEHOLDER = 9_999_999_999;

export class SignPdfError extends Error {
  constructor(messageVi: string, messageEn: string) {
    super(`${messageVi} / ${messageEn}`);
    this.name = 'SignPdfError';
  }
}

/** A PDF text string: plain when it is safe ASCII, otherwise UTF-16BE with a byte-order mark. */
function textString(value: string): PDFObject {
  return /^[A-Za-z0-9 .,:;_\-+/@]*$/.test(value) ? PDFString.of(value) : PDFHexString.fromText(value);
}

function existingFieldNames(doc: PDFDocument): string[] {
  const form = doc.catalog.getAcroForm();
  if (!form) return [];
  return form.getAllFields().map(([field]) => field.getPartialName() ?? '');
}

/**
 * Appends one revision with an invisible signature field named `fieldName` and a detached CMS
 * signature over everything but its own /Contents.
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const contentsBytes = signedDataSizeBound({ signer: options.signer }) + 16;
  let signatureObject = -1;

  const revision = await appendRevisionWithOffsets(pdf, async (doc) => {
    if (existingFieldNames(doc).includes(options.fieldName)) {
      throw new SignPdfError(`Tài liệu đã có trường chữ ký "${options.fieldName}".`, `The document already has a signature field "${options.fieldName}".`);
    }
    await options.beforeSign?.(doc);
    const pages = doc.getPages();
    const page = pages[pages.length - 1];
    if (!page) throw new SignPdfError('Tài liệu không có trang nào.', 'The document has no pages.');
    const { context } = doc;

    const signature = context.obj({});
    signature.set(PDFName.of('Type'), PDFName.of('Sig'));
    signature.set(PDFName.of('Filter'), PDFName.of('Adobe.PPKLite'));
    signature.set(PDFName.of('SubFilter'), PDFName.of(SIGNATURE_SUB_FILTER));
    const byteRange = PDFArray.withContext(context);
    for (const n of [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER]) byteRange.push(PDFNumber.of(n));
    signature.set(PDFName.of('ByteRange'), byteRange);
    signature.set(PDFName.of('Contents'), PDFHexString.of('0'.repeat(contentsBytes * 2)));
    signature.set(PDFName.of('M'), PDFString.fromDate(options.signingTime));
    if (options.name) signature.set(PDFName.of('Name'), textString(options.name));
    if (options.reason) signature.set(PDFName.of('Reason'), textString(options.reason));
    if (options.location) signature.set(PDFName.of('Location'), textString(options.location));
    if (options.contactInfo) signature.set(PDFName.of('ContactInfo'), textString(options.contactInfo));
    const signatureRef = context.register(signature);
    signatureObject = signatureRef.objectNumber;

    const widget = context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      F: 132,
    });
    widget.set(PDFName.of('T'), textString(options.fieldName));
    widget.set(PDFName.of('V'), signatureRef);
    widget.set(PDFName.of('P'), page.ref);
    const widgetRef = context.register(widget);
    page.node.addAnnot(widgetRef);

    const form = doc.catalog.getOrCreateAcroForm();
    form.addField(widgetRef);
    form.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  });

  const bytes = Buffer.from(revision.bytes.buffer, revision.bytes.byteOffset, revision.bytes.length);
  const objectStart = revision.offsets.get(signatureObject);
  if (objectStart === undefined) throw new Error('signature dictionary was not written');
  const objectEnd = bytes.indexOf('endobj', objectStart, 'latin1');

  const placeholder = `[ 0 ${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER} ${BYTE_RANGE_PLACEHOLDER} ]`;
  const rangeAt = bytes.indexOf(placeholder, objectStart, 'latin1');
  const contentsKey = bytes.indexOf('/Contents <', objectStart, 'latin1');
  if (rangeAt < 0 || rangeAt > objectEnd || contentsKey < 0 || contentsKey > objectEnd) throw new Error('signature placeholders not found');
  const hexStart = contentsKey + '/Contents '.length;
  const hexEnd = hexStart + contentsBytes * 2 + 2;
  if (bytes[hexEnd - 1] !== 0x3e) throw new Error('unexpected /Contents layout');

  const ranges = [0, hexStart, hexEnd, bytes.length - hexEnd];
  const filled = `[ ${ranges.join(' ')}`;
  bytes.write(`${filled}${' '.repeat(placeholder.length - filled.length - 1)}]`, rangeAt, 'latin1');

  const digest = createHash('sha256').update(bytes.subarray(0, hexStart)).update(bytes.subarray(hexEnd)).digest();
  const cms = buildSignedData({ signer: options.signer, contentDigest: digest });
  if (cms.length > contentsBytes) throw new Error(`CMS of ${cms.length} bytes exceeds the reserved ${contentsBytes}`);
  bytes.write(cms.toString('hex'), hexStart + 1, 'latin1');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
