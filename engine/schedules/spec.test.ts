import { expect } from 'chai';
import { canonicalizeSpec, CompiledSpec, type ScheduleSpecProto } from './spec';

const iso = (ms: number) => new Date(ms).toISOString();
const compile = (spec: ScheduleSpecProto, seed = 'ns/s') => new CompiledSpec(canonicalizeSpec(spec), seed);
const times = (spec: ScheduleSpecProto, from: string, to: string, limit = 50) =>
  compile(spec)
    .between(Date.parse(from), Date.parse(to), limit)
    .map((t) => iso(t.nominal));

describe('schedule spec', () => {
  it('matches a working-day calendar in Asia/Ho_Chi_Minh (UTC+7, no daylight saving)', () => {
    expect(times({ cronString: ['30 7 * * 1-5'], timezoneName: 'Asia/Ho_Chi_Minh' }, '2026-12-04T00:00:00Z', '2026-12-11T00:00:00Z')).to.deep.equal([
      '2026-12-04T00:30:00.000Z',
      '2026-12-07T00:30:00.000Z',
      '2026-12-08T00:30:00.000Z',
      '2026-12-09T00:30:00.000Z',
      '2026-12-10T00:30:00.000Z',
    ]);
  });

  it('puts local midnight in Asia/Ho_Chi_Minh at 17:00 UTC the day before', () => {
    expect(times({ cronString: ['@daily'], timezoneName: 'Asia/Ho_Chi_Minh' }, '2026-12-06T00:00:00Z', '2026-12-09T00:00:00Z')).to.deep.equal([
      '2026-12-06T17:00:00.000Z',
      '2026-12-07T17:00:00.000Z',
      '2026-12-08T17:00:00.000Z',
    ]);
  });

  it('reads CRON_TZ, comments, names and steps in cron strings', () => {
    const c = canonicalizeSpec({ cronString: ['CRON_TZ=Asia/Ho_Chi_Minh 0 */6 1,15 jan-mar sun # twice a month'] });
    expect(c.timeZone).to.equal('Asia/Ho_Chi_Minh');
    expect(c.calendars[0].hour).to.deep.equal([{ start: 0, end: 23, step: 6 }]);
    expect(c.calendars[0].dayOfMonth).to.deep.equal([
      { start: 1, end: 1, step: 1 },
      { start: 15, end: 15, step: 1 },
    ]);
    expect(c.calendars[0].month).to.deep.equal([{ start: 1, end: 3, step: 1 }]);
    expect(c.calendars[0].dayOfWeek).to.deep.equal([{ start: 0, end: 0, step: 1 }]);
    expect(c.calendars[0].comment).to.equal('twice a month');
  });

  it('turns @every into an interval and @daily into a calendar', () => {
    const c = canonicalizeSpec({ cronString: ['@every 90m/15m', '@daily'] });
    expect(c.intervals).to.deep.equal([{ intervalMs: 90 * 60_000, phaseMs: 15 * 60_000 }]);
    expect(c.calendars).to.have.length(1);
    expect(times({ cronString: ['@daily'] }, '2026-01-01T12:00:00Z', '2026-01-03T12:00:00Z')).to.deep.equal(['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
  });

  it('rejects malformed cron strings and unknown time zones with INVALID_ARGUMENT', () => {
    for (const bad of [{ cronString: ['* * *'] }, { cronString: ['61 * * * *'] }, { cronString: ['0 0 * * * 1999-1998'] }, { timezoneName: 'Mars/Olympus' }]) {
      expect(() => canonicalizeSpec(bad), JSON.stringify(bad)).to.throw().with.property('code', 3);
    }
  });

  it('aligns intervals to the epoch plus the phase', () => {
    expect(times({ interval: [{ interval: { seconds: 3600 }, phase: { seconds: 19 * 60 } }] }, '2026-01-01T00:30:00Z', '2026-01-01T03:00:00Z')).to.deep.equal([
      '2026-01-01T01:19:00.000Z',
      '2026-01-01T02:19:00.000Z',
    ]);
  });

  it('unions calendars and intervals, subtracts exclusions, and keeps to the start and end times', () => {
    const spec: ScheduleSpecProto = {
      calendar: [{ hour: '12', minute: '0' }],
      interval: [{ interval: { seconds: 8 * 3600 } }],
      excludeCalendar: [{ hour: '16', minute: '0', dayOfWeek: '*' }],
      startTime: { seconds: Date.parse('2026-01-01T08:00:00Z') / 1000 },
      endTime: { seconds: Date.parse('2026-01-02T08:00:00Z') / 1000 },
    };
    expect(times(spec, '2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z')).to.deep.equal([
      '2026-01-01T08:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      '2026-01-02T08:00:00.000Z',
    ]);
  });

  it('skips a wall time that daylight saving removes and matches one it repeats twice', () => {
    // America/New_York: 2026-03-08 has no 02:30; 2026-11-01 has two 01:30.
    expect(times({ calendar: [{ hour: '2', minute: '30' }], timezoneName: 'America/New_York' }, '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).to.deep.equal([
      '2026-03-07T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
    expect(times({ calendar: [{ hour: '1', minute: '30' }], timezoneName: 'America/New_York' }, '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z')).to.deep.equal([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('finds rare dates (29 February on a Monday) and ends when a year range is over', () => {
    expect(times({ calendar: [{ dayOfMonth: '29', month: 'feb', dayOfWeek: 'mon' }] }, '2026-01-01T00:00:00Z', '2060-01-01T00:00:00Z')).to.deep.equal(['2044-02-29T00:00:00.000Z']);
    expect(compile({ calendar: [{ year: '2020' }] }).next(Date.parse('2026-01-01T00:00:00Z'))).to.equal(undefined);
  });

  it('adds the same jitter every time, never beyond the following nominal time, and different per schedule', () => {
    const spec: ScheduleSpecProto = { interval: [{ interval: { seconds: 3600 } }], jitter: { seconds: 7200 } };
    const from = Date.parse('2026-01-01T00:00:00Z');
    const a = compile(spec, 'ns/a').between(from, from + 24 * 3600_000, 30);
    const again = compile(spec, 'ns/a').between(from, from + 24 * 3600_000, 30);
    const b = compile(spec, 'ns/b').between(from, from + 24 * 3600_000, 30);
    expect(a).to.deep.equal(again);
    expect(a.map((t) => t.next)).to.not.deep.equal(b.map((t) => t.next));
    for (const t of a) {
      expect(t.next - t.nominal).to.be.at.least(0);
      expect(t.next - t.nominal).to.be.below(3600_000);
    }
  });

  it('finds the next time after an instant that falls between a nominal time and its jittered time', () => {
    const spec = compile({ interval: [{ interval: { seconds: 3600 } }], jitter: { seconds: 1800 } });
    const first = spec.next(Date.parse('2026-01-01T00:30:00Z'))!;
    expect(iso(first.nominal)).to.equal('2026-01-01T01:00:00.000Z');
    // From inside the jitter gap, the following nominal time comes next (as on the server).
    expect(iso(spec.next(first.nominal)!.nominal)).to.equal('2026-01-01T02:00:00.000Z');
  });
});
