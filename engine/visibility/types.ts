/**
 * Shared types of the visibility query language: the records it filters and the AST it compiles
 * to. The AST is the contract with the SQL translation of the PostgreSQL store, so every field is
 * resolved and every literal already has the type of the column it is compared with.
 */

export type SearchAttributeType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export type ExecutionStatusName = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'ContinuedAsNew' | 'TimedOut';

/** Temporal's enum order: index + 1 is the WorkflowExecutionStatus number, which is also the sort order. */
export const EXECUTION_STATUS_NAMES: readonly ExecutionStatusName[] = [
  'Running',
  'Completed',
  'Failed',
  'Canceled',
  'Terminated',
  'ContinuedAsNew',
  'TimedOut',
];

export interface VisibilityRecord {
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  status: ExecutionStatusName;
  /** Epoch milliseconds. */
  startTime: number;
  executionTime: number;
  /** Absent while the run is open. */
  closeTime?: number;
  historyLength?: number;
  /** Datetime values are epoch milliseconds. */
  searchAttributes: Record<string, string | number | boolean | string[] | null>;
}

/** Its message goes back to the API caller unchanged, so it names the problem and where it is. */
export class VisibilityQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VisibilityQueryError';
  }
}

export type SystemFieldName =
  | 'WorkflowId'
  | 'RunId'
  | 'WorkflowType'
  | 'TaskQueue'
  | 'ExecutionStatus'
  | 'StartTime'
  | 'CloseTime'
  | 'ExecutionTime'
  | 'HistoryLength';

export const SYSTEM_FIELDS: Readonly<Record<SystemFieldName, SearchAttributeType>> = {
  WorkflowId: 'Keyword',
  RunId: 'Keyword',
  WorkflowType: 'Keyword',
  TaskQueue: 'Keyword',
  ExecutionStatus: 'Keyword',
  StartTime: 'Datetime',
  CloseTime: 'Datetime',
  ExecutionTime: 'Datetime',
  HistoryLength: 'Int',
};

export type FieldRef =
  | { kind: 'system'; name: SystemFieldName; type: SearchAttributeType }
  | { kind: 'custom'; name: string; type: SearchAttributeType };

/**
 * A literal converted for its field: Keyword, Text and KeywordList fields get `String`
 * (ExecutionStatus values are validated status names), Int fields get `Int` or `Double` as written,
 * Double fields always `Double`, Datetime fields `Datetime`.
 */
export type QueryValue =
  | { type: 'String'; value: string }
  | { type: 'Int'; value: number }
  | { type: 'Double'; value: number }
  | { type: 'Bool'; value: boolean }
  | DatetimeValue;

/**
 * Records hold milliseconds but Temporal accepts nanosecond precision, so the instant is split
 * into whole milliseconds (floor) and the nanoseconds beyond them; a literal with `nanos > 0` lies
 * strictly after `epochMs`. No bigint, so the AST stays JSON-serialisable.
 */
export interface DatetimeValue {
  type: 'Datetime';
  epochMs: number;
  /** 0..999_999 */
  nanos: number;
  /** As written in the query, for messages. */
  text: string;
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Predicate =
  | { kind: 'compare'; field: FieldRef; op: ComparisonOperator; value: QueryValue }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: QueryValue[] }
  | { kind: 'between'; field: FieldRef; negated: boolean; low: QueryValue; high: QueryValue }
  | { kind: 'startsWith'; field: FieldRef; negated: boolean; prefix: string }
  | { kind: 'isNull'; field: FieldRef; negated: boolean };

/** AND/OR are n-ary (at least two operands) so long chains stay shallow. */
export type QueryExpr =
  | Predicate
  | { kind: 'and'; operands: QueryExpr[] }
  | { kind: 'or'; operands: QueryExpr[] }
  | { kind: 'not'; operand: QueryExpr };

export type SortDirection = 'ASC' | 'DESC';

export interface OrderByItem {
  field: FieldRef;
  direction: SortDirection;
}

export interface QueryAst {
  /** null: no filter. */
  where: QueryExpr | null;
  /** Empty: Temporal's default order (see `order.ts`). */
  orderBy: OrderByItem[];
}

export interface CompiledQuery {
  ast: QueryAst;
  matches(r: VisibilityRecord): boolean;
  compare(a: VisibilityRecord, b: VisibilityRecord): number;
}
