/**
 * The certification number written on a certified copy (số chứng thực), e.g. "123/2026-SCTĐT/BS":
 * the sequence in the commune's book for the year, the year, and the book's marking. The sequence
 * itself is allocated elsewhere (gap-free, per commune, book and year); this module only writes it
 * out and reads it back, following a template each commune may configure.
 *
 * Template placeholders: {seq} (required, once; {seq:N} pads with zeros to N digits), {year},
 * {unitCode}, {book}. Everything else is literal text. Two placeholders must be separated by
 * literal text, otherwise a number could not be read back unambiguously.
 */
import { bilingual, DomainError, failure, RuleFailure } from './messages';

export const DEFAULT_CERTIFICATION_NUMBER_TEMPLATE = '{seq}/{year}-SCTĐT/BS';

export interface CertificationNumberParts {
  seq: number;
  year?: number;
  unitCode?: string;
  book?: string;
}

type Field = 'seq' | 'year' | 'unitCode' | 'book';
type Token = { literal: string } | { field: Field; width?: number };

export type TemplateCheck = { ok: true; tokens: Token[] } | RuleFailure;

const PLACEHOLDER_RE = /\{([^{}]*)\}/g;

/** Splits and checks a template; every problem is reported in Vietnamese then English. */
export function compileCertificationNumberTemplate(template: string): TemplateCheck {
  if (typeof template !== 'string' || template.trim() === '') {
    return failure('TEMPLATE_EMPTY', bilingual('Mẫu số chứng thực không được để trống', 'The certification number template is empty'));
  }
  const t = template.normalize('NFC');
  const tokens: Token[] = [];
  const seen = new Set<Field>();
  let last = 0;
  for (const m of t.matchAll(PLACEHOLDER_RE)) {
    const index = m.index ?? 0;
    const literal = t.slice(last, index);
    if (/[{}]/.test(literal)) return strayBrace(template);
    if (literal !== '') tokens.push({ literal });
    const body = m[1] as string;
    const parsed = /^(seq|year|unitCode|book)(?::(\d{1,2}))?$/.exec(body);
    if (!parsed || (parsed[2] !== undefined && parsed[1] !== 'seq')) {
      return failure(
        'TEMPLATE_UNKNOWN_PLACEHOLDER',
        bilingual(
          `Mẫu số chứng thực có biến không hợp lệ "{${body}}"; chỉ dùng {seq}, {seq:N}, {year}, {unitCode}, {book}`,
          `Unknown placeholder "{${body}}"; use {seq}, {seq:N}, {year}, {unitCode}, {book}`,
        ),
      );
    }
    const field = parsed[1] as Field;
    if (seen.has(field)) {
      return failure('TEMPLATE_DUPLICATE_PLACEHOLDER', bilingual(`Biến {${field}} chỉ được dùng một lần trong mẫu`, `Placeholder {${field}} may appear only once`));
    }
    const previous = tokens[tokens.length - 1];
    if (previous !== undefined && 'field' in previous) {
      return failure(
        'TEMPLATE_ADJACENT_PLACEHOLDERS',
        bilingual(`Giữa {${previous.field}} và {${field}} phải có ký tự phân cách`, `{${previous.field}} and {${field}} must be separated by literal text`),
      );
    }
    seen.add(field);
    const width = parsed[2] === undefined ? undefined : Number(parsed[2]);
    if (width !== undefined && (width < 1 || width > 12)) {
      return failure('TEMPLATE_BAD_WIDTH', bilingual('Độ dài {seq:N} phải từ 1 đến 12', 'The width of {seq:N} must be 1 to 12'));
    }
    tokens.push(width === undefined ? { field } : { field, width });
    last = index + m[0].length;
  }
  const tail = t.slice(last);
  if (/[{}]/.test(tail)) return strayBrace(template);
  if (tail !== '') tokens.push({ literal: tail });
  if (!seen.has('seq')) {
    return failure('TEMPLATE_WITHOUT_SEQ', bilingual('Mẫu số chứng thực phải có biến {seq} (số thứ tự)', 'The template must contain {seq} (the sequence number)'));
  }
  return { ok: true, tokens };
}

function strayBrace(template: string): RuleFailure {
  return failure('TEMPLATE_STRAY_BRACE', bilingual(`Mẫu "${template}" có dấu ngoặc { } lẻ`, `Template "${template}" has an unmatched brace`));
}

function tokensOrThrow(template: string): Token[] {
  const c = compileCertificationNumberTemplate(template);
  if (!c.ok) throw new DomainError(c.code, c.messages);
  return c.tokens;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function buildRegExp(tokens: Token[]): RegExp {
  const source = tokens
    .map((tok) => {
      if ('literal' in tok) return escapeRegExp(tok.literal);
      if (tok.field === 'seq') return '(\\d+)';
      if (tok.field === 'year') return '(\\d{4})';
      return '(.+?)';
    })
    .join('');
  return new RegExp(`^${source}$`, 'iu');
}

/** Writes a certification number; throws a DomainError when a part is missing or unusable. */
export function formatCertificationNumber(parts: CertificationNumberParts, template: string = DEFAULT_CERTIFICATION_NUMBER_TEMPLATE): string {
  const tokens = tokensOrThrow(template);
  const values: Partial<Record<Field, string | number>> = {};
  const out = tokens
    .map((tok) => {
      if ('literal' in tok) return tok.literal;
      switch (tok.field) {
        case 'seq': {
          if (!Number.isSafeInteger(parts.seq) || parts.seq <= 0) {
            throw new DomainError('INVALID_SEQ', bilingual(`Số thứ tự phải là số nguyên dương, nhận ${String(parts.seq)}`, `The sequence must be a positive integer, got ${String(parts.seq)}`));
          }
          values.seq = parts.seq;
          return String(parts.seq).padStart(tok.width ?? 1, '0');
        }
        case 'year': {
          const y = parts.year;
          if (y === undefined || !Number.isInteger(y) || y < 1000 || y > 9999) {
            throw new DomainError('INVALID_YEAR', bilingual(`Năm phải có 4 chữ số, nhận ${String(y)}`, `The year must have 4 digits, got ${String(y)}`));
          }
          values.year = y;
          return String(y);
        }
        default: {
          const v = parts[tok.field];
          if (typeof v !== 'string' || v.trim() === '' || v !== v.trim()) {
            throw new DomainError(
              'MISSING_PART',
              bilingual(`Mẫu số chứng thực cần giá trị {${tok.field}} (không rỗng, không có khoảng trắng ở đầu/cuối)`, `The template needs a value for {${tok.field}} (non-empty, no surrounding spaces)`),
            );
          }
          values[tok.field] = v.normalize('NFC');
          return v.normalize('NFC');
        }
      }
    })
    .join('');
  // A unit code or book name containing the template's separators would read back differently.
  const back = parseTokens(out, tokens);
  if (!back.ok || (Object.keys(values) as Field[]).some((f) => back.parts[f] !== values[f])) {
    throw new DomainError(
      'AMBIGUOUS_PART',
      bilingual(`Không thể tạo số chứng thực "${out}" vì mã đơn vị hoặc tên sổ chứa ký tự phân cách của mẫu`, `Cannot build "${out}": the unit code or book contains the template's separators`),
    );
  }
  return out;
}

export type ParsedCertificationNumber = { ok: true; parts: CertificationNumberParts; canonical: string } | RuleFailure;

/**
 * Reads a typed number back (spaces around it ignored, letters case-insensitive, Unicode
 * normalised), and gives its canonical spelling.
 */
export function parseCertificationNumber(text: string, template: string = DEFAULT_CERTIFICATION_NUMBER_TEMPLATE): ParsedCertificationNumber {
  const c = compileCertificationNumberTemplate(template);
  if (!c.ok) return c;
  const parsed = parseTokens(typeof text === 'string' ? text : '', c.tokens);
  if (!parsed.ok) return parsed;
  return { ok: true, parts: parsed.parts, canonical: formatCertificationNumber(parsed.parts, template) };
}

function parseTokens(text: string, tokens: Token[]): { ok: true; parts: CertificationNumberParts } | RuleFailure {
  const input = text.trim().normalize('NFC');
  const m = buildRegExp(tokens).exec(input);
  const example = tokens.map((t) => ('literal' in t ? t.literal : t.field === 'seq' ? '123' : t.field === 'year' ? '2026' : `<${t.field}>`)).join('');
  if (!m) {
    return failure('CERT_NUMBER_MISMATCH', bilingual(`Số chứng thực "${input}" không đúng mẫu (ví dụ: ${example})`, `Certification number "${input}" does not match the template (e.g. ${example})`));
  }
  const parts: CertificationNumberParts = { seq: 0 };
  let group = 1;
  for (const tok of tokens) {
    if ('literal' in tok) continue;
    const value = m[group++] as string;
    if (tok.field === 'seq') parts.seq = Number(value);
    else if (tok.field === 'year') parts.year = Number(value);
    else parts[tok.field] = value;
  }
  if (!Number.isSafeInteger(parts.seq) || parts.seq <= 0) {
    return failure('CERT_NUMBER_BAD_SEQ', bilingual(`Số thứ tự trong "${input}" phải lớn hơn 0`, `The sequence in "${input}" must be greater than 0`));
  }
  return { ok: true, parts };
}
