/**
 * The extension marking a case complex needs: the working days after the overall deadline until
 * 16 + 2 + 2 working hours from the reception step's start fit — counted by the calendar API in
 * the unit's own calendar, as the workflow counts them (domain/certification/deadlines.ts).
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { COMPLEX_RECEIVE_BUDGET_HOURS, STEP_BUDGET_HOURS } from '../../../../domain/certification/deadlines';

export interface ComplexProposal {
  neededDays: number;
  /** The overall deadline after each number of working days, 1 … MAX_PROPOSED_DAYS. */
  dueAfter: string[];
}

const MAX_PROPOSED_DAYS = 6;

/** `receiveStart` undefined: a reception made now. */
export function useComplexProposal(unitId: string, receiveStart: string | undefined, overallDueAt: string | undefined, enabled: boolean): { proposal: ComplexProposal | null; problem: unknown } {
  const [proposal, setProposal] = useState<ComplexProposal | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    setProposal(null);
    if (!enabled || !unitId || !overallDueAt) return;
    let live = true;
    const unit = encodeURIComponent(unitId);
    const hours = COMPLEX_RECEIVE_BUDGET_HOURS + STEP_BUDGET_HOURS.sign + STEP_BUDGET_HOURS.seal;
    const due = (query: string) => api<{ due: string }>('GET', `/api/calendar/due?unitId=${unit}&${query}`).then((r) => r.due);
    Promise.all([
      due(`${receiveStart ? `start=${encodeURIComponent(receiveStart)}&` : ''}hours=${hours}`),
      ...Array.from({ length: MAX_PROPOSED_DAYS }, (_, i) => due(`start=${encodeURIComponent(overallDueAt)}&workingDays=${i + 1}`)),
    ])
      .then(([chainEnd, ...after]) => {
        if (!live) return;
        const fits = (at: string) => Date.parse(at) >= Date.parse(chainEnd!);
        const neededDays = fits(overallDueAt) ? 0 : after.findIndex(fits) + 1 || MAX_PROPOSED_DAYS;
        setProposal({ neededDays, dueAfter: after });
      })
      .catch((err: unknown) => live && setProblem(err));
    return () => {
      live = false;
    };
  }, [enabled, unitId, overallDueAt, receiveStart]);
  return { proposal, problem };
}
