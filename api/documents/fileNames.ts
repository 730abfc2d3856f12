/**
 * The names papers are saved under: the case code, then what the paper is, in plain letters —
 * "000.15.43.H35-261123-0001-ban-sao-chung-thuc.pdf" — so a folder of downloads sorts by case and
 * reads without opening each file.
 */

const KINDS: Readonly<Record<string, string>> = {
  certified_copy: 'ban-sao-chung-thuc',
  reception_receipt: 'giay-tiep-nhan',
  apology_slip: 'phieu-xin-loi-hen-lai',
  refusal_notice: 'thong-bao-tu-choi',
  land_receipt: 'bien-lai-nghia-vu-dat-dai',
};

/** `kind` as case_documents records it (or reception_receipt); an unknown kind is named "giay-to". */
export function caseFileName(caseCode: string, kind: string, extension = 'pdf'): string {
  return `${caseCode}-${KINDS[kind] ?? 'giay-to'}.${extension}`;
}
