/**
 * The periods an officer picks a report for, as the API takes them: whole Hà Nội days
 * [from, to), `to` being the first day no longer counted. The screen shows the last day counted.
 */
export type PeriodChoice = 'thisMonth' | 'lastMonth' | 'thisQuarter' | 'thisYear' | 'custom';

export interface Period {
  from: string;
  to: string;
}

function iso(year: number, month: number, day = 1): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.toISOString().slice(0, 10);
}

/** Today's date in Hà Nội, YYYY-MM-DD, whatever the browser's zone. */
export function todayInHanoi(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function presetPeriod(choice: Exclude<PeriodChoice, 'custom'>, today: string): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (choice) {
    case 'thisMonth':
      return { from: iso(year, month), to: iso(year, month + 1) };
    case 'lastMonth':
      return { from: iso(year, month - 1), to: iso(year, month) };
    case 'thisQuarter': {
      const first = Math.floor((month - 1) / 3) * 3 + 1;
      return { from: iso(year, first), to: iso(year, first + 3) };
    }
    case 'thisYear':
      return { from: iso(year, 1), to: iso(year + 1, 1) };
  }
}

/** The day after `date` (the API's exclusive end from the last day the officer chose). */
export function nextDay(date: string): string {
  return iso(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)) + 1);
}

export function previousDay(date: string): string {
  return iso(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)) - 1);
}
