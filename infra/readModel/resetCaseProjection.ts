/**
 * After a case's workflow is reset, the case list follows the new run at once. The new run's own
 * next write would replace the old run's row (migration 045), but a reset brings none by itself, so
 * until the case changed again inboxes, lists and the SLA dashboard would show the run the reset
 * ended — after a bad deploy, its wrong figures. The row is written from the new run's view (the
 * query waits for the task that takes up what the reset delivered again). The case's stored events
 * stay as the old run wrote them: the audit trail keeps what happened, and the reset itself is
 * audited.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { caseViewQuery, certificationWorkflowId } from '../../workflows/certification/messages';
import { projectionOfView } from '../../workflows/certification/projection';
import type { CaseView } from '../../workflows/certification/types';
import { projectCase } from './projectCase';

export async function projectResetCase(db: DataSource, client: Client, caseCode: string, runId: string, now: () => Date = () => new Date()): Promise<CaseView> {
  const view = await client.workflow.getHandle(certificationWorkflowId(caseCode), runId).query(caseViewQuery);
  // Written as the new run: it replaces the old run's row, and loses to a newer write of its own run.
  await projectCase(db, { projection: projectionOfView(view, now().toISOString()), events: [] }, runId);
  return view;
}
