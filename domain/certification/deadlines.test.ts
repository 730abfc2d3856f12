import { expect } from 'chai';
import { formatLocalDateTime, parseLocalDateTime, vietnamCivilServiceCalendar } from '../calendar';
import { extendedDue, overallDue, stepDeadline } from './deadlines';

const cal = vietnamCivilServiceCalendar();
const at = (d: string, t: string) => parseLocalDateTime(d, t);
const show = (instant: number | { ok: false }) => (typeof instant === 'number' ? formatLocalDateTime(instant) : instant);

describe('domain: certification deadlines', () => {
  it('gives step 2 four working hours across lunch, sixteen when complex', () => {
    const d = stepDeadline(cal, 'receive', at('2026-11-23', '09:30'));
    expect(show(d.dueAt)).to.equal('2026-11-23 14:30');
    expect(show(d.warnAt)).to.equal('2026-11-23 13:30');
    expect(show(stepDeadline(cal, 'receive', at('2026-11-23', '09:30'), true).dueAt)).to.equal('2026-11-25 09:30');
  });

  it('carries a Friday 11:30 step over the weekend', () => {
    const sign = stepDeadline(cal, 'sign', at('2026-11-27', '16:00'));
    expect(show(sign.dueAt)).to.equal('2026-11-30 09:00');
    expect(show(sign.warnAt)).to.equal('2026-11-30 08:30');
    expect(show(stepDeadline(cal, 'receive', at('2026-11-27', '11:30')).dueAt)).to.equal('2026-11-27 16:30');
  });

  it('applies the 15:00 cut-off', () => {
    expect(show(overallDue(cal, at('2026-11-23', '14:59')))).to.equal('2026-11-23 17:00');
    expect(show(overallDue(cal, at('2026-11-23', '15:00')))).to.equal('2026-11-24 17:00');
    expect(show(overallDue(cal, at('2026-11-27', '15:01')))).to.equal('2026-11-30 17:00');
    expect(show(overallDue(cal, at('2026-11-28', '10:00')))).to.equal('2026-11-30 17:00');
  });

  it('skips Tết: received on the eve after 15:00, due after the holiday', () => {
    // Tết 2026: the office closes from Monday 16/02 to Friday 20/02 (and Saturday 14/02, Sunday 15/02).
    expect(show(overallDue(cal, at('2026-02-13', '15:30')))).to.equal('2026-02-23 17:00');
    expect(show(stepDeadline(cal, 'receive', at('2026-02-13', '15:30')).dueAt)).to.equal('2026-02-23 10:30');
  });

  it('extends by at most two working days in all without a written agreement', () => {
    const due = at('2026-11-23', '17:00');
    expect(show(extendedDue(cal, due, { workingDays: 2, alreadyGranted: 0, reason: 'nhiều trang', writtenAgreement: false }) as number)).to.equal('2026-11-25 17:00');
    const refused = extendedDue(cal, due, { workingDays: 1, alreadyGranted: 2, reason: 'thêm bản sao', writtenAgreement: false });
    expect(refused).to.include({ ok: false, code: 'EXTENSION_NEEDS_AGREEMENT' });
    expect(show(extendedDue(cal, due, { workingDays: 3, alreadyGranted: 2, reason: 'thỏa thuận bằng văn bản', writtenAgreement: true }) as number)).to.equal('2026-11-26 17:00');
    expect(extendedDue(cal, due, { workingDays: 1, alreadyGranted: 0, reason: '', writtenAgreement: false })).to.include({ code: 'EXTENSION_REASON' });
  });
});
