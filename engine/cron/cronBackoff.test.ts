import { expect } from 'chai';
import { cronBackoffMs, firstCronBackoffMs, validateCronSchedule } from './cronBackoff';

const at = (iso: string) => Date.parse(iso);

describe('cron backoff', () => {
  it('delays the first run to the first scheduled time, rounded up to whole seconds', () => {
    expect(firstCronBackoffMs('0 * * * *', at('2026-03-01T10:20:00.250Z'))).to.equal(40 * 60_000);
  });

  it('starts the next run at the first scheduled time after the close, skipping times missed while running', () => {
    const scheduled = at('2026-03-01T10:00:00.000Z');
    expect(cronBackoffMs('0 * * * *', scheduled, at('2026-03-01T10:05:00.000Z'))).to.equal(55 * 60_000);
    expect(cronBackoffMs('0 * * * *', scheduled, at('2026-03-01T12:30:00.000Z'))).to.equal(30 * 60_000);
    expect(cronBackoffMs('0 * * * *', scheduled, at('2026-03-01T11:00:00.000Z'))).to.equal(0);
  });

  it('validates with the server wording', () => {
    expect(() => validateCronSchedule('nope', Date.now())).to.throw(/invalid CronSchedule/);
    expect(() => validateCronSchedule('0 0 30 2 *', Date.now())).to.throw(/no time can be found/);
    expect(() => validateCronSchedule('@every 5m', Date.now())).to.not.throw();
  });
});
