import { expect } from 'chai';
import { formatLocalDateTime, parseLocalDateTime, vietnamCivilServiceCalendar } from '../calendar';
import { pauseSupportClock, startSupportClock, supportDeadlines } from './support';

const cal = vietnamCivilServiceCalendar();
const at = (s: string) => parseLocalDateTime(s);
const local = (ms: number) => formatLocalDateTime(ms);

describe('support request deadline: 8 working hours, warning at 75 %', () => {
  it('counts across the lunch break and the evening: received Tuesday 09:00 → warning Tuesday 16:00, due Wednesday 09:00', () => {
    const d = supportDeadlines(cal, startSupportClock(at('2026-11-24 09:00')));
    expect([local(d.warnAt), local(d.dueAt)]).to.deep.equal(['2026-11-24 16:00', '2026-11-25 09:00']);
  });

  it('counts across a weekend: received Friday 15:00 → warning Monday at noon, due Monday 15:00 after lunch', () => {
    const d = supportDeadlines(cal, startSupportClock(at('2026-11-27 15:00')));
    expect([local(d.warnAt), local(d.dueAt)]).to.deep.equal(['2026-11-30 12:00', '2026-11-30 15:00']);
  });

  it('received on a Sunday evening counts from Monday’s opening', () => {
    const d = supportDeadlines(cal, startSupportClock(at('2026-11-29 20:00')));
    expect([local(d.warnAt), local(d.dueAt)]).to.deep.equal(['2026-11-30 15:00', '2026-11-30 17:00']);
  });

  it('stands still while waiting for the requester: 3 working hours used, then 2 days of waiting, leave 5 hours from the answer', () => {
    const clock = startSupportClock(at('2026-11-24 08:00'));
    const left = pauseSupportClock(cal, clock, at('2026-11-24 11:00'));
    expect(left).to.equal(5 * 3_600_000);
    const resumed = supportDeadlines(cal, { runningSince: at('2026-11-26 14:00'), leftMs: left });
    expect(local(resumed.dueAt)).to.equal('2026-11-27 10:00');
    // 75 % of the whole 8 hours is used 3 hours after the answer (3 + 3 = 6).
    expect(local(resumed.warnAt)).to.equal('2026-11-26 17:00');
  });
});
