import { expect } from 'chai';
import { formatLocalDateTime, MS_PER_HOUR, MS_PER_MINUTE, parseLocalDate, parseLocalDateTime } from './localTime';
import { createWorkingCalendar, Holiday, WorkingCalendar } from './model';
import { vietnamCivilServiceCalendar } from './vietnam-holidays';
import {
  addWorkingDays,
  addWorkingHours,
  addWorkingMs,
  effectiveWorkingDay,
  endOfNextWorkingDay,
  endOfWorkingDay,
  isWorkingDay,
  nextOpening,
  workingHoursBetween,
  workingHoursOn,
  workingMsBetween,
} from './workingTime';

const at = (s: string): number => parseLocalDateTime(s);
const fmt = (t: number): string => formatLocalDateTime(t);
const vn = vietnamCivilServiceCalendar();
const plain = createWorkingCalendar();

// Deterministic PRNG so the property checks are reproducible.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('calendar/workingTime', () => {
  describe('addWorkingHours', () => {
    it('skips the lunch break: 11:30 + 1 h = 13:30', () => {
      expect(fmt(addWorkingHours(vn, at('2026-03-02 11:30'), 1))).to.equal('2026-03-02 13:30');
    });

    it('carries over the evening: 16:30 + 1 h = next day 08:30', () => {
      expect(fmt(addWorkingHours(vn, at('2026-03-02 16:30'), 1))).to.equal('2026-03-03 08:30');
    });

    it('skips the weekend: Friday 16:00 + 2 h = Monday 09:00', () => {
      expect(fmt(addWorkingHours(vn, at('2026-03-06 16:00'), 2))).to.equal('2026-03-09 09:00');
    });

    it('counts a weekend start from Monday 08:00', () => {
      expect(fmt(nextOpening(vn, at('2026-03-07 10:00')))).to.equal('2026-03-09 08:00');
      expect(fmt(addWorkingHours(vn, at('2026-03-07 10:00'), 1))).to.equal('2026-03-09 09:00');
      expect(fmt(addWorkingHours(vn, at('2026-03-08 23:59'), 4))).to.equal('2026-03-09 12:00');
    });

    it('ends on a closing time when the time is used up exactly', () => {
      expect(fmt(addWorkingHours(vn, at('2026-03-02 11:00'), 1))).to.equal('2026-03-02 12:00');
      expect(fmt(addWorkingHours(vn, at('2026-03-02 08:00'), 8))).to.equal('2026-03-02 17:00');
      expect(fmt(addWorkingHours(vn, at('2026-03-02 12:00'), 0))).to.equal('2026-03-02 13:00');
    });

    it('accepts fractional hours, down to the millisecond', () => {
      expect(fmt(addWorkingHours(vn, at('2026-03-02 08:00'), 0.25))).to.equal('2026-03-02 08:15');
      expect(addWorkingHours(vn, at('2026-03-02 08:00'), 1 / 3)).to.equal(at('2026-03-02 08:20'));
      expect(addWorkingMs(vn, at('2026-03-02 11:59'), 90_000)).to.equal(at('2026-03-02 13:00') + 30_000);
    });

    it('lands after Tết for a case received on the eve of Tết 2026', () => {
      // Friday 13/02/2026 is the last working day; 14–22/02 are off (Thông báo 9441/TB-BNV).
      expect(fmt(addWorkingHours(vn, at('2026-02-13 16:00'), 4))).to.equal('2026-02-23 11:00');
      expect(fmt(addWorkingHours(vn, at('2026-02-16 09:00'), 2))).to.equal('2026-02-23 10:00');
    });

    it('counts a swapped working Saturday as a working day', () => {
      expect(fmt(addWorkingHours(vn, at('2026-01-09 16:00'), 2))).to.equal('2026-01-10 09:00');
      expect(fmt(addWorkingHours(vn, at('2026-08-21 16:00'), 2))).to.equal('2026-08-22 09:00');
      expect(fmt(addWorkingHours(vn, at('2025-04-25 16:00'), 2))).to.equal('2025-04-26 09:00');
    });

    it('crosses the year end: 31/12 → 2/1 when 1/1 is a holiday', () => {
      expect(fmt(addWorkingHours(vn, at('2024-12-31 16:30'), 1))).to.equal('2025-01-02 08:30');
      // 2026: 1/1 holiday, Friday 2/1 swapped for Saturday 10/1, then the weekend.
      expect(fmt(addWorkingHours(vn, at('2025-12-31 16:30'), 1))).to.equal('2026-01-05 08:30');
      expect(fmt(addWorkingHours(vn, at('2026-12-31 16:30'), 1))).to.equal('2027-01-04 08:30');
    });

    it('skips compensatory and swapped days off', () => {
      // Giỗ Tổ on Sunday 26/04/2026 → Monday 27/04 off.
      expect(fmt(addWorkingHours(vn, at('2026-04-24 16:00'), 2))).to.equal('2026-04-28 09:00');
      // 30/4–1/5/2026 Thursday–Friday.
      expect(fmt(addWorkingHours(vn, at('2026-04-29 16:00'), 2))).to.equal('2026-05-04 09:00');
      // 2025: 30/4, 1/5 and the swapped Friday 2/5 off.
      expect(fmt(addWorkingHours(vn, at('2025-04-29 16:00'), 2))).to.equal('2025-05-05 09:00');
      // National Day 2026: Monday 31/8 swapped, 1–2/9 holidays.
      expect(fmt(addWorkingHours(vn, at('2026-08-28 16:00'), 2))).to.equal('2026-09-03 09:00');
      // 2027 (provisional): 1/5 on Saturday → Monday 3/5 off.
      expect(fmt(addWorkingHours(vn, at('2027-04-29 16:00'), 2))).to.equal('2027-05-04 09:00');
    });

    it('rejects negative, infinite or NaN durations and invalid instants', () => {
      expect(() => addWorkingHours(vn, at('2026-03-02 08:00'), -1)).to.throw(/Số giờ phải là số không âm/);
      expect(() => addWorkingHours(vn, at('2026-03-02 08:00'), Number.POSITIVE_INFINITY)).to.throw().with.property('code', 'INVALID_DURATION');
      expect(() => addWorkingMs(vn, at('2026-03-02 08:00'), Number.NaN)).to.throw().with.property('code', 'INVALID_DURATION');
      expect(() => addWorkingHours(vn, Number.NaN, 1)).to.throw().with.property('code', 'INVALID_INSTANT');
    });
  });

  describe('nextOpening', () => {
    it('returns the instant itself during office hours', () => {
      expect(nextOpening(vn, at('2026-03-02 09:15'))).to.equal(at('2026-03-02 09:15'));
    });

    it('treats interval ends as closed: 12:00 → 13:00, 17:00 → next morning', () => {
      expect(fmt(nextOpening(vn, at('2026-03-02 12:00')))).to.equal('2026-03-02 13:00');
      expect(fmt(nextOpening(vn, at('2026-03-02 17:00')))).to.equal('2026-03-03 08:00');
      expect(fmt(nextOpening(vn, at('2026-03-02 06:00')))).to.equal('2026-03-02 08:00');
    });
  });

  describe('workingMsBetween', () => {
    it('counts only office time and is negative when reversed', () => {
      expect(workingHoursBetween(vn, at('2026-03-02 08:00'), at('2026-03-02 17:00'))).to.equal(8);
      expect(workingHoursBetween(vn, at('2026-03-06 16:00'), at('2026-03-09 09:00'))).to.equal(2);
      expect(workingHoursBetween(vn, at('2026-03-09 09:00'), at('2026-03-06 16:00'))).to.equal(-2);
      expect(workingMsBetween(vn, at('2026-02-14 00:00'), at('2026-02-23 00:00'))).to.equal(0);
      expect(workingHoursBetween(vn, at('2026-03-02 11:30'), at('2026-03-02 13:30'))).to.equal(1);
    });

    it('is consistent with addWorkingMs over many random instants (property check)', () => {
      const rnd = mulberry32(20260217);
      const from = parseLocalDate('2024-12-20');
      const span = parseLocalDate('2028-01-10') - from;
      for (let i = 0; i < 2000; i++) {
        const t = from + Math.floor(rnd() * span);
        const ms = Math.floor(rnd() * 40 * MS_PER_HOUR);
        const end = addWorkingMs(vn, t, ms);
        expect(workingMsBetween(vn, t, end), `t=${fmt(t)} ms=${ms}`).to.equal(ms);
        expect(end).to.be.at.least(t);
        if (ms > 0) {
          // Minimal: one millisecond earlier the time is not yet used up.
          expect(workingMsBetween(vn, t, end - 1)).to.be.below(ms);
          // Additive: splitting the duration gives the same deadline.
          const part = Math.floor(rnd() * ms);
          expect(addWorkingMs(vn, addWorkingMs(vn, t, part), ms - part)).to.equal(end);
        }
        const u = from + Math.floor(rnd() * span);
        expect(workingMsBetween(vn, t, u)).to.equal(-workingMsBetween(vn, u, t));
      }
    });
  });

  describe('addWorkingDays / endOfWorkingDay / endOfNextWorkingDay', () => {
    it('ends at the closing time of the N-th working day after the day of receipt', () => {
      expect(fmt(addWorkingDays(vn, at('2026-03-02 10:00'), 1))).to.equal('2026-03-03 17:00');
      expect(fmt(addWorkingDays(vn, at('2026-03-06 16:59'), 1))).to.equal('2026-03-09 17:00');
      expect(fmt(addWorkingDays(vn, at('2026-03-02 10:00'), 0))).to.equal('2026-03-02 17:00');
      expect(fmt(addWorkingDays(vn, at('2026-03-02 10:00'), 5))).to.equal('2026-03-09 17:00');
    });

    it('counts an instant outside office hours from the next opening', () => {
      expect(effectiveWorkingDay(vn, at('2026-03-02 17:30'))).to.equal('2026-03-03');
      expect(fmt(addWorkingDays(vn, at('2026-03-02 17:30'), 1))).to.equal('2026-03-04 17:00');
      expect(fmt(endOfWorkingDay(vn, at('2026-03-02 17:00') + 1))).to.equal('2026-03-03 17:00');
      expect(fmt(addWorkingDays(vn, at('2026-03-07 10:00'), 1))).to.equal('2026-03-10 17:00');
      expect(effectiveWorkingDay(vn, at('2026-03-02 12:30'))).to.equal('2026-03-02');
    });

    it('same-day / next-working-day deadlines around Tết and swaps', () => {
      expect(fmt(endOfWorkingDay(vn, at('2026-02-13 14:59')))).to.equal('2026-02-13 17:00');
      expect(fmt(endOfNextWorkingDay(vn, at('2026-02-13 15:01')))).to.equal('2026-02-23 17:00');
      expect(fmt(endOfNextWorkingDay(vn, at('2026-01-09 15:30')))).to.equal('2026-01-10 17:00');
      expect(fmt(endOfWorkingDay(vn, at('2026-01-01 09:00')))).to.equal('2026-01-05 17:00');
      // Extension by at most 2 working days from a deadline on Friday 28/08/2026.
      expect(fmt(addWorkingDays(vn, at('2026-08-28 17:00'), 2))).to.equal('2026-09-04 17:00');
    });

    it('keeps a closing-time deadline on its own day, so deadlines compose', () => {
      const deadline = endOfWorkingDay(vn, at('2026-03-06 10:00'));
      expect(effectiveWorkingDay(vn, deadline)).to.equal('2026-03-06');
      expect(endOfWorkingDay(vn, deadline)).to.equal(deadline);
      expect(fmt(addWorkingDays(vn, deadline, 2))).to.equal('2026-03-10 17:00');
      const rnd = mulberry32(7);
      const from = parseLocalDate('2025-01-01');
      for (let i = 0; i < 300; i++) {
        const t = from + Math.floor(rnd() * 3 * 365 * 24 * MS_PER_HOUR);
        const a = Math.floor(rnd() * 6);
        const b = Math.floor(rnd() * 6);
        expect(addWorkingDays(vn, addWorkingDays(vn, t, a), b), fmt(t)).to.equal(addWorkingDays(vn, t, a + b));
      }
    });

    it('rejects negative or fractional day counts', () => {
      expect(() => addWorkingDays(vn, at('2026-03-02 10:00'), -1)).to.throw().with.property('code', 'INVALID_DAY_COUNT');
      expect(() => addWorkingDays(vn, at('2026-03-02 10:00'), 1.5)).to.throw(/số nguyên không âm/);
    });
  });

  describe('isWorkingDay / workingHoursOn', () => {
    it('applies swaps over holidays over the weekly hours', () => {
      expect(isWorkingDay(vn, '2026-03-02')).to.equal(true);
      expect(isWorkingDay(vn, '2026-03-07')).to.equal(false);
      expect(isWorkingDay(vn, '2026-02-17')).to.equal(false);
      expect(isWorkingDay(vn, '2026-01-02')).to.equal(false);
      expect(isWorkingDay(vn, '2026-01-10')).to.equal(true);
      expect(isWorkingDay(vn, at('2026-04-27 10:00'))).to.equal(false);
      expect(workingHoursOn(vn, '2026-01-10')).to.deep.equal([
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ]);
      expect(workingHoursOn(vn, '2026-02-17')).to.deep.equal([]);
    });

    it('uses the hours given on a swapped working day', () => {
      const cal = createWorkingCalendar({ workingDays: [{ date: '2026-03-07', name: 'Trực sáng thứ Bảy', hours: [{ start: '07:30', end: '11:30' }] }] });
      expect(fmt(addWorkingHours(cal, at('2026-03-06 16:00'), 2))).to.equal('2026-03-07 08:30');
      expect(fmt(endOfWorkingDay(cal, at('2026-03-07 08:00')))).to.equal('2026-03-07 11:30');
    });
  });

  describe('other calendars', () => {
    it('works across midnight with an interval ending at 24:00', () => {
      const cal = createWorkingCalendar({
        officeHours: { 6: [{ start: '20:00', end: '24:00' }], 7: [{ start: '00:00', end: '02:00' }] },
      });
      expect(fmt(addWorkingHours(cal, at('2026-03-07 20:00'), 5))).to.equal('2026-03-08 01:00');
      expect(fmt(endOfWorkingDay(cal, at('2026-03-07 21:00')))).to.equal('2026-03-08 00:00');
    });

    it('survives a closure longer than any Tết (every Monday of a year off)', () => {
      const holidays: Holiday[] = [];
      for (let d = parseLocalDate('2026-01-05'); d < parseLocalDate('2027-01-01'); d += 7 * 24 * MS_PER_HOUR) {
        holidays.push({ date: formatLocalDateTime(d).slice(0, 10), name: 'Đóng cửa', kind: 'holiday' });
      }
      const cal = createWorkingCalendar({ officeHours: { 1: [{ start: '08:00', end: '12:00' }] }, holidays });
      expect(fmt(nextOpening(cal, at('2026-01-01 00:00')))).to.equal('2027-01-04 08:00');
      expect(fmt(addWorkingDays(cal, at('2025-12-29 09:00'), 1))).to.equal('2027-01-04 12:00');
    });

    it('throws a clear error when there is no working time within 3 years', () => {
      const cal: WorkingCalendar = createWorkingCalendar({
        officeHours: {},
        workingDays: [{ date: '2020-06-01', name: 'Ngày làm việc duy nhất' }],
      });
      expect(fmt(nextOpening(cal, at('2020-05-01 00:00')))).to.equal('2020-06-01 08:00');
      expect(() => nextOpening(cal, at('2026-03-02 10:00')))
        .to.throw(/^Lịch không có giờ làm việc nào trong hơn 3 năm kể từ 2026-03-02.* \/ The calendar has no working time/)
        .with.property('code', 'CALENDAR_NO_WORKING_TIME');
      expect(() => addWorkingDays(cal, at('2020-06-01 09:00'), 1)).to.throw().with.property('code', 'CALENDAR_NO_WORKING_TIME');
    });

    it('rejects an invalid calendar before computing anything', () => {
      const bad = createWorkingCalendar({ officeHours: { 1: [{ start: '13:00', end: '08:00' }] } });
      expect(() => addWorkingHours(bad, at('2026-03-02 08:00'), 1)).to.throw().with.property('code', 'CALENDAR_INVALID');
    });

    it('plain calendar without holidays still treats 1/1 as a working day', () => {
      expect(isWorkingDay(plain, '2026-01-01')).to.equal(true);
      expect(addWorkingMs(plain, at('2026-01-01 08:00'), 30 * MS_PER_MINUTE)).to.equal(at('2026-01-01 08:30'));
    });
  });
});
