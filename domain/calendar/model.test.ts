import { expect } from 'chai';
import {
  assertValidCalendar,
  CalendarIssue,
  createWorkingCalendar,
  defaultOfficeHours,
  swappedDayDefaultHours,
  validateCalendar,
  WorkingCalendar,
} from './model';

function errorsOf(input: unknown): CalendarIssue[] {
  const r = validateCalendar(input);
  return r.ok ? [] : r.errors;
}

describe('calendar/model', () => {
  it('defaults to Monday–Friday 08:00–12:00 and 13:00–17:00, closed at the weekend', () => {
    const cal = createWorkingCalendar();
    expect(cal.officeHours[1]).to.deep.equal([
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(cal.officeHours[5]).to.deep.equal(cal.officeHours[1]);
    expect(cal.officeHours[6]).to.equal(undefined);
    expect(cal.officeHours[7]).to.equal(undefined);
    expect(validateCalendar(cal).ok).to.equal(true);
  });

  it('survives a JSON round trip (a workflow receives it as input)', () => {
    const cal = createWorkingCalendar({
      holidays: [{ date: '2026-01-01', name: 'Tết Dương lịch', kind: 'holiday' }],
      workingDays: [{ date: '2026-01-10', name: 'Làm bù' }],
    });
    const copy = JSON.parse(JSON.stringify(cal)) as WorkingCalendar;
    expect(copy).to.deep.equal(cal);
    expect(validateCalendar(copy).ok).to.equal(true);
    expect(copy.officeHours[1]).to.have.length(2);
  });

  it('reports invalid HH:MM with the field path, Vietnamese first', () => {
    const errs = errorsOf(createWorkingCalendar({ officeHours: { 1: [{ start: '8:00', end: '25:00' }] } }));
    expect(errs.map((e) => e.path)).to.deep.equal(['officeHours.1[0].start', 'officeHours.1[0].end']);
    expect(errs[0]?.message).to.match(/^Giờ bắt đầu "8:00" không hợp lệ .* \/ Invalid start time "8:00"/);
  });

  it('accepts 24:00 as an end of day but not as a start', () => {
    expect(validateCalendar(createWorkingCalendar({ officeHours: { 6: [{ start: '20:00', end: '24:00' }] } })).ok).to.equal(true);
    expect(errorsOf(createWorkingCalendar({ officeHours: { 6: [{ start: '24:00', end: '24:00' }] } }))[0]?.code).to.equal('INVALID_TIME');
  });

  it('rejects intervals that end before they start, overlap, or are out of order', () => {
    const backwards = errorsOf(createWorkingCalendar({ officeHours: { 2: [{ start: '13:00', end: '12:00' }] } }));
    expect(backwards[0]?.code).to.equal('INTERVAL_NOT_INCREASING');
    expect(backwards[0]?.message).to.contain('giờ bắt đầu phải trước giờ kết thúc / ');

    const overlap = errorsOf(
      createWorkingCalendar({
        officeHours: {
          3: [
            { start: '08:00', end: '12:00' },
            { start: '11:30', end: '17:00' },
          ],
        },
      }),
    );
    expect(overlap[0]?.code).to.equal('INTERVALS_OVERLAP_OR_UNORDERED');
    expect(overlap[0]?.message).to.contain('08:00–12:00 và 11:30–17:00');

    const unordered = errorsOf(
      createWorkingCalendar({
        officeHours: {
          4: [
            { start: '13:00', end: '17:00' },
            { start: '08:00', end: '12:00' },
          ],
        },
      }),
    );
    expect(unordered[0]?.code).to.equal('INTERVALS_OVERLAP_OR_UNORDERED');
  });

  it('allows touching intervals (12:00–12:00 boundary)', () => {
    const cal = createWorkingCalendar({
      officeHours: {
        1: [
          { start: '08:00', end: '12:00' },
          { start: '12:00', end: '16:00' },
        ],
      },
    });
    expect(validateCalendar(cal).ok).to.equal(true);
  });

  it('rejects weekdays outside 1..7, bad dates, kinds, names and duplicates', () => {
    const input = {
      officeHours: { ...defaultOfficeHours(), 8: [{ start: '08:00', end: '12:00' }] },
      holidays: [
        { date: '2026-02-30', name: 'x', kind: 'holiday' },
        { date: '2026-02-17', name: '', kind: 'holiday' },
        { date: '2026-02-17', name: 'Tết', kind: 'weekend' },
        { date: '2026-01-10', name: 'y', kind: 'compensatory' },
      ],
      workingDays: [
        { date: '2026-01-10', name: 'Làm bù' },
        { date: '2026-08-22', name: 'Làm bù', hours: [] },
      ],
    };
    const codes = errorsOf(input).map((e) => `${e.path}:${e.code}`);
    expect(codes).to.deep.equal([
      'officeHours.8:INVALID_WEEKDAY',
      'holidays[0].date:INVALID_DATE',
      'holidays[1].name:MISSING_NAME',
      'holidays[2].kind:INVALID_HOLIDAY_KIND',
      'holidays[2].date:DUPLICATE_HOLIDAY',
      'workingDays[0].date:HOLIDAY_AND_WORKING_DAY',
      'workingDays[1].hours:EMPTY_WORKING_DAY',
    ]);
  });

  it('rejects a calendar with no working time at all, and non-objects', () => {
    const closed = errorsOf(createWorkingCalendar({ officeHours: {} }));
    expect(closed.map((e) => e.code)).to.deep.equal(['NO_WORKING_TIME']);
    expect(closed[0]?.message).to.equal('Lịch không có giờ làm việc nào / The calendar has no working time at all');
    expect(errorsOf(null)[0]?.code).to.equal('CALENDAR_NOT_OBJECT');
    expect(errorsOf({ officeHours: [], holidays: {}, workingDays: 1 }).map((e) => e.code)).to.deep.equal([
      'OFFICE_HOURS_NOT_OBJECT',
      'HOLIDAYS_NOT_ARRAY',
      'WORKING_DAYS_NOT_ARRAY',
    ]);
  });

  it('assertValidCalendar throws one DomainError summarising every problem', () => {
    expect(() => assertValidCalendar({ officeHours: { 1: [{ start: 'x', end: '12:00' }] }, holidays: [], workingDays: [] }))
      .to.throw(/^Lịch làm việc không hợp lệ: .* \/ Invalid working calendar: /)
      .with.property('code', 'CALENDAR_INVALID');
  });

  it('a swapped working day without hours works the first Monday–Friday hours', () => {
    expect(swappedDayDefaultHours(defaultOfficeHours())).to.deep.equal(defaultOfficeHours()[1]);
    expect(swappedDayDefaultHours({ 2: [{ start: '07:30', end: '11:30' }] })).to.deep.equal([{ start: '07:30', end: '11:30' }]);
    expect(swappedDayDefaultHours({ 6: [{ start: '07:30', end: '11:30' }] })[0]).to.deep.equal({ start: '08:00', end: '12:00' });
  });
});
