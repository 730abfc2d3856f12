/**
 * After a case's workflow is reset, the case list follows the new run. The row carries the old
 * run's version, which the new run's writes pass only once it has made as many changes (a reset to
 * an earlier point starts lower), so until then inboxes, lists and the SLA dashboard would show the
 * run the reset ended — after a bad deploy, its wrong figures. The row is rewritten from the new
 * run's own view (the query waits for the task that takes up what the reset delivered again),
 * whatever version it had. The case's stored events stay as the old run wrote them: the audit trail
 * keeps what happened, and the reset itself is audited.
 */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { caseViewQuery, certificationWorkflowId } from '../../workflows/certification/messages';
import { projectionOfView } from '../../workflows/certification/projection';
import type { CaseView } from '../../workflows/certification/types';
import { projectCase } from './projectCase';

export async function projectResetCase(db: DataSource, client: Client, caseCode: string, runId: string, now: () => Date = () => new Date()): Promise<CaseView> {
  const view = await client.workflow.getHandle(certificationWorkflowId(caseCode), runId).query(caseViewQuery);
  await db.transaction(async (m) => {
    // Lowered and rewritten in one transaction (the row stays locked), so the forward-only rule
    // lets this write in and a write of the new run that is newer still comes after it.
    await m.query('update certification_cases set version = -1 where case_code = $1', [caseCode]);
    await projectCase(m, { projection: projectionOfView(view, now().toISOString()), events: [] });
  });
  return view;
}
