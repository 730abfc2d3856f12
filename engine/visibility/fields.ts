/** Reading a field of a record as the query sees it. */
import type { FieldRef, VisibilityRecord } from './types';

export type FieldValue = string | number | boolean | readonly string[];

function systemValue(r: VisibilityRecord, field: FieldRef & { kind: 'system' }): unknown {
  switch (field.name) {
    case 'WorkflowId':
      return r.workflowId;
    case 'RunId':
      return r.runId;
    case 'WorkflowType':
      return r.workflowType;
    case 'TaskQueue':
      return r.taskQueue;
    case 'ExecutionStatus':
      return r.status;
    case 'StartTime':
      return r.startTime;
    case 'CloseTime':
      return r.closeTime;
    case 'ExecutionTime':
      return r.executionTime;
    case 'HistoryLength':
      return r.historyLength;
  }
}

/**
 * The value, or undefined for SQL NULL. A value that does not fit the field's type (stored before
 * the attribute was re-registered with another type, say) also reads as NULL rather than failing
 * the whole List call. An empty KeywordList is NULL too: Temporal's stores treat it as absent.
 */
export function readField(r: VisibilityRecord, field: FieldRef): FieldValue | undefined {
  let v: unknown;
  if (field.kind === 'system') v = systemValue(r, field);
  else {
    const attrs = r.searchAttributes;
    // Own properties only: a name like 'constructor' must not find Object.prototype members.
    v = attrs && Object.hasOwn(attrs, field.name) ? attrs[field.name] : undefined;
  }
  switch (field.type) {
    case 'Keyword':
    case 'Text':
      return typeof v === 'string' ? v : undefined;
    case 'KeywordList':
      if (typeof v === 'string') return [v];
      return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
    case 'Int':
    case 'Double':
    case 'Datetime':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'Bool':
      return typeof v === 'boolean' ? v : undefined;
  }
}
