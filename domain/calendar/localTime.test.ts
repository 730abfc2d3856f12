import { expect } from 'chai';
import {
  addDaysToDate,
  dateOfDayIndex,
  dayIndexFromYmd,
  dayIndexOfDate,
  formatHHMM,
  formatLocalDate,
  formatLocalDateTime,
  formatLocalTime,
  formatViDate,
  isoWeekdayOfDate,
  isValidLocalDate,
  localDayIndex,
  MS_PER_DAY,
  parseHHMM,
  parseLocalDate,
  parseLocalDateTime,
  tryParseHHMM,
  ymdFromDayIndex,
} from './localTime';

describe('calendar/localTime (UTC+07:00)', () => {
  it('agrees with Date.UTC for day numbers over several centuries', () => {
    for (let idx = -200_000; idx <= 200_000; idx += 997) {
      const d = new Date(idx * MS_PER_DAY);
      expect(ymdFromDayIndex(idx)).to.deep.equal({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
      });
      expect(dayIndexFromYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).to.equal(idx);
    }
  });

  it('formats an instant in Viet Nam local time, not UTC', () => {
    // 2026-02-16T17:30:00Z is 00:30 on 17/02/2026 in Hà Nội.
    const t = Date.UTC(2026, 1, 16, 17, 30);
    expect(formatLocalDate(t)).to.equal('2026-02-17');
    expect(formatLocalTime(t)).to.equal('00:30');
    expect(formatLocalDateTime(t)).to.equal('2026-02-17 00:30');
    expect(dateOfDayIndex(localDayIndex(t))).to.equal('2026-02-17');
  });

  it('truncates seconds instead of rounding up when formatting', () => {
    expect(formatLocalTime(parseLocalDateTime('2026-03-02 11:59') + 59_999)).to.equal('11:59');
  });

  it('parses local dates and times back to the same instants', () => {
    expect(parseLocalDate('2026-01-01')).to.equal(Date.UTC(2025, 11, 31, 17, 0));
    expect(parseLocalDateTime('2026-01-01', '08:00')).to.equal(Date.UTC(2026, 0, 1, 1, 0));
    expect(parseLocalDateTime('2026-01-01 08:00')).to.equal(Date.UTC(2026, 0, 1, 1, 0));
    expect(parseLocalDateTime('2026-01-01T08:00')).to.equal(Date.UTC(2026, 0, 1, 1, 0));
    const t = parseLocalDateTime('2027-12-31 23:59');
    expect(formatLocalDateTime(t)).to.equal('2027-12-31 23:59');
  });

  it('rejects malformed dates and times with a bilingual message', () => {
    expect(isValidLocalDate('2026-02-29')).to.equal(false);
    expect(isValidLocalDate('2028-02-29')).to.equal(true);
    expect(isValidLocalDate('2026-2-1')).to.equal(false);
    expect(isValidLocalDate(20260201)).to.equal(false);
    expect(() => parseLocalDate('2026-13-01')).to.throw(/không hợp lệ.* \/ Invalid date/);
    expect(() => parseLocalDateTime('01/02/2026 08:00')).to.throw(/YYYY-MM-DD HH:MM/);
    expect(() => parseHHMM('24:00')).to.throw(/Invalid time "24:00"/);
    expect(() => formatLocalDate(Number.NaN)).to.throw(/Invalid instant/);
  });

  it('parses HH:MM, allowing 24:00 only as an end of day', () => {
    expect(parseHHMM('00:00')).to.equal(0);
    expect(parseHHMM('13:30')).to.equal(810);
    expect(parseHHMM('24:00', true)).to.equal(1440);
    expect(tryParseHHMM('24:01', true)).to.equal(undefined);
    expect(tryParseHHMM('7:30')).to.equal(undefined);
    expect(tryParseHHMM('12:60')).to.equal(undefined);
    expect(formatHHMM(810)).to.equal('13:30');
  });

  it('knows ISO weekdays and walks dates across month and year ends', () => {
    expect(isoWeekdayOfDate('2026-02-17')).to.equal(2); // mùng 1 Tết Bính Ngọ, a Tuesday
    expect(isoWeekdayOfDate('2026-01-10')).to.equal(6);
    expect(isoWeekdayOfDate('2026-04-26')).to.equal(7);
    expect(isoWeekdayOfDate('1970-01-01')).to.equal(4);
    expect(addDaysToDate('2025-12-31', 1)).to.equal('2026-01-01');
    expect(addDaysToDate('2028-03-01', -1)).to.equal('2028-02-29');
    expect(dayIndexOfDate('1970-01-02')).to.equal(1);
    expect(formatViDate('2026-02-05')).to.equal('05/02/2026');
  });
});
