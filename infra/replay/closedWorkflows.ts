/**
 * Which workflows closed in a period, through the visibility API of the engine or the cluster
 * (`CloseTime` and `WorkflowType` are system search attributes on both). Periods are given as Hà
 * Nội dates, both days included, or as ISO instants.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { parseLocalDate } from '../../domain/calendar';

export interface Period {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** '2026-11-01' .. '2026-11-30' → [1 Nov 00:00, 1 Dec 00:00) in Hà Nội; ISO instants are taken as they are (`to` exclusive). */
export function periodOf(from: string, to: string): Period {
  const start = DATE.test(from) ? new Date(parseLocalDate(from)) : new Date(from);
  const end = DATE.test(to) ? new Date(parseLocalDate(to) + DAY_MS) : new Date(to);
  if (Number.isNaN(start.getTime())) throw new RangeError(`not a date: ${from} (YYYY-MM-DD or an ISO instant)`);
  if (Number.isNaN(end.getTime())) throw new RangeError(`not a date: ${to} (YYYY-MM-DD or an ISO instant)`);
  if (end.getTime() <= start.getTime()) throw new RangeError(`the period ends before it starts: ${from} .. ${to}`);
  return { from: start, to: end };
}

/**
 * The procedures an auditor replays when no type is named: the cases, the desk's account requests
 * and the citizens' appointments. The health check's workflow, and anything else a shared
 * namespace holds, is left out.
 */
export const CASE_WORKFLOW_TYPES: readonly string[] = ['certification', 'citizenAccount', 'appointment'];

export interface ClosedQuery {
  period: Period;
  /** One workflow type, e.g. 'certification'; CASE_WORKFLOW_TYPES when absent. */
  workflowType?: string;
}

function literal(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function closedWorkflowsQuery(q: ClosedQuery): string {
  const parts = [`CloseTime >= ${literal(q.period.from.toISOString())}`, `CloseTime < ${literal(q.period.to.toISOString())}`];
  const types = q.workflowType ? [q.workflowType] : CASE_WORKFLOW_TYPES;
  parts.push(`(${types.map((t) => `WorkflowType = ${literal(t)}`).join(' OR ')})`);
  return parts.join(' AND ');
}

export async function countClosed(client: Client, q: ClosedQuery): Promise<number> {
  return (await client.workflow.count(closedWorkflowsQuery(q))).count;
}

export function listClosed(client: Client, q: ClosedQuery): AsyncIterable<WorkflowExecutionInfo> {
  return client.workflow.list({ query: closedWorkflowsQuery(q) });
}
