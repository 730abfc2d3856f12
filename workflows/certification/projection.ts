/** The row the list projection keeps for a case (see activities/certification.ts, projectCase). */
import type { CaseProjection } from '../../activities/certification';
import { iso, viewOf, type CaseState } from './state';

export function projectionOf(state: CaseState, at: number): CaseProjection {
  const view = viewOf(state);
  const current = view.currentStep;
  return {
    caseCode: state.caseCode,
    unitId: state.unit.id,
    status: state.status,
    step: view.step,
    stepRight: current?.right ?? null,
    receivedBy: state.receivedBy.officerId,
    receivedAt: view.receivedAt,
    overallDueAt: view.overallDueAt,
    stepStartedAt: current?.startedAt ?? null,
    stepWarnAt: current?.warnAt ?? null,
    stepDueAt: current?.dueAt ?? null,
    citizenName: state.citizen.fullName,
    citizenId: state.citizen.citizenId,
    complex: state.complex,
    feeVnd: state.fee.totalVnd,
    certificationNumber: view.certificationNumber ?? null,
    breaches: state.breaches.length,
    closedAt: view.closedAt ?? null,
    updatedAt: iso(at),
    version: state.version,
    view,
  };
}
