/**
 * Which units are one-stop desks (seed 000 part B §3, seed 002): a unit whose name contains
 * "Bộ phận một cửa" or "Trung tâm phục vụ hành chính công", in any letter case. Names typed on
 * different keyboards arrive in NFC or NFD, so both sides are compared in NFC.
 */
const PHRASES = ['bộ phận một cửa', 'trung tâm phục vụ hành chính công'];

function fold(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ');
}

export function isOneStopUnitName(name: string): boolean {
  const folded = fold(name);
  return PHRASES.some((p) => folded.includes(p));
}

/** Without diacritics, digits for words and spacing ignored: how a misnamed desk still reads. */
function skeleton(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\b1\b/g, 'mot')
    .replace(/[^a-z]/g, '');
}

/**
 * A unit that is evidently meant as a one-stop desk but is not named as the rule requires
 * (e.g. "Bo phan mot cua", "Bộ phận 1 cửa"): the second cause of "cannot pick a unit".
 */
export function looksLikeMisnamedOneStop(name: string): boolean {
  if (isOneStopUnitName(name)) return false;
  const s = skeleton(name);
  return s.includes('motcua') || s.includes('phucvuhanhchinhcong');
}
