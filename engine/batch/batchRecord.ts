/** A batch operation as the engine keeps it: what to do, to whom, and how far it got. */
import type { Header, Payloads } from '../proto';

export type BatchAction =
  | { kind: 'terminate'; details?: Payloads | null }
  | { kind: 'cancel' }
  | { kind: 'signal'; signal: string; input?: Payloads | null; header?: Header | null }
  | { kind: 'delete' }
  | { kind: 'reset'; to: 'first' | 'last' | number; reapplyType: number; excludeTypes: number[] };

export interface BatchTarget {
  workflowId: string;
  runId?: string;
}

export type BatchState = 'running' | 'completed' | 'failed';

export interface BatchRecord {
  namespace: string;
  jobId: string;
  operationType: number;
  action: BatchAction;
  state: BatchState;
  reason: string;
  identity: string;
  query?: string;
  startTime: number;
  closeTime?: number;
  /** Executions to act on, fixed when the job starts (a query is run once, at the start). */
  targets: BatchTarget[];
  /** Index of the next target to act on; progress survives a restart of the engine. */
  next: number;
  completed: number;
  failed: number;
  /** 0: no pacing. */
  maxOperationsPerSecond: number;
}
