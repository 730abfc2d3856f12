import { expect } from 'chai';
import * as calendar from './index';

describe('calendar/index', () => {
  it('exposes the calendar API from one import', () => {
    for (const name of [
      'addWorkingHours',
      'addWorkingDays',
      'nextOpening',
      'workingMsBetween',
      'isWorkingDay',
      'endOfWorkingDay',
      'endOfNextWorkingDay',
      'validateCalendar',
      'formatLocalDate',
      'parseLocalDateTime',
      'vietnamCivilServiceCalendar',
    ] as const) {
      expect(calendar[name], name).to.be.a('function');
    }
    const cal = calendar.vietnamCivilServiceCalendar();
    const t = calendar.parseLocalDateTime('2026-02-13 16:00');
    expect(calendar.formatLocalDateTime(calendar.addWorkingHours(cal, t, 4))).to.equal('2026-02-23 11:00');
  });
});
