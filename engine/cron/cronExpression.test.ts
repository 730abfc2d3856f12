import { expect } from 'chai';
import { CronError, nextCronTime, parseCron } from './cronExpression';

const at = (iso: string) => Date.parse(iso);
const next = (spec: string, iso: string) => {
  const t = nextCronTime(parseCron(spec), at(iso));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron expressions', () => {
  it('finds the next minute, hour and day strictly after the given instant', () => {
    expect(next('* * * * *', '2026-03-01T10:00:00.000Z')).to.equal('2026-03-01T10:01:00.000Z');
    expect(next('* * * * *', '2026-03-01T10:00:30.500Z')).to.equal('2026-03-01T10:01:00.000Z');
    expect(next('0 * * * *', '2026-03-01T10:00:00.000Z')).to.equal('2026-03-01T11:00:00.000Z');
    expect(next('30 2 * * *', '2026-03-01T10:00:00.000Z')).to.equal('2026-03-02T02:30:00.000Z');
  });

  it('reads lists, ranges, steps and names', () => {
    expect(next('*/15 * * * *', '2026-03-01T10:16:00.000Z')).to.equal('2026-03-01T10:30:00.000Z');
    expect(next('5-10/5 * * * *', '2026-03-01T10:06:00.000Z')).to.equal('2026-03-01T10:10:00.000Z');
    expect(next('0 9 * * MON-FRI', '2026-03-07T10:00:00.000Z')).to.equal('2026-03-09T09:00:00.000Z'); // Saturday → Monday
    expect(next('0 0 1 JAN,jul *', '2026-03-01T00:00:00.000Z')).to.equal('2026-07-01T00:00:00.000Z');
  });

  it('combines day of month and day of week with OR when both are restricted, AND otherwise', () => {
    // 13th or a Friday: from Sunday 2026-03-01 the first Friday is the 6th.
    expect(next('0 0 13 * 5', '2026-03-01T00:00:00.000Z')).to.equal('2026-03-06T00:00:00.000Z');
    expect(next('0 0 13 * *', '2026-03-01T00:00:00.000Z')).to.equal('2026-03-13T00:00:00.000Z');
    expect(next('0 0 31 2 *', '2026-03-01T00:00:00.000Z')).to.equal(undefined);
  });

  it('expands descriptors and @every', () => {
    expect(next('@daily', '2026-03-01T10:00:00.000Z')).to.equal('2026-03-02T00:00:00.000Z');
    expect(next('@hourly', '2026-03-01T10:59:59.000Z')).to.equal('2026-03-01T11:00:00.000Z');
    expect(next('@weekly', '2026-03-01T10:00:00.000Z')).to.equal('2026-03-08T00:00:00.000Z');
    expect(next('@every 90s', '2026-03-01T10:00:00.700Z')).to.equal('2026-03-01T10:01:30.000Z');
    expect(next('@every 1h30m', '2026-03-01T10:00:00.000Z')).to.equal('2026-03-01T11:30:00.000Z');
  });

  it('honours a CRON_TZ prefix: 08:00 in Asia/Ho_Chi_Minh is 01:00 UTC', () => {
    expect(next('CRON_TZ=Asia/Ho_Chi_Minh 0 8 * * *', '2026-03-01T02:00:00.000Z')).to.equal('2026-03-02T01:00:00.000Z');
    expect(next('TZ=Asia/Ho_Chi_Minh 0 0 * * *', '2026-03-01T16:59:00.000Z')).to.equal('2026-03-01T17:00:00.000Z');
  });

  it('follows daylight saving time in zones that have it', () => {
    // Europe/Berlin moves from UTC+1 to UTC+2 on 2026-03-29.
    expect(next('CRON_TZ=Europe/Berlin 0 9 * * *', '2026-03-28T09:00:00.000Z')).to.equal('2026-03-29T07:00:00.000Z');
  });

  it('rejects malformed expressions with a reason', () => {
    for (const bad of ['* * * *', '61 * * * *', '* * * * 7', 'x * * * *', '@often', '@every soon', 'CRON_TZ=Mars/Base 0 * * * *', '*/0 * * * *']) {
      expect(() => parseCron(bad), bad).to.throw(CronError);
    }
  });
});
