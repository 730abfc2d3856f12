/**
 * What the supervision read model keeps of a case, derived from the workflow's own case view
 * only. The projection activity writes it; the consistency check derives it again from the
 * workflow's live view and compares — one function, so the two cannot drift apart.
 *
 * A case is on time when its result was made available (delivered to the document lists and
 * the portal) no later than its overall deadline, lawful extensions included; refused and
 * withdrawn cases are neither on time nor late.
 */
import type { CaseView } from '../../workflows/certification/types';

export interface CaseFigures {
  status: string;
  step: string | null;
  overallDueAt: string;
  closedAt: string | null;
  breaches: number;
  warnings: number;
  copies: number;
  feeVnd: number;
  refusalGround: string | null;
  extensionCount: number;
  extensionDays: number;
  resultAt: string | null;
  onTime: boolean | null;
}

export interface StepFigures {
  idx: number;
  step: string;
  startedAt: string;
  endedAt: string | null;
  dueAt: string | null;
  budgetMinutes: number | null;
  workingMinutes: number | null;
  officerId: string | null;
  officerName: string | null;
  outcome: string | null;
  late: boolean | null;
}

export interface CaseReadModel {
  caseCode: string;
  figures: CaseFigures;
  steps: StepFigures[];
}

export function readModelOf(view: CaseView): CaseReadModel {
  const resultAt = view.status === 'completed' || view.status === 'delivering' ? (view.delivery?.at ?? null) : null;
  return {
    caseCode: view.caseCode,
    figures: {
      status: view.status,
      step: view.step,
      overallDueAt: view.overallDueAt,
      closedAt: view.closedAt ?? null,
      breaches: view.breaches.length,
      warnings: view.warnings.length,
      copies: view.documents.reduce((sum, d) => sum + d.copies, 0),
      feeVnd: view.fee.totalVnd,
      refusalGround: view.refusal?.ground ?? null,
      extensionCount: view.extensions.length,
      extensionDays: view.extensions.reduce((sum, e) => sum + e.workingDays, 0),
      resultAt,
      onTime: resultAt === null ? null : Date.parse(resultAt) <= Date.parse(view.overallDueAt),
    },
    steps: view.steps.map((s, idx) => ({
      idx,
      step: s.step,
      startedAt: s.startedAt,
      endedAt: s.endedAt ?? null,
      dueAt: s.dueAt ?? null,
      budgetMinutes: s.budgetHours === undefined ? null : Math.round(s.budgetHours * 60),
      workingMinutes: s.workingMinutes ?? null,
      officerId: s.by?.officerId ?? null,
      officerName: s.by?.fullName ?? null,
      outcome: s.outcome ?? null,
      late: s.late ?? null,
    })),
  };
}

/** Field-by-field differences between two read models of the same case (empty when they agree). */
export function differences(expected: CaseReadModel, actual: CaseReadModel): string[] {
  const out: string[] = [];
  for (const key of Object.keys(expected.figures) as Array<keyof CaseFigures>) {
    if (!sameValue(expected.figures[key], actual.figures[key])) out.push(`${key}: ${show(actual.figures[key])} ≠ ${show(expected.figures[key])}`);
  }
  if (expected.steps.length !== actual.steps.length) out.push(`steps: ${actual.steps.length} ≠ ${expected.steps.length}`);
  for (const [i, step] of expected.steps.entries()) {
    const other = actual.steps[i];
    if (!other) continue;
    for (const key of Object.keys(step) as Array<keyof StepFigures>) {
      if (!sameValue(step[key], other[key])) out.push(`steps[${i}].${key}: ${show(other[key])} ≠ ${show(step[key])}`);
    }
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && isInstant(a) && isInstant(b)) return Date.parse(a) === Date.parse(b);
  return a === b;
}

function isInstant(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(text);
}

function show(value: unknown): string {
  return value === null || value === undefined ? '∅' : String(value);
}
