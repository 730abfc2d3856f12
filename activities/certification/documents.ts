/** What the citizen's papers say (infra/pdf/slips.ts renders them): the apology slip and the refusal notice. */
import type { RefusalGround } from '../../domain/certification/refusalGrounds';
import type { CitizenData, OfficerRef, UnitRef } from '../../workflows/certification/types';

export interface ApologySlipInput {
  caseCode: string;
  unit: UnitRef;
  citizen: CitizenData;
  receivedAt: string;
  missedDueAt: string;
  newAppointmentAt: string;
  issuedAt: string;
  /** The step the case was stuck at, in Vietnamese. */
  stuckAt: string;
}

export interface RefusalNoticeInput {
  caseCode: string;
  unit: UnitRef;
  citizen: CitizenData;
  ground: RefusalGround;
  note: string;
  refusedBy: OfficerRef;
  refusedAt: string;
}
