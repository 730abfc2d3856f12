/**
 * Reading a case: the live view from its workflow (the `caseView` query), or the view the
 * workflow last wrote to the list projection when the workflow is gone (past retention) or the
 * engine cannot answer a read.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import { caseViewQuery, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CaseStatus, CaseView } from '../../workflows/certification/types';
import type { AppContext } from '../context';
import { ApiError } from '../errors';
import { engineOf } from './engine';

export const CLOSED_STATUSES: readonly CaseStatus[] = ['completed', 'refused', 'withdrawn'];

export function isClosedView(view: CaseView): boolean {
  return CLOSED_STATUSES.includes(view.status);
}

export async function projectedView(db: AppContext['db'], caseCode: string): Promise<CaseView | undefined> {
  const rows: Array<{ view: CaseView }> = await db.query('select view from certification_cases where case_code = $1', [caseCode]);
  return rows[0]?.view;
}

export interface LoadedCase {
  view: CaseView;
  /** 'workflow' when answered by the running (or closed but retained) workflow. */
  source: 'workflow' | 'projection';
}

/**
 * The case, or undefined when there is none. `lenient` serves the projection also when the
 * engine fails to answer (reads); actions need the engine anyway and let that error through.
 */
export async function loadCase(ctx: AppContext, caseCode: string, lenient = false): Promise<LoadedCase | undefined> {
  const { client } = engineOf(ctx);
  try {
    const view = await client.workflow.getHandle(certificationWorkflowId(caseCode)).query(caseViewQuery);
    return { view, source: 'workflow' };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError) && !lenient) throw err;
    if (!(err instanceof WorkflowNotFoundError)) console.error(`case ${caseCode}: the workflow did not answer, serving the projection`, err);
    const view = await projectedView(ctx.db, caseCode);
    return view ? { view, source: 'projection' } : undefined;
  }
}

export const caseNotFound = (caseCode: string) =>
  new ApiError(404, 'CASE_NOT_FOUND', `Không tìm thấy hồ sơ ${caseCode}.`, `Case ${caseCode} not found.`);

const CLOSED_VI: Record<string, string> = { completed: 'đã hoàn thành', refused: 'đã bị từ chối', withdrawn: 'đã được công dân rút' };

/** 409 with the final view, so the client can show what became of the case. */
export const caseClosed = (view: CaseView) =>
  new ApiError(
    409,
    'CASE_CLOSED',
    `Hồ sơ ${view.caseCode} ${CLOSED_VI[view.status] ?? 'đã kết thúc'}, không thể thực hiện thêm thao tác.`,
    `Case ${view.caseCode} is ${view.status}; no further action is possible.`,
    { case: view },
  );

/**
 * The workflow writes the list projection right after it starts; a reception waits briefly for
 * that row so the new case shows in lists and inboxes as soon as the officer has its code.
 */
export async function waitForProjection(db: AppContext['db'], caseCode: string, attempts = 120): Promise<boolean> {
  // Counted in polls of 25 ms rather than by the clock: the API's clock is business time.
  for (let i = 0; ; i++) {
    const rows: unknown[] = await db.query('select 1 from certification_cases where case_code = $1', [caseCode]);
    if (rows.length > 0) return true;
    if (i >= attempts) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
