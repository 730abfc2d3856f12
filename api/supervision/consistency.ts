/**
 * Does the supervision read model tell what the workflows hold? For each case, the workflow's
 * own view (the `caseView` query) is turned into the read model it should have produced
 * (`readModelOf`, the function the projection activity uses) and compared field by field with
 * the rows in PostgreSQL. A row altered behind the workflows' back shows as a mismatch naming the
 * field; a case whose workflow is gone (past retention) or does not answer cannot be checked and
 * is listed apart; a case the workflow has just changed and not yet projected is "pending".
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { differences, readModelOf } from '../../domain/supervision/readModel';
import { readCaseReadModels } from '../../infra/readModel/caseReadModel';
import { CERTIFICATION_WORKFLOW_TYPE, caseViewQuery, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CaseView } from '../../workflows/certification/types';
import type { AppContext } from '../context';

type Db = AppContext['db'];

export interface ConsistencyReport {
  checked: number;
  consistent: number;
  mismatches: Array<{ caseCode: string; differences: string[] }>;
  /** The workflow moved on and its projection is still being written: checked again later, not a fault. */
  pending: Array<{ caseCode: string; workflowVersion: number; storedVersion: number }>;
  unreachable: Array<{ caseCode: string; reason: string }>;
}

export interface ConsistencyOptions {
  /** Cases queried at the same time. */
  concurrency?: number;
  /** Longest wait for one workflow's answer. */
  queryTimeoutMs?: number;
  /** Further looks at a case whose workflow is ahead of its projection. */
  retries?: number;
  retryDelayMs?: number;
}

/**
 * The open cases of `units` and those closed since `closedSince` — from the read model, and from
 * the engine's own list of running case workflows, so a case whose projection never reached
 * PostgreSQL (in no list, inbox or report) is checked too.
 */
export async function casesToCheck(db: Db, units: string[], closedSince: Date, client?: Client): Promise<string[]> {
  const rows: Array<{ case_code: string }> = await db.query(
    `select case_code from certification_cases where unit_id = any($1::uuid[]) and (closed_at is null or closed_at >= $2) order by case_code`,
    [units, closedSince],
  );
  const codes = new Set(rows.map((r) => r.case_code));
  if (client) for (const code of await runningCasesWithoutRow(db, client, units)) codes.add(code);
  return [...codes].sort();
}

const WORKFLOW_PREFIX = certificationWorkflowId('');

/** Running case workflows of `units` that have no read-model row. */
async function runningCasesWithoutRow(db: Db, client: Client, units: string[]): Promise<string[]> {
  const running: string[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowType = '${CERTIFICATION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'` })) {
    if (w.workflowId.startsWith(WORKFLOW_PREFIX)) running.push(w.workflowId.slice(WORKFLOW_PREFIX.length));
  }
  if (running.length === 0) return [];
  const known: Array<{ case_code: string }> = await db.query('select case_code from certification_cases where case_code = any($1)', [running]);
  const rowed = new Set(known.map((k) => k.case_code));
  const missing = running.filter((c) => !rowed.has(c));
  const inScope: string[] = [];
  for (const code of missing) {
    // Its unit is only in the workflow: asked, and an unreachable one is kept for the report to name.
    const view = await withTimeout(client.workflow.getHandle(certificationWorkflowId(code)).query(caseViewQuery), 10_000).catch(() => undefined);
    if (!view || units.includes(view.unit.id)) inScope.push(code);
  }
  return inScope;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function storedVersion(db: Db, caseCode: string): Promise<number | undefined> {
  const rows: Array<{ version: number }> = await db.query('select version from certification_cases where case_code = $1', [caseCode]);
  return rows[0]?.version;
}

type Outcome =
  | { kind: 'consistent' }
  | { kind: 'mismatch'; differences: string[] }
  | { kind: 'pending'; workflowVersion: number; storedVersion: number }
  | { kind: 'unreachable'; reason: string };

async function checkOne(db: Db, client: Client, caseCode: string, o: Required<ConsistencyOptions>): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    let view: CaseView;
    try {
      view = await withTimeout(client.workflow.getHandle(certificationWorkflowId(caseCode)).query(caseViewQuery), o.queryTimeoutMs);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { kind: 'unreachable', reason: 'Không còn luồng xử lý của hồ sơ trên hệ thống (đã quá thời hạn lưu giữ).' };
      return { kind: 'unreachable', reason: `Luồng xử lý không trả lời: ${err instanceof Error ? err.message : String(err)}` };
    }
    const version = await storedVersion(db, caseCode);
    if (version === undefined) {
      const why = view.projectionError ? ` (${view.projectionError.message})` : '';
      return { kind: 'mismatch', differences: [`case: ∅ ≠ present — the workflow runs but its projection was never written${why}`] };
    }
    if (view.version > version) {
      if (attempt < o.retries) {
        await new Promise((resolve) => setTimeout(resolve, o.retryDelayMs));
        continue;
      }
      return { kind: 'pending', workflowVersion: view.version, storedVersion: version };
    }
    const stored = (await readCaseReadModels(db, [caseCode])).get(caseCode);
    if (!stored) return { kind: 'mismatch', differences: ['case: ∅ ≠ present'] };
    const found = differences(readModelOf(view), stored);
    // A row claiming a version the workflow never reached was written by someone else.
    if (version > view.version) found.unshift(`version: ${version} ≠ ${view.version}`);
    return found.length === 0 ? { kind: 'consistent' } : { kind: 'mismatch', differences: found };
  }
}

/**
 * Compares the read model of `caseCodes` with their workflows. Memory stays bounded by what is
 * wrong, not by how many cases are checked: a consistent case is only counted; the others are
 * listed in the order of `caseCodes`.
 */
export async function checkReadModel(db: Db, client: Client, caseCodes: string[], options: ConsistencyOptions = {}): Promise<ConsistencyReport> {
  const o: Required<ConsistencyOptions> = { concurrency: 8, queryTimeoutMs: 10_000, retries: 3, retryDelayMs: 300, ...options };
  const report: ConsistencyReport = { checked: caseCodes.length, consistent: 0, mismatches: [], pending: [], unreachable: [] };
  const faults: Array<{ i: number; out: Exclude<Outcome, { kind: 'consistent' }> }> = [];
  let next = 0;
  const worker = async () => {
    while (next < caseCodes.length) {
      const i = next++;
      const out = await checkOne(db, client, caseCodes[i], o);
      if (out.kind === 'consistent') report.consistent += 1;
      else faults.push({ i, out });
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, caseCodes.length) }, worker));
  faults.sort((a, b) => a.i - b.i);
  for (const { i, out } of faults) {
    const caseCode = caseCodes[i];
    if (out.kind === 'mismatch') report.mismatches.push({ caseCode, differences: out.differences });
    else if (out.kind === 'pending') report.pending.push({ caseCode, workflowVersion: out.workflowVersion, storedVersion: out.storedVersion });
    else report.unreachable.push({ caseCode, reason: out.reason });
  }
  return report;
}
