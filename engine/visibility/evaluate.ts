/**
 * Filtering in memory with SQL's three-valued logic, so the in-memory store and a SQL store agree:
 * every predicate on a missing value is UNKNOWN (including `!=` and `NOT IN`), UNKNOWN propagates
 * through NOT, AND and OR as in SQL, and a record matches only when the whole query is TRUE.
 * `IS NULL` / `IS NOT NULL` are the only predicates that are never UNKNOWN.
 */
import { readField, type FieldValue } from './fields';
import type { DatetimeValue, Predicate, QueryExpr, QueryValue, VisibilityRecord } from './types';

/** null is SQL's UNKNOWN. */
type Truth = boolean | null;
type Evaluator = (r: VisibilityRecord) => Truth;

export function compileMatcher(where: QueryExpr | null): (r: VisibilityRecord) => boolean {
  if (where === null) return () => true;
  const evaluate = compileExpr(where);
  return (r) => evaluate(r) === true;
}

function compileExpr(e: QueryExpr): Evaluator {
  switch (e.kind) {
    case 'and': {
      const parts = e.operands.map(compileExpr);
      return (r) => {
        let unknown = false;
        for (const p of parts) {
          const v = p(r);
          if (v === false) return false;
          if (v === null) unknown = true;
        }
        return unknown ? null : true;
      };
    }
    case 'or': {
      const parts = e.operands.map(compileExpr);
      return (r) => {
        let unknown = false;
        for (const p of parts) {
          const v = p(r);
          if (v === true) return true;
          if (v === null) unknown = true;
        }
        return unknown ? null : false;
      };
    }
    case 'not': {
      const inner = compileExpr(e.operand);
      return (r) => {
        const v = inner(r);
        return v === null ? null : !v;
      };
    }
    default:
      return compilePredicate(e);
  }
}

const negate = (negated: boolean, v: Truth): Truth => (v === null || !negated ? v : !v);

function compilePredicate(p: Predicate): Evaluator {
  const { field } = p;
  if (p.kind === 'isNull') return (r) => (readField(r, field) === undefined) !== p.negated;
  const test = predicateTest(p);
  return (r) => {
    const v = readField(r, field);
    return v === undefined ? null : test(v);
  };
}

/** The test on a present value; `null` when the value has an unexpected kind. */
function predicateTest(p: Exclude<Predicate, { kind: 'isNull' }>): (v: FieldValue) => Truth {
  switch (p.kind) {
    case 'compare': {
      const { op, value } = p;
      if (p.field.type === 'KeywordList' || p.field.type === 'Text') {
        const equal = p.field.type === 'Text' ? textMatcher(value) : (v: FieldValue) => listContains(v, value);
        return (v) => negate(op === '!=', equal(v));
      }
      return (v) => {
        const c = compareToLiteral(v, value);
        return c === null ? null : applyOperator(op, c);
      };
    }
    case 'in': {
      const { values, negated } = p;
      if (p.field.type === 'KeywordList') {
        return (v) => negate(negated, anyOf(values, (x) => listContains(v, x)));
      }
      return (v) => negate(negated, anyOf(values, (x) => equalTo(v, x)));
    }
    case 'between': {
      const { low, high, negated } = p;
      return (v) => {
        const a = compareToLiteral(v, low);
        const b = compareToLiteral(v, high);
        return a === null || b === null ? null : negate(negated, a >= 0 && b <= 0);
      };
    }
    case 'startsWith': {
      const { prefix, negated } = p;
      return (v) => (typeof v === 'string' ? v.startsWith(prefix) !== negated : null);
    }
  }
}

function applyOperator(op: string, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

/** Kleene OR over the list, as SQL evaluates `x IN (a, b)` = `x = a OR x = b`. */
function anyOf(values: QueryValue[], test: (x: QueryValue) => Truth): Truth {
  let unknown = false;
  for (const x of values) {
    const t = test(x);
    if (t === true) return true;
    if (t === null) unknown = true;
  }
  return unknown ? null : false;
}

function equalTo(v: FieldValue, x: QueryValue): Truth {
  const c = compareToLiteral(v, x);
  return c === null ? null : c === 0;
}

function listContains(v: FieldValue, x: QueryValue): Truth {
  if (!Array.isArray(v) || x.type !== 'String') return null;
  return v.includes(x.value);
}

/**
 * Sign of (value - literal). Strings compare by UTF-16 code units, which matches PostgreSQL's "C"
 * collation except for characters outside the Basic Multilingual Plane.
 */
export function compareToLiteral(v: FieldValue, x: QueryValue): number | null {
  switch (x.type) {
    case 'String':
      return typeof v === 'string' ? (v < x.value ? -1 : v > x.value ? 1 : 0) : null;
    case 'Int':
    case 'Double':
      return typeof v === 'number' ? Math.sign(v - x.value) : null;
    case 'Bool':
      return typeof v === 'boolean' ? Number(v) - Number(x.value) : null;
    case 'Datetime':
      return typeof v === 'number' ? compareToInstant(v, x) : null;
  }
}

/** Record times are whole milliseconds; a literal with sub-millisecond nanoseconds lies after its `epochMs`. */
function compareToInstant(ms: number, x: DatetimeValue): number {
  if (ms !== x.epochMs) return ms < x.epochMs ? -1 : 1;
  return x.nanos > 0 ? -1 : 0;
}

// Letters, digits and combining marks, so decomposed Vietnamese diacritics stay inside their word.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Lower-cased words; NFC first so composed and decomposed spellings of the same word are equal. */
export function textWords(s: string): string[] {
  return s.normalize('NFC').toLowerCase().match(WORD) ?? [];
}

/**
 * Full-text `=`: the text contains every word of the literal, in any order, ignoring case (an AND of
 * the words, as a full-text index answers it). A literal without any word matches nothing.
 */
function textMatcher(x: QueryValue): (v: FieldValue) => Truth {
  const wanted = x.type === 'String' ? [...new Set(textWords(x.value))] : [];
  return (v) => {
    if (typeof v !== 'string') return null;
    if (wanted.length === 0) return false;
    const have = new Set(textWords(v));
    return wanted.every((w) => have.has(w));
  };
}
