/**
 * The certification deadlines of seed 000 §3 (SPEC A), in the working time of the case's unit:
 * step 2 (receive → submit) 4 working hours, or 16 when the officer marks the documents complex
 * or numerous; step 3 (sign) 2; step 4 (seal) 2. Overall: the same day when received before
 * 15:00, else the end of the next working day; extensions of at most 2 working days in all,
 * more only with the requester's written agreement. Pure and deterministic: workflows call it.
 */
import { addWorkingDays, addWorkingMs, endOfNextWorkingDay, endOfWorkingDay, MS_PER_HOUR, nextOpening, VN_UTC_OFFSET_MS, type WorkingCalendar } from '../calendar';
import { bilingual, failure, type RuleFailure } from '../messages';

export type CertificationStep = 'receive' | 'sign' | 'seal';

export const STEP_BUDGET_HOURS: Readonly<Record<CertificationStep, number>> = { receive: 4, sign: 2, seal: 2 };
export const COMPLEX_RECEIVE_BUDGET_HOURS = 16;
export const SAME_DAY_CUTOFF_MINUTES = 15 * 60;
/** A step warns when this share of its budget is used. */
export const WARNING_SHARE = 0.75;
export const MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT = 2;

export interface StepDeadline {
  step: CertificationStep;
  budgetHours: number;
  startedAt: number;
  warnAt: number;
  dueAt: number;
}

export function stepBudgetHours(step: CertificationStep, complex: boolean): number {
  return step === 'receive' && complex ? COMPLEX_RECEIVE_BUDGET_HOURS : STEP_BUDGET_HOURS[step];
}

export function stepDeadline(cal: WorkingCalendar, step: CertificationStep, startedAt: number, complex = false): StepDeadline {
  const budgetHours = stepBudgetHours(step, complex);
  const budgetMs = budgetHours * MS_PER_HOUR;
  return {
    step,
    budgetHours,
    startedAt,
    warnAt: addWorkingMs(cal, startedAt, budgetMs * WARNING_SHARE),
    dueAt: addWorkingMs(cal, startedAt, budgetMs),
  };
}

function localMinutes(instant: number): number {
  return Math.floor((((instant + VN_UTC_OFFSET_MS) % 86_400_000) + 86_400_000) % 86_400_000 / 60_000);
}

/**
 * Overall deadline from the reception instant. A case received outside office hours counts from
 * the next opening; before 15:00 of that working day it is due at its close, from 15:00 on at the
 * close of the next working day.
 */
export function overallDue(cal: WorkingCalendar, receivedAt: number): number {
  const opening = nextOpening(cal, receivedAt);
  return localMinutes(opening) < SAME_DAY_CUTOFF_MINUTES ? endOfWorkingDay(cal, opening) : endOfNextWorkingDay(cal, opening);
}

export interface ExtensionRequest {
  workingDays: number;
  /** Working days already granted on this case. */
  alreadyGranted: number;
  reason: string;
  /** The requester's written agreement is attached (needed beyond 2 working days in all). */
  writtenAgreement: boolean;
}

/** The new overall deadline, or why the extension cannot be granted. */
export function extendedDue(cal: WorkingCalendar, currentDue: number, req: ExtensionRequest): number | RuleFailure {
  if (!Number.isInteger(req.workingDays) || req.workingDays < 1 || req.workingDays > 30) {
    return failure('EXTENSION_DAYS', bilingual('Số ngày gia hạn phải là số nguyên từ 1 đến 30.', 'Extension days must be a whole number from 1 to 30.'));
  }
  if (req.reason.trim().length < 5) {
    return failure('EXTENSION_REASON', bilingual('Phải ghi rõ lý do gia hạn.', 'A reason for the extension is required.'));
  }
  const total = req.alreadyGranted + req.workingDays;
  if (total > MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT && !req.writtenAgreement) {
    return failure(
      'EXTENSION_NEEDS_AGREEMENT',
      bilingual(
        `Gia hạn quá ${MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT} ngày làm việc (tổng cộng ${total} ngày) phải có văn bản thỏa thuận với người yêu cầu chứng thực.`,
        `Extending beyond ${MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT} working days in all (${total}) needs the requester's written agreement.`,
      ),
    );
  }
  return addWorkingDays(cal, currentDue, req.workingDays);
}

export interface ComplexExtension {
  /** Working days the overall deadline needs so every step fits its full budget. */
  neededDays: number;
  /** Working days granted now: all that is needed, or what the 2-day allowance still leaves. */
  grantedDays: number;
  /** The overall deadline with the granted days. */
  newDueAt: number;
  /** The full budgets would end after `newDueAt`: more needs the requester's written agreement. */
  short: boolean;
}

/**
 * A case marked complex keeps 16 working hours for reception, then 2 for the signature and 2 for
 * the seal (seed 000 §3.6–3.10); the overall deadline is extended by the working days that chain
 * needs from the reception step's start (seed 000: "kéo dài thêm không quá 02 ngày làm việc hoặc
 * có thể dài hơn theo thỏa thuận bằng văn bản"). Without the written agreement the grant stops at
 * what the 2-day allowance leaves after earlier extensions.
 */
export function complexExtension(
  cal: WorkingCalendar,
  args: { receiveStartedAt: number; currentDue: number; alreadyGranted: number; writtenAgreement: boolean },
): ComplexExtension {
  const chainHours = COMPLEX_RECEIVE_BUDGET_HOURS + STEP_BUDGET_HOURS.sign + STEP_BUDGET_HOURS.seal;
  const chainEnd = addWorkingMs(cal, args.receiveStartedAt, chainHours * MS_PER_HOUR);
  let neededDays = 0;
  while (addWorkingDays(cal, args.currentDue, neededDays) < chainEnd) neededDays += 1;
  const allowance = Math.max(0, MAX_EXTENSION_DAYS_WITHOUT_AGREEMENT - args.alreadyGranted);
  const grantedDays = args.writtenAgreement ? neededDays : Math.min(neededDays, allowance);
  return { neededDays, grantedDays, newDueAt: addWorkingDays(cal, args.currentDue, grantedDays), short: grantedDays < neededDays };
}
