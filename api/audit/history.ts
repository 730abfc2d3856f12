/**
 * A case's workflow history for auditors (an appointment's and a support request's alike, by their
 * codes): fetched from the engine or the cluster (the latest run of `certification-<code>`), checked against the caller's units through the commune the case was
 * received for (its start input), rendered as a timeline, exported as Temporal's JSON, or replayed
 * against the current workflow code.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import { historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { defaultPayloadConverter } from '@temporalio/common';
import { replayHistory, type ReplayVerdict } from '../../infra/replay';
import { certificationWorkflowId } from '../../workflows/certification/messages';
import { appointmentWorkflowId } from '../../workflows/appointment/messages';
import { supportWorkflowId } from '../../workflows/supportRequest/messages';
import { caseNotFound, projectedView } from '../cases/caseView';
import { engineOf } from '../cases/engine';
import { ApiError } from '../errors';
import type { Call } from '../route';
import { buildTimeline, type TimelineEntry } from './timeline';

export interface CaseHistory {
  caseCode: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  /** The engine's status of the run: RUNNING, COMPLETED, TERMINATED… */
  status: string;
  startTime: string;
  closeTime: string | null;
  historyLength: number;
  history: History;
}

const historyGone = (caseCode: string) =>
  new ApiError(
    404,
    'HISTORY_NOT_AVAILABLE',
    `Máy chủ quy trình không còn lưu lịch sử của hồ sơ ${caseCode} (đã quá thời hạn lưu giữ).`,
    `The workflow history of case ${caseCode} is no longer kept by the engine (past retention).`,
  );

function unitIdOf(history: History): string | undefined {
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) return undefined;
  try {
    const input = defaultPayloadConverter.fromPayload(payload) as { unit?: { id?: unknown } } | null;
    return typeof input?.unit?.id === 'string' ? input.unit.id : undefined;
  } catch {
    return undefined;
  }
}

/** The workflow a code names: an appointment (LH-…), a support request (YC-…), else a case. */
function workflowIdOfCode(code: string): string {
  if (/^LH-\d{6}-/.test(code)) return appointmentWorkflowId(code);
  if (/^YC-\d{6}-/.test(code)) return supportWorkflowId(code);
  return certificationWorkflowId(code);
}

/**
 * The history of a case — or of an appointment or a support request, by its code — or 404 when
 * there is none or it belongs to another unit.
 */
export async function loadCaseHistory(call: Call, caseCode: string): Promise<CaseHistory> {
  const { client } = engineOf(call.ctx);
  call.audit.target = `case:${caseCode}`;
  const units = call.principal!.caseUnits;
  const workflowId = workflowIdOfCode(caseCode);
  let description;
  let history: History;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
    history = await client.workflow.getHandle(workflowId, description.runId).fetchHistory();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const view = await projectedView(call.ctx.db, caseCode);
    if (view && units.has(view.unit.id)) {
      call.audit.unitId = view.unit.id;
      throw historyGone(caseCode);
    }
    throw caseNotFound(caseCode);
  }
  const unitId = unitIdOf(history);
  if (!unitId || !units.has(unitId)) throw caseNotFound(caseCode);
  call.audit.unitId = unitId;
  return {
    caseCode,
    workflowId,
    runId: description.runId,
    workflowType: description.type,
    status: description.status.name,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime ? description.closeTime.toISOString() : null,
    historyLength: description.historyLength,
    history,
  };
}

export interface CaseTimeline extends Omit<CaseHistory, 'history'> {
  entries: TimelineEntry[];
}

export function timelineOf(h: CaseHistory): CaseTimeline {
  const { history, ...about } = h;
  return { ...about, entries: buildTimeline(history).entries };
}

/** The history as the Temporal CLI and UI export it (`temporal workflow show --output json`). */
export function historyJson(h: CaseHistory): Buffer {
  return Buffer.from(historyToJSON(h.history), 'utf8');
}

export async function replayCase(h: CaseHistory): Promise<ReplayVerdict> {
  return replayHistory(h.history, h.workflowId);
}
