/**
 * The supervision read model in PostgreSQL (migration 018): the per-case figures on
 * `certification_cases` and one `case_steps` row per step. Written with the case row by the
 * projection activity (the database's `project_case`), rewritten from a workflow's view here on an
 * operator's repair, read back by the consistency check.
 */
import type { EntityManager } from 'typeorm';
import { readModelOf, type CaseReadModel, type StepFigures } from '../../domain/supervision/readModel';
import type { CaseView } from '../../workflows/certification/types';

type Sql = Pick<EntityManager, 'query'>;

/** Replaces the case's figures and steps; call in the transaction that wrote the case row. */
export async function writeCaseReadModel(m: Sql, unitId: string, model: CaseReadModel): Promise<void> {
  const f = model.figures;
  await m.query(
    `update certification_cases set copies = $2, refusal_ground = $3, extension_count = $4, extension_days = $5, warnings = $6,
       result_at = $7, on_time = $8 where case_code = $1`,
    [model.caseCode, f.copies, f.refusalGround, f.extensionCount, f.extensionDays, f.warnings, f.resultAt, f.onTime],
  );
  await writeCaseSteps(m, unitId, model);
}

/** A step of the read model as its `case_steps` columns (without the case's code and unit). */
export function caseStepRow(s: StepFigures) {
  return {
    idx: s.idx, step: s.step, started_at: s.startedAt, ended_at: s.endedAt, due_at: s.dueAt, budget_minutes: s.budgetMinutes,
    working_minutes: s.workingMinutes, officer_id: s.officerId, officer_name: s.officerName, outcome: s.outcome, late: s.late,
  };
}

async function writeCaseSteps(m: Sql, unitId: string, model: CaseReadModel): Promise<void> {
  await m.query('delete from case_steps where case_code = $1', [model.caseCode]);
  if (model.steps.length === 0) return;
  const rows = model.steps.map(caseStepRow);
  const columns = Object.keys(rows[0]!);
  const values: unknown[] = [model.caseCode, unitId];
  const tuples = rows.map((row) => {
    const slots = Object.values(row).map((v) => {
      values.push(v);
      return `$${values.length}`;
    });
    return `($1, $2, ${slots.join(', ')})`;
  });
  await m.query(`insert into case_steps (case_code, unit_id, ${columns.join(', ')}) values ${tuples.join(', ')}`, values);
}

/**
 * Rewrites a case's row and read model from the workflow's own view — the repair an operator
 * asks for after the consistency check found a difference (the workflow is the source of truth).
 */
export async function rewriteFromView(db: { transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> }, unitId: string, view: CaseView): Promise<void> {
  const model = readModelOf(view);
  const f = model.figures;
  await db.transaction(async (m) => {
    await m.query(
      `update certification_cases set status = $2, step = $3, overall_due_at = $4, closed_at = $5, breaches = $6, view = $7, version = $8 where case_code = $1`,
      [view.caseCode, f.status, f.step, f.overallDueAt, f.closedAt, f.breaches, JSON.stringify(view), view.version],
    );
    await writeCaseReadModel(m, unitId, model);
  });
}

interface CaseRow {
  case_code: string;
  status: string;
  step: string | null;
  overall_due_at: Date;
  closed_at: Date | null;
  breaches: number;
  warnings: number;
  copies: number;
  fee_vnd: string;
  refusal_ground: string | null;
  extension_count: number;
  extension_days: number;
  result_at: Date | null;
  on_time: boolean | null;
}

interface StepRow {
  case_code: string;
  idx: number;
  step: string;
  started_at: Date;
  ended_at: Date | null;
  due_at: Date | null;
  budget_minutes: number | null;
  working_minutes: number | null;
  officer_id: string | null;
  officer_name: string | null;
  outcome: string | null;
  late: boolean | null;
}

/** The stored read model of the given cases (absent cases are missing from the map). */
export async function readCaseReadModels(m: Sql, caseCodes: string[]): Promise<Map<string, CaseReadModel>> {
  const cases: CaseRow[] = await m.query(
    `select case_code, status, step, overall_due_at, closed_at, breaches, warnings, copies, fee_vnd::text as fee_vnd, refusal_ground,
            extension_count, extension_days, result_at, on_time
     from certification_cases where case_code = any($1::text[])`,
    [caseCodes],
  );
  const steps: StepRow[] = await m.query('select * from case_steps where case_code = any($1::text[]) order by case_code, idx', [caseCodes]);
  const out = new Map<string, CaseReadModel>();
  for (const c of cases) {
    out.set(c.case_code, {
      caseCode: c.case_code,
      figures: {
        status: c.status,
        step: c.step,
        overallDueAt: c.overall_due_at.toISOString(),
        closedAt: isoOrNull(c.closed_at),
        breaches: c.breaches,
        warnings: c.warnings,
        copies: c.copies,
        feeVnd: Number(c.fee_vnd),
        refusalGround: c.refusal_ground,
        extensionCount: c.extension_count,
        extensionDays: c.extension_days,
        resultAt: isoOrNull(c.result_at),
        onTime: c.on_time,
      },
      steps: [],
    });
  }
  for (const s of steps) out.get(s.case_code)?.steps.push(stepOf(s));
  return out;
}

function stepOf(s: StepRow): StepFigures {
  return {
    idx: s.idx,
    step: s.step,
    startedAt: s.started_at.toISOString(),
    endedAt: isoOrNull(s.ended_at),
    dueAt: isoOrNull(s.due_at),
    budgetMinutes: s.budget_minutes,
    workingMinutes: s.working_minutes,
    officerId: s.officer_id,
    officerName: s.officer_name,
    outcome: s.outcome,
    late: s.late,
  };
}

function isoOrNull(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}
