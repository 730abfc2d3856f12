/** Officers' actions on a case: each answers the case as it now stands, or a refusal in the API's words. */
import { api, ApiProblem } from '../../api';
import type { CaseView } from './types';

export type CaseAction = 'scan' | 'complex' | 'originals' | 'submit' | 'refuse' | 'withdraw' | 'sign' | 'return' | 'seal' | 'extend';

export async function actOn(caseCode: string, action: CaseAction, body: Record<string, unknown> = {}): Promise<CaseView> {
  try {
    return await api<CaseView>('POST', `/api/cases/${encodeURIComponent(caseCode)}/${action}`, { body });
  } catch (err) {
    // A case closed meanwhile: the refusal carries its final state, which the screen shows with the message.
    if (err instanceof ApiProblem && err.code === 'CASE_CLOSED' && err.details?.case) throw Object.assign(err, { closedCase: err.details.case as CaseView });
    throw err;
  }
}

export function closedCaseOf(err: unknown): CaseView | undefined {
  return (err as { closedCase?: CaseView } | null)?.closedCase;
}
