/**
 * The certified electronic copy (bản sao điện tử chứng thực từ bản chính): every page of the scan
 * in order, then the certification page. The leader signs this file as it is (step 3); the seal
 * step later draws the number and seal into the certification page's reserved box
 * (`drawSealStamp`) inside the incremental update that carries the commune's signature (step 4).
 *
 * The file is saved with a classic cross-reference table, not object streams, because signatures
 * and the seal are appended to it as incremental updates.
 */
import { PDFDocument } from 'pdf-lib';
import { bilingual, DomainError } from '../../domain/messages';
import { CERTIFICATION_SENTENCE, renderCertificationPage, type CertificationBlock } from './certificationPage';
import { compressContentStreams, deflateNatively } from './nativeDeflate';
import { PRODUCER } from './pdfkitDocument';
import { appendScanPart, type ScanPart } from './scanPages';

export type { CertificationBlock } from './certificationPage';
export type { ScanPart } from './scanPages';
export { drawSealStamp, splitCertificationNumber, type SealStamp } from './sealStamp';
export { SEAL_BOX, SEAL_FIELDS, SEAL_MARK, QR_BOX, CERTIFICATION_LAYOUT_VERSION } from './certificationLayout';
export { SIGNATURE_SPACE } from './certificationPage';

function checkBlock(block: CertificationBlock): void {
  if (block.documents.length === 0) {
    throw new DomainError('NO_ORIGINALS', bilingual('Lời chứng phải ghi ít nhất một bản chính', 'The certification must name at least one original'));
  }
  for (const d of block.documents) {
    if (!Number.isSafeInteger(d.pages) || d.pages <= 0 || !Number.isSafeInteger(d.copies) || d.copies <= 0) {
      throw new DomainError(
        'INVALID_ORIGINAL',
        bilingual(`Số trang và số bản sao của "${d.type}" phải là số nguyên dương`, `Pages and copies of "${d.type}" must be positive integers`),
      );
    }
  }
  if (Number.isNaN(Date.parse(block.certifiedAt))) throw new RangeError(`invalid certifiedAt: ${block.certifiedAt}`);
}

export async function renderCertifiedCopy(scan: ScanPart[], block: CertificationBlock): Promise<Uint8Array> {
  if (scan.length === 0) throw new DomainError('SCAN_EMPTY', bilingual('Chưa có bản quét để chứng thực', 'There is no scan to certify'));
  checkBlock(block);
  const doc = await PDFDocument.create({ updateMetadata: false });
  deflateNatively(doc.context);
  let copiedPages = 0;
  for (const [index, part] of scan.entries()) copiedPages += await appendScanPart(doc, part, index);

  const certificationPage = await PDFDocument.load(await renderCertificationPage(block, copiedPages), { updateMetadata: false });
  const [page] = await doc.copyPages(certificationPage, [0]);
  if (page === undefined) throw new Error('the certification page was not rendered');
  doc.addPage(page);

  const at = new Date(Date.parse(block.certifiedAt));
  doc.setTitle(`Bản sao điện tử chứng thực từ bản chính - hồ sơ ${block.caseCode}`, { showInWindowTitleBar: true });
  doc.setSubject(CERTIFICATION_SENTENCE);
  doc.setAuthor(block.unitName);
  doc.setKeywords([block.caseCode]);
  doc.setLanguage('vi-VN');
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  await doc.flush();
  compressContentStreams(doc.context);
  return doc.save({ useObjectStreams: false });
}
