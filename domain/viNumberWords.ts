/**
 * An amount in Vietnamese words, as a receipt writes it under the figure ("Bằng chữ: Mười nghìn
 * đồng"): groups of three digits read as hundreds, tens and units, "lẻ" for an empty tens place,
 * "mốt", "lăm" after a tens digit, "không trăm" inside a number.
 */
const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const SCALES = ['', 'nghìn', 'triệu', 'tỷ'] as const;

/** Three digits (0–999); `inner`: a group after a higher one, which reads its empty hundreds. */
function group(n: number, inner: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const units = n % 10;
  const words: string[] = [];
  if (hundreds > 0 || inner) words.push(DIGITS[hundreds]!, 'trăm');
  if (tens === 0) {
    if (units > 0 && words.length > 0) words.push('lẻ');
  } else if (tens === 1) {
    words.push('mười');
  } else {
    words.push(DIGITS[tens]!, 'mươi');
  }
  if (units === 0) return words;
  if (units === 1 && tens >= 2) words.push('mốt');
  else if (units === 5 && tens >= 1) words.push('lăm');
  else words.push(DIGITS[units]!);
  return words;
}

/** "mười nghìn", "một triệu không trăm lẻ năm nghìn"; 0 → "không". Integers 0 … 999 999 999 999. */
export function viNumberWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e12) throw new RangeError(`cannot read ${String(n)} in words`);
  if (n === 0) return DIGITS[0];
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    words.push(...group(g, i < groups.length - 1));
    if (SCALES[i]) words.push(SCALES[i]!);
  }
  return words.join(' ');
}

/** "Mười nghìn đồng". */
export function viAmountInWords(vnd: number): string {
  const words = viNumberWords(vnd);
  return `${words.charAt(0).toLocaleUpperCase('vi')}${words.slice(1)} đồng`;
}
