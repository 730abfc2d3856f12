/**
 * Reading a case: the live view from its workflow (the `caseView` query) while it is open; the
 * view the workflow wrote last to the list projection when it is closed (its final view, so a
 * finished case is read without replaying its history on the worker), when the workflow is gone
 * (past retention) or the engine cannot answer a read. Before an officer's action, the projection
 * of an open case answers (see `caseBeforeAction`).
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
  return loadWith(ctx, caseCode, lenient, await projectedView(ctx.db, caseCode));
}

/**
 * The case as an officer's action needs it before its update — unit, state, step: the projection
 * of an open case, which the workflow writes within the task that changed the case, before that
 * change's update is answered (the update's validator decides on state and rights in any case).
 * A case not projected yet, or projected closed, is read as `loadCase` reads it.
 */
export async function caseBeforeAction(ctx: AppContext, caseCode: string, lenient = false): Promise<LoadedCase | undefined> {
  const projected = await projectedView(ctx.db, caseCode);
  if (projected && !isClosedView(projected)) return { view: projected, source: 'projection' };
  return loadWith(ctx, caseCode, lenient, projected);
}

async function loadWith(ctx: AppContext, caseCode: string, lenient: boolean, projected: CaseView | undefined): Promise<LoadedCase | undefined> {
  const { client } = engineOf(ctx);
  const handle = client.workflow.getHandle(certificationWorkflowId(caseCode));
  // A run reset after it closed is open again while its projection still says closed: the engine says which.
  if (projected && isClosedView(projected) && (await runClosed(handle))) return { view: projected, source: 'projection' };
  try {
    const view = await handle.query(caseViewQuery);
    return { view, source: 'workflow' };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError) && !lenient) throw err;
    if (!(err instanceof WorkflowNotFoundError)) console.error(`case ${caseCode}: the workflow did not answer, serving the projection`, err);
    return projected ? { view: projected, source: 'projection' } : undefined;
  }
}

/** Whether the case's latest run is closed (or gone); false when the engine cannot say, so the query decides. */
async function runClosed(handle: { describe(): Promise<{ status: { name: string } }> }): Promise<boolean> {
  try {
    return (await handle.describe()).status.name !== 'RUNNING';
  } catch (err) {
    return err instanceof WorkflowNotFoundError;
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
