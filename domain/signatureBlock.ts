/**
 * The legal form of a signature made on behalf of the head of a People's Committee (Nghị định
 * 30/2020/NĐ-CP, Điều 13 and Phụ lục I):
 *
 *   KT. (ký thay)        a deputy (Phó Chủ tịch) signs in the head's place:
 *                          KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / signature / name
 *   TUQ. (thừa ủy quyền) the head authorises another officer, e.g. the công chức Tư pháp – Hộ tịch:
 *                          TUQ. CHỦ TỊCH / the signer's own title / signature / name
 *
 * A signing delegation records its form and the two titles when it is given (derived here from
 * the officers' job titles), so a copy signed under it always shows the block of that moment.
 */
import { foldForSearch } from './foldForSearch';

export type DelegationForm = 'KT' | 'TUQ';

/** The head named after "KT." / "TUQ." when the delegating leader has no usable title. */
export const DEFAULT_HEAD_TITLE = 'Chủ tịch';

/** A delegate without a recorded title: the officer the law has in mind for TUQ. signatures. */
export const DEFAULT_DELEGATE_TITLE = 'Công chức Tư pháp – Hộ tịch';

/** What a signature block says of the delegation it was made under. */
export interface DelegatedSignature {
  form: DelegationForm;
  /** The head's position, e.g. "Chủ tịch". */
  headTitle: string;
  /** The signer's own position, e.g. "Phó Chủ tịch" or "Công chức Tư pháp – Hộ tịch". */
  signerTitle: string;
}

// "Phó Chủ tịch UBND xã", "Chủ tịch Ủy ban nhân dân xã Nùng Năng": the body after the position.
const BODY_SUFFIX = /\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)(?:\s.*)?$/iu;

/** The position without the body it belongs to: "Phó Chủ tịch UBND xã" → "Phó Chủ tịch". */
export function positionOf(title: string): string {
  const t = title.normalize('NFC').trim().replace(/\s+/g, ' ');
  const stripped = t.replace(BODY_SUFFIX, '').trim();
  return stripped === '' ? t : stripped;
}

/** A deputy leader ("Phó Chủ tịch", "Phó Trưởng …") by his job title. */
export function isDeputy(title: string | null | undefined): boolean {
  return title !== null && title !== undefined && /^pho\s/.test(foldForSearch(title));
}

/** KT. for a deputy leader, TUQ. for anyone else. */
export function delegationFormFor(delegateTitle: string | null | undefined): DelegationForm {
  return isDeputy(delegateTitle) ? 'KT' : 'TUQ';
}

/**
 * The head a delegation speaks for, from the delegating leader's title: his own position when he
 * is the head, the head's when he is a deputy ("Phó Chủ tịch" delegates on the Chủ tịch's behalf).
 */
export function headTitleFrom(delegatorTitle: string | null | undefined): string {
  if (!delegatorTitle || delegatorTitle.trim() === '') return DEFAULT_HEAD_TITLE;
  const position = positionOf(delegatorTitle);
  const head = isDeputy(position) ? position.replace(/^\S+\s+/u, '') : position;
  return head === '' ? DEFAULT_HEAD_TITLE : capitalizeFirst(head);
}

/** The delegate's position as the block prints it. */
export function delegateTitleFrom(delegateTitle: string | null | undefined): string {
  return delegateTitle && delegateTitle.trim() !== '' ? positionOf(delegateTitle) : DEFAULT_DELEGATE_TITLE;
}

/** Everything a delegation records of its form, from the two officers' job titles. */
export function delegatedSignatureOf(delegatorTitle: string | null | undefined, delegateTitle: string | null | undefined): DelegatedSignature {
  return { form: delegationFormFor(delegateTitle), headTitle: headTitleFrom(delegatorTitle), signerTitle: delegateTitleFrom(delegateTitle) };
}

const upper = (s: string) => s.normalize('NFC').toLocaleUpperCase('vi');

/** The two lines above the signature: ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] or ["TUQ. CHỦ TỊCH", "CÔNG CHỨC TƯ PHÁP – HỘ TỊCH"]. */
export function signatureBlockLines(d: DelegatedSignature): [string, string] {
  return [`${d.form}. ${upper(d.headTitle)}`, upper(d.signerTitle)];
}

/** "KT. Chủ tịch" as written in a sentence. */
export function formLabel(d: Pick<DelegatedSignature, 'form' | 'headTitle'>): string {
  return `${d.form}. ${d.headTitle}`;
}

function capitalizeFirst(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
}
