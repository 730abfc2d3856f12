/** What the supervision endpoints accept, with every problem explained in Vietnamese. */
import { z } from 'zod';
import { addDaysToDate, dayIndexOfDate, formatLocalDate, type LocalDate } from '../../domain/calendar';
import { optionalQuery, uuidOf } from '../admin/inputs';
import { localDate } from '../calendar/inputs';
import { type ApiError, fieldProblem, invalidInput } from '../errors';

/** The longest period the dashboard counts over: two years, a leap day included. */
export const MAX_PERIOD_DAYS = 731;
/** The period when none is chosen: the last 30 days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;
export const MAX_CLOSED_WITHIN_DAYS = 90;
/** Closed cases checked by default: a day, what the embedded engine keeps closed workflows for; older ones could not be queried. */
export const DEFAULT_CLOSED_WITHIN_DAYS = 1;

export const GRANULARITIES = ['day', 'week'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const DashboardQuery = z.object({
  unitId: optionalQuery(uuidOf('đơn vị')),
  from: optionalQuery(localDate('từ ngày')),
  to: optionalQuery(localDate('đến ngày')),
  granularity: optionalQuery(z.enum(GRANULARITIES, { error: 'chia theo phải là day (ngày) hoặc week (tuần)' })),
});

export const ConsistencyQuery = z.object({
  unitId: optionalQuery(uuidOf('đơn vị')),
  closedWithinDays: optionalQuery(
    z.coerce
      .number({ error: 'số ngày phải là số' })
      .int({ error: 'số ngày phải là số nguyên' })
      .min(0, { error: `số ngày từ 0 đến ${MAX_CLOSED_WITHIN_DAYS}` })
      .max(MAX_CLOSED_WITHIN_DAYS, { error: `số ngày từ 0 đến ${MAX_CLOSED_WITHIN_DAYS}` }),
  ),
});

/** Local dates, both included. */
export interface Period {
  from: LocalDate;
  to: LocalDate;
  granularity: Granularity;
}

function periodProblem(field: string, vi: string, en: string): ApiError {
  return invalidInput([fieldProblem(field, vi, en)]);
}

/** The chosen period, or the last DEFAULT_PERIOD_DAYS days up to today (Hà Nội) for what is missing. */
export function periodOf(q: z.infer<typeof DashboardQuery>, now: Date): Period {
  const to = q.to ?? (q.from ? addDaysToDate(q.from, DEFAULT_PERIOD_DAYS - 1) : formatLocalDate(now.getTime()));
  const from = q.from ?? addDaysToDate(to, -(DEFAULT_PERIOD_DAYS - 1));
  const days = dayIndexOfDate(to) - dayIndexOfDate(from) + 1;
  if (days < 1) throw periodProblem('to', 'đến ngày không được trước từ ngày', 'to must not be before from');
  if (days > MAX_PERIOD_DAYS) {
    throw periodProblem('to', `khoảng thời gian dài tối đa 2 năm (${MAX_PERIOD_DAYS} ngày), đang chọn ${days} ngày`, `the period is at most 2 years (${MAX_PERIOD_DAYS} days), got ${days}`);
  }
  return { from, to, granularity: q.granularity ?? 'day' };
}
