/**
 * Ordering. Without ORDER BY, Temporal's List order: open runs first, then CloseTime descending,
 * StartTime descending, RunId ascending (its SQL stores sort on COALESCE(close_time, max) DESC).
 * With ORDER BY, the same order breaks ties, so offset-based pages never overlap or skip.
 * Missing values sort last in either direction.
 */
import { readField, type FieldValue } from './fields';
import { EXECUTION_STATUS_NAMES, SYSTEM_FIELDS, type FieldRef, type OrderByItem, type SystemFieldName, type VisibilityRecord } from './types';

type Comparator = (a: VisibilityRecord, b: VisibilityRecord) => number;

const system = (name: SystemFieldName): FieldRef => ({ kind: 'system', name, type: SYSTEM_FIELDS[name] });

const DEFAULT_ORDER: OrderByItem[] = [
  { field: system('CloseTime'), direction: 'DESC' },
  { field: system('StartTime'), direction: 'DESC' },
  { field: system('RunId'), direction: 'ASC' },
];

export function compileComparator(orderBy: OrderByItem[]): Comparator {
  const explicit = orderBy.map(itemComparator);
  const defaults = DEFAULT_ORDER.map(itemComparator);
  return (a, b) => {
    for (const c of explicit) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    const openA = readField(a, DEFAULT_ORDER[0].field) === undefined;
    const openB = readField(b, DEFAULT_ORDER[0].field) === undefined;
    if (openA !== openB) return openA ? -1 : 1;
    for (const c of defaults) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
}

function itemComparator({ field, direction }: OrderByItem): Comparator {
  const sign = direction === 'DESC' ? -1 : 1;
  const key = sortKey(field);
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    return sign * compareValues(x, y);
  };
}

/** ExecutionStatus sorts by its enum number, as Temporal stores it; an unknown status counts as missing. */
function sortKey(field: FieldRef): (r: VisibilityRecord) => FieldValue | undefined {
  if (field.kind === 'system' && field.name === 'ExecutionStatus') {
    return (r) => {
      const i = EXECUTION_STATUS_NAMES.indexOf(r.status);
      return i < 0 ? undefined : i;
    };
  }
  return (r) => readField(r, field);
}

function compareValues(x: FieldValue, y: FieldValue): number {
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  // Only reachable for sorts the parser rejects (lists); keep the order total anyway.
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}
