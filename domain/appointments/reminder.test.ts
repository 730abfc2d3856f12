import { expect } from 'chai';
import { formatLocalDateTime, parseLocalDateTime, vietnamCivilServiceCalendar } from '../calendar';
import { reminderAt } from './reminder';

const cal = vietnamCivilServiceCalendar();
const at = (d: string, t: string) => parseLocalDateTime(d, t);

describe('domain: an appointment’s reminder', () => {
  it('goes at the opening of the working day before: Friday for a Monday, the last day before Tết', () => {
    expect(formatLocalDateTime(reminderAt(cal, at('2026-11-24', '09:00'))!)).to.equal('2026-11-23 08:00');
    expect(formatLocalDateTime(reminderAt(cal, at('2026-11-30', '09:00'))!)).to.equal('2026-11-27 08:00');
    // Tết 2026: the office reopens Monday 23/02 after closing on Friday 13/02.
    expect(formatLocalDateTime(reminderAt(cal, at('2026-02-23', '08:00'))!)).to.equal('2026-02-13 08:00');
  });
});
