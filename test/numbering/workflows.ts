/** The seal step reduced to its numbering: what the kill test runs on a real worker. */
import { proxyActivities } from '@temporalio/workflow';
import type { NumberingActivities } from '../../activities/numbering';

const { assignCertificationNumber } = proxyActivities<NumberingActivities>({
  // Short enough that an attempt lost with a killed worker is retried quickly.
  startToCloseTimeout: '3 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 1.5, maximumInterval: '1 second' },
});

export interface SealForNumberingInput {
  caseCode: string;
  unitId: string;
  /** Defaults to the workflow's own time; the test pins it so every case lands in one book. */
  sealedAt?: string;
}

export async function sealForNumbering(input: SealForNumberingInput): Promise<Awaited<ReturnType<NumberingActivities['assignCertificationNumber']>>> {
  // Decided once, in the workflow: every retry of the activity sees the same sealing instant.
  const sealedAt = input.sealedAt ?? new Date().toISOString();
  return assignCertificationNumber({ caseCode: input.caseCode, unitId: input.unitId, sealedAt });
}
