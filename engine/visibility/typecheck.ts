/** Name resolution and type rules: which operators each attribute type allows and which literals it accepts. */
import { instantFromEpochNanos, parseRfc3339 } from './datetime';
import {
  EXECUTION_STATUS_NAMES,
  SYSTEM_FIELDS,
  type FieldRef,
  type QueryValue,
  type SearchAttributeType,
  type SystemFieldName,
} from './types';

/** A value as written, before it is converted for the field it is compared with. */
export type RawLiteral = { kind: 'string'; value: string } | { kind: 'number'; text: string } | { kind: 'bool'; value: boolean };

export type OperatorName =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'NOT IN'
  | 'BETWEEN'
  | 'NOT BETWEEN'
  | 'STARTS_WITH'
  | 'NOT STARTS_WITH'
  | 'IS NULL'
  | 'IS NOT NULL';

const EQUALITY: OperatorName[] = ['=', '!=', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL'];
const RANGE: OperatorName[] = ['<', '<=', '>', '>=', 'BETWEEN', 'NOT BETWEEN'];
const PREFIX: OperatorName[] = ['STARTS_WITH', 'NOT STARTS_WITH'];

/** Mirrors Temporal's converter, except that Bool has no ordering and ExecutionStatus no ranges or prefixes. */
const ALLOWED: Record<SearchAttributeType, readonly OperatorName[]> = {
  Keyword: [...EQUALITY, ...RANGE, ...PREFIX],
  Text: ['=', '!=', 'IS NULL', 'IS NOT NULL'],
  KeywordList: EQUALITY,
  Int: [...EQUALITY, ...RANGE],
  Double: [...EQUALITY, ...RANGE],
  Datetime: [...EQUALITY, ...RANGE],
  Bool: EQUALITY,
};

const KNOWN_TYPES = new Set<string>(Object.keys(ALLOWED));

/** Problems are returned as text; the parser adds the position. */
/** `detail` follows the position in the message: what was expected, or a likely fix. */
export interface Problem {
  message: string;
  detail?: string;
}

export type Checked<T> = { ok: true; value: T } | ({ ok: false } & Problem);

export function resolveField(name: string, custom: ReadonlyMap<string, SearchAttributeType>): Checked<FieldRef> {
  // System names win: the engine hands the system attributes in the custom map as well.
  if (Object.hasOwn(SYSTEM_FIELDS, name)) {
    const sys = name as SystemFieldName;
    return { ok: true, value: { kind: 'system', name: sys, type: SYSTEM_FIELDS[sys] } };
  }
  const type = custom.get(name);
  if (type !== undefined) {
    if (!KNOWN_TYPES.has(type)) return { ok: false, message: `search attribute '${name}' has unsupported type '${String(type)}'` };
    return { ok: true, value: { kind: 'custom', name, type } };
  }
  const lower = name.toLowerCase();
  const similar = [...Object.keys(SYSTEM_FIELDS), ...custom.keys()].find((n) => n.toLowerCase() === lower);
  const detail = similar ? `names are case-sensitive; did you mean '${similar}'?` : undefined;
  return { ok: false, message: `unknown search attribute '${name}'`, detail };
}

const isExecutionStatus = (f: FieldRef): boolean => f.kind === 'system' && f.name === 'ExecutionStatus';

export function allowedOperators(field: FieldRef): readonly OperatorName[] {
  return isExecutionStatus(field) ? EQUALITY : ALLOWED[field.type];
}

export function checkOperator(field: FieldRef, op: OperatorName): Problem | undefined {
  const allowed = allowedOperators(field);
  if (allowed.includes(op)) return undefined;
  return {
    message: `operator '${op}' is not supported for search attribute '${field.name}' of type ${field.type}`,
    detail: `supported: ${allowed.join(', ')}`,
  };
}

export function checkSortable(field: FieldRef): Problem | undefined {
  if (field.type === 'Text' || field.type === 'KeywordList') {
    return { message: `cannot order by search attribute '${field.name}' of type ${field.type}` };
  }
  return undefined;
}

function show(raw: RawLiteral): string {
  if (raw.kind === 'string') return `'${raw.value.length > 40 ? `${raw.value.slice(0, 40)}…` : raw.value}'`;
  return raw.kind === 'number' ? raw.text : String(raw.value);
}

const isIntegerText = (text: string): boolean => /^[+-]?\d+$/.test(text);

function statusValue(raw: RawLiteral): Checked<QueryValue> {
  if (raw.kind === 'string') {
    const exact = EXECUTION_STATUS_NAMES.find((s) => s === raw.value);
    if (exact) return { ok: true, value: { type: 'String', value: exact } };
    const near = EXECUTION_STATUS_NAMES.find((s) => s.toLowerCase() === raw.value.toLowerCase());
    const detail = near ? `status names are case-sensitive; did you mean '${near}'?` : `expected one of ${EXECUTION_STATUS_NAMES.join(', ')}`;
    return { ok: false, message: `invalid ExecutionStatus value ${show(raw)}`, detail };
  }
  // Temporal also accepts the WorkflowExecutionStatus enum number.
  if (raw.kind === 'number' && isIntegerText(raw.text)) {
    const name = EXECUTION_STATUS_NAMES[Number(raw.text) - 1];
    if (name) return { ok: true, value: { type: 'String', value: name } };
  }
  return { ok: false, message: `invalid ExecutionStatus value ${show(raw)}`, detail: `expected one of ${EXECUTION_STATUS_NAMES.join(', ')}` };
}

export function convertLiteral(field: FieldRef, raw: RawLiteral): Checked<QueryValue> {
  if (isExecutionStatus(field)) return statusValue(raw);
  const bad = (expected: string): Checked<QueryValue> => ({
    ok: false,
    message: `invalid value ${show(raw)} for search attribute '${field.name}' of type ${field.type}`,
    detail: `expected ${expected}`,
  });
  switch (field.type) {
    case 'Keyword':
    case 'Text':
    case 'KeywordList':
      return raw.kind === 'string' ? { ok: true, value: { type: 'String', value: raw.value } } : bad('a quoted string');
    case 'Bool':
      return raw.kind === 'bool' ? { ok: true, value: { type: 'Bool', value: raw.value } } : bad('true or false');
    case 'Int':
    case 'Double': {
      if (raw.kind !== 'number') return bad('a number');
      const n = Number(raw.text);
      if (!Number.isFinite(n)) return bad('a number in range');
      if (field.type === 'Int' && isIntegerText(raw.text)) {
        // Beyond 2^53 the value would silently change; records could not hold it exactly either.
        return Number.isSafeInteger(n) ? { ok: true, value: { type: 'Int', value: n } } : bad(`an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
      }
      return { ok: true, value: { type: 'Double', value: n } };
    }
    case 'Datetime': {
      const expected = `an RFC 3339 datetime such as '2026-11-23T10:00:00Z' or an integer of nanoseconds since the epoch`;
      const instant =
        raw.kind === 'string' ? parseRfc3339(raw.value) : raw.kind === 'number' && isIntegerText(raw.text) ? instantFromEpochNanos(raw.text) : undefined;
      if (!instant) return { ok: false, message: `invalid datetime ${show(raw)} for search attribute '${field.name}'`, detail: `expected ${expected}` };
      return { ok: true, value: { type: 'Datetime', epochMs: instant.epochMs, nanos: instant.nanos, text: raw.kind === 'number' ? raw.text : String(raw.value) } };
    }
  }
}
