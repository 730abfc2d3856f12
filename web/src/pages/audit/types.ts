/** What the auditor's API routes answer (api/audit/routes.ts). */
export interface TimelineEntry {
  eventId: number;
  at: string;
  eventType: string;
  kind: string;
  text: { vi: string; en: string };
  actor?: { officerId: string; fullName: string };
  deadline?: string;
  technical?: boolean;
}

export interface CaseTimeline {
  caseCode: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  historyLength: number;
  entries: TimelineEntry[];
}

export interface ReplayAnswer {
  caseCode: string;
  workflowId: string;
  runId: string;
  deterministic: boolean;
  divergence?: { kind: 'nondeterminism' | 'replay-error'; message: string; eventId?: number };
}

export interface ChainAnswer {
  ok: boolean;
  entries: number;
  firstBreak?: { seq: string; reason: string };
  breaks: Array<{ seq: string; reason: string; toSeq?: string }>;
  breakCount: number;
  message: string;
}
