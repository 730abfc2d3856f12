/**
 * Writing a case's projection: the row, its supervision figures and steps, and the events not yet
 * stored, each with its audit entry once — one statement (`project_case`, migrations 042–045), the
 * row only forward by version within a run. The workflow writes through it after every change; an
 * operator's reset rewrites the row from the new run's view (`projectResetCase`).
 */
import type { EntityManager } from 'typeorm';
import { auditAppendArgs } from '../../api/audit/auditLog';
import type { ProjectCaseInput } from '../../activities/certification';
import { readModelOf } from '../../domain/supervision/readModel';
import { caseStepRow } from './caseReadModel';

type Sql = Pick<EntityManager, 'query'>;

/** `runId`: the workflow run whose write this is (a write of another run than the row's moves it whatever its version). */
export async function projectCase(db: Sql, { projection: p, events }: ProjectCaseInput, runId: string | null): Promise<{ applied: boolean }> {
  const model = readModelOf(p.view);
  const f = model.figures;
  const row = {
    case_code: p.caseCode, unit_id: p.unitId, status: p.status, step: p.step, step_right: p.stepRight, received_by: p.receivedBy,
    received_at: p.receivedAt, overall_due_at: p.overallDueAt, step_started_at: p.stepStartedAt, step_warn_at: p.stepWarnAt,
    step_due_at: p.stepDueAt, citizen_name: p.citizenName, citizen_id: p.citizenId, complex: p.complex, fee_vnd: p.feeVnd,
    certification_number: p.certificationNumber, breaches: p.breaches, closed_at: p.closedAt, view: p.view, updated_at: p.updatedAt,
    version: p.version, copies: f.copies, refusal_ground: f.refusalGround, extension_count: f.extensionCount, extension_days: f.extensionDays,
    warnings: f.warnings, result_at: f.resultAt, on_time: f.onTime, run_id: runId,
  };
  const audited = events.map((e) => ({
    ...e,
    audit: auditAppendArgs({
      at: new Date(e.at), actorId: e.actorId, actorName: null, unitId: p.unitId, action: `case.event.${e.kind}`, target: `case:${p.caseCode}`,
      outcome: 'success', status: null, details: { seq: e.seq, ...e.data }, ip: null,
    }),
  }));
  const steps = model.steps.map(caseStepRow);
  const rows: Array<{ applied: boolean }> = await db.query('select project_case($1::jsonb, $2::jsonb, $3::jsonb) as applied', [JSON.stringify(row), JSON.stringify(audited), JSON.stringify(steps)]);
  return { applied: rows[0]!.applied };
}
