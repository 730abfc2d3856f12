import { expect } from 'chai';
import { addDaysToDate, isoWeekdayOfDate, LocalDate } from './localTime';
import { validateCalendar, WorkingCalendar } from './model';
import {
  VIETNAM_HOLIDAY_SOURCES,
  VIETNAM_HOLIDAY_YEARS,
  VIETNAM_HOLIDAYS,
  VIETNAM_PENDING_HOLIDAYS,
  VIETNAM_SWAPPED_WORKING_DAYS,
  vietnamCivilServiceCalendar,
} from './vietnam-holidays';
import { isWorkingDay } from './workingTime';

/** Maximal runs of closed days that contain at least one holiday entry, as [first, last, length]. */
function holidayBreaks(cal: WorkingCalendar, year: number): Array<[LocalDate, LocalDate, number]> {
  const marked = new Set(cal.holidays.map((h) => h.date));
  const runs: Array<[LocalDate, LocalDate, number]> = [];
  let d = `${year}-01-01`;
  while (d.startsWith(`${year}-`)) {
    if (!isWorkingDay(cal, d)) {
      let start = d;
      while (!isWorkingDay(cal, addDaysToDate(start, -1))) start = addDaysToDate(start, -1);
      let end = d;
      while (!isWorkingDay(cal, addDaysToDate(end, 1))) end = addDaysToDate(end, 1);
      let hasHoliday = false;
      let length = 0;
      for (let x = start; x <= end; x = addDaysToDate(x, 1)) {
        length += 1;
        if (marked.has(x)) hasHoliday = true;
      }
      if (hasHoliday) runs.push([start, end, length]);
      d = addDaysToDate(end, 1);
    } else {
      d = addDaysToDate(d, 1);
    }
  }
  return runs;
}

const cal = vietnamCivilServiceCalendar();

describe('calendar/vietnam-holidays', () => {
  it('is a valid calendar, with and without the pending Culture Day', () => {
    expect(validateCalendar(cal).ok).to.equal(true);
    expect(validateCalendar(vietnamCivilServiceCalendar({ includePending: true })).ok).to.equal(true);
  });

  it('covers 2025, 2026 and 2027 with a source for each year; 2027 is provisional', () => {
    expect(VIETNAM_HOLIDAY_YEARS).to.deep.equal([2025, 2026, 2027]);
    expect(VIETNAM_HOLIDAY_SOURCES.map((s) => [s.year, s.status])).to.deep.equal([
      [2025, 'official'],
      [2026, 'official'],
      [2027, 'provisional'],
    ]);
    for (const h of VIETNAM_HOLIDAYS) expect(Boolean(h.provisional), h.date).to.equal(h.date.startsWith('2027-'));
    expect(VIETNAM_HOLIDAY_SOURCES[1]?.sources.join(' ')).to.contain('9441/TB-BNV');
  });

  it('has the 11 statutory holiday days of art. 112 every year', () => {
    for (const year of VIETNAM_HOLIDAY_YEARS) {
      const days = VIETNAM_HOLIDAYS.filter((h) => h.kind === 'holiday' && h.date.startsWith(`${year}-`));
      expect(days, String(year)).to.have.length(11);
      expect(days.filter((h) => h.name.startsWith('Tết Nguyên đán')), String(year)).to.have.length(5);
      expect(days.filter((h) => h.name.startsWith('Quốc khánh')), String(year)).to.have.length(2);
    }
  });

  it('puts Tết and the Hùng Kings day on the right lunar dates', () => {
    const named = (date: string): string => VIETNAM_HOLIDAYS.find((h) => h.date === date)?.name ?? '';
    expect(named('2025-01-29')).to.contain('mùng 1 tháng Giêng Ất Tỵ');
    expect(named('2026-02-17')).to.contain('mùng 1 tháng Giêng Bính Ngọ');
    expect(named('2027-02-06')).to.contain('mùng 1 tháng Giêng Đinh Mùi');
    expect(named('2025-04-07')).to.contain('Giỗ Tổ Hùng Vương');
    expect(named('2026-04-26')).to.contain('Giỗ Tổ Hùng Vương');
    expect(named('2027-04-16')).to.contain('Giỗ Tổ Hùng Vương');
  });

  it('swaps are balanced: each swapped day off is paid back by a working Saturday', () => {
    for (const year of VIETNAM_HOLIDAY_YEARS) {
      const swappedOff = VIETNAM_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`) && h.name.includes('hoán đổi'));
      const worked = VIETNAM_SWAPPED_WORKING_DAYS.filter((w) => w.date.startsWith(`${year}-`));
      expect(swappedOff.length, String(year)).to.equal(worked.length);
    }
    for (const w of VIETNAM_SWAPPED_WORKING_DAYS) expect(isoWeekdayOfDate(w.date), w.date).to.equal(6);
    for (const h of VIETNAM_HOLIDAYS.filter((x) => x.kind === 'compensatory')) {
      expect(isoWeekdayOfDate(h.date), h.date).to.be.at.most(5);
    }
  });

  it('gives the announced breaks: 22 days off in 2025, 25 in 2026', () => {
    expect(holidayBreaks(cal, 2025)).to.deep.equal([
      ['2025-01-01', '2025-01-01', 1],
      ['2025-01-25', '2025-02-02', 9],
      ['2025-04-05', '2025-04-07', 3],
      ['2025-04-30', '2025-05-04', 5],
      ['2025-08-30', '2025-09-02', 4],
    ]);
    expect(holidayBreaks(cal, 2026)).to.deep.equal([
      ['2026-01-01', '2026-01-04', 4],
      ['2026-02-14', '2026-02-22', 9],
      ['2026-04-25', '2026-04-27', 3],
      ['2026-04-30', '2026-05-03', 4],
      ['2026-08-29', '2026-09-02', 5],
    ]);
    const total = (y: number): number => holidayBreaks(cal, y).reduce((n, r) => n + r[2], 0);
    expect(total(2025)).to.equal(22);
    expect(total(2026)).to.equal(25);
  });

  it('derives the provisional 2027 breaks from the law', () => {
    expect(holidayBreaks(cal, 2027)).to.deep.equal([
      ['2027-01-01', '2027-01-03', 3],
      ['2027-02-04', '2027-02-10', 7],
      ['2027-04-16', '2027-04-18', 3],
      ['2027-04-30', '2027-05-03', 4],
      ['2027-09-02', '2027-09-05', 4],
    ]);
  });

  it('keeps Ngày Văn hóa Việt Nam (24/11) out unless asked for', () => {
    expect(isWorkingDay(cal, '2026-11-24')).to.equal(true);
    const withPending = vietnamCivilServiceCalendar({ includePending: true, years: [2026] });
    expect(isWorkingDay(withPending, '2026-11-24')).to.equal(false);
    expect(withPending.holidays.some((h) => h.date === '2027-11-24')).to.equal(false);
    expect(VIETNAM_PENDING_HOLIDAYS.every((h) => h.provisional === true)).to.equal(true);
  });

  it('returns an independent copy per call, filtered by year', () => {
    const a = vietnamCivilServiceCalendar({ years: [2026] });
    expect(a.holidays.every((h) => h.date.startsWith('2026-'))).to.equal(true);
    expect(a.workingDays.map((w) => w.date)).to.deep.equal(['2026-01-10', '2026-08-22']);
    (a.holidays[0] as { name: string }).name = 'changed';
    a.officeHours[1]?.push({ start: '18:00', end: '19:00' });
    const b = vietnamCivilServiceCalendar({ years: [2026] });
    expect(b.holidays[0]?.name).to.equal('Tết Dương lịch');
    expect(b.officeHours[1]).to.have.length(2);
    expect(VIETNAM_HOLIDAYS.find((h) => h.date === '2026-01-01')?.name).to.equal('Tết Dương lịch');
  });
});
