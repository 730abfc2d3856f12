/** The row the list projection keeps for a case (see activities/certification.ts, projectCase). */
import type { CaseProjection } from '../../activities/certification';
import type { CaseView } from './types';
import { iso, viewOf, type CaseState } from './state';

export function projectionOf(state: CaseState, at: number): CaseProjection {
  return projectionOfView(viewOf(state), iso(at));
}

/** The row of a case as its view shows it (also how a reset case's new run is projected from outside). */
export function projectionOfView(view: CaseView, updatedAt: string): CaseProjection {
  const current = view.currentStep;
  return {
    caseCode: view.caseCode,
    unitId: view.unit.id,
    status: view.status,
    step: view.step,
    stepRight: current?.right ?? null,
    receivedBy: view.receivedBy.officerId,
    receivedAt: view.receivedAt,
    overallDueAt: view.overallDueAt,
    stepStartedAt: current?.startedAt ?? null,
    stepWarnAt: current?.warnAt ?? null,
    stepDueAt: current?.dueAt ?? null,
    citizenName: view.citizen.fullName,
    citizenId: view.citizen.citizenId,
    complex: view.complex,
    feeVnd: view.fee.totalVnd,
    certificationNumber: view.certificationNumber ?? null,
    breaches: view.breaches.length,
    closedAt: view.closedAt ?? null,
    updatedAt,
    version: view.version,
    view,
  };
}
