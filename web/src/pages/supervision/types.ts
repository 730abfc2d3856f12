/** The answers of GET /api/supervision/dashboard and /consistency, as the screen reads them. */
export type OpenState = 'onTime' | 'atRisk' | 'overdue';

export interface AtRiskCase {
  caseCode: string;
  unit: { id: string; name: string };
  status: string;
  step: string | null;
  citizenName: string;
  dueAt: string;
  remainingWorkingMinutes: number;
  state: 'atRisk' | 'overdue';
}

export interface Dashboard {
  generatedAt: string;
  period: { from: string; to: string; granularity: 'day' | 'week' };
  open: { total: number; byStep: Record<'receive' | 'sign' | 'seal' | 'deliver', number>; byState: Record<OpenState, number> };
  atRisk: AtRiskCase[];
  totals: { received: number; completed: number; onTime: number; late: number; refused: number; withdrawn: number; rate: number | null };
  onTime: {
    byUnit: Array<{ unitId: string; name: string; completed: number; onTime: number; late: number; rate: number | null }>;
    byOfficer: Array<{ officerId: string; name: string; steps: number; onTime: number; late: number; rate: number | null }>;
  };
  stepTimes: Array<{ step: string; budgetMinutes: number; steps: number; cases: number; late: number; avgWorkingMinutes: number }>;
  trend: Array<{ period: string; from: string; to: string; received: number; completed: number; onTime: number; late: number; refused: number; withdrawn: number }>;
  refusalsByGround: Array<{ ground: string; text: string; count: number }>;
  extensions: { cases: number; count: number; days: number };
  /** Support requests of the period (filed, closed) and open now. */
  support?: { received: number; done: number; doneOnTime: number; closedLate: number; open: number; openLate: number };
}

export interface ConsistencyReport {
  checkedAt: string;
  closedWithinDays: number;
  checked: number;
  consistent: number;
  mismatches: Array<{ caseCode: string; differences: string[] }>;
  pending: Array<{ caseCode: string; workflowVersion: number; storedVersion: number }>;
  unreachable: Array<{ caseCode: string; reason: string }>;
}
