import { expect } from 'chai';
import { formatLocalDateTime, parseLocalDateTime, vietnamCivilServiceCalendar } from '../calendar';
import { complexExtension, extendedDue, overallDue, stepDeadline } from './deadlines';

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

  describe('a complex case brings its overall deadline along', () => {
    const ext = (received: [string, string], opts: { alreadyGranted?: number; writtenAgreement?: boolean } = {}) => {
      const receivedAt = at(...received);
      const e = complexExtension(cal, { receiveStartedAt: receivedAt, currentDue: overallDue(cal, receivedAt), alreadyGranted: opts.alreadyGranted ?? 0, writtenAgreement: opts.writtenAgreement ?? false });
      return { ...e, newDueAt: show(e.newDueAt) };
    };

    it('received at 08:00: 16 + 2 + 2 working hours end Wednesday 12:00, so two working days', () => {
      expect(ext(['2026-11-23', '08:00'])).to.deep.equal({ neededDays: 2, grantedDays: 2, newDueAt: '2026-11-25 17:00', short: false });
    });

    it('received at 15:30, after the cut-off: due the next day, still two days more', () => {
      // Monday 1.5 h, Tuesday 8, Wednesday 8, Thursday 2.5 → Thursday 10:30; due Tuesday 17:00 + 2 → Thursday 17:00.
      expect(ext(['2026-11-23', '15:30'])).to.deep.equal({ neededDays: 2, grantedDays: 2, newDueAt: '2026-11-26 17:00', short: false });
    });

    it('received at 14:00 the chain needs three days: two without the written agreement, three with it', () => {
      expect(ext(['2026-11-23', '14:00'])).to.deep.equal({ neededDays: 3, grantedDays: 2, newDueAt: '2026-11-25 17:00', short: true });
      expect(ext(['2026-11-23', '14:00'], { writtenAgreement: true })).to.deep.equal({ neededDays: 3, grantedDays: 3, newDueAt: '2026-11-26 17:00', short: false });
    });

    it('counts earlier extensions against the allowance and skips the weekend', () => {
      // Friday 08:00: Friday 8 h, Monday 8, Tuesday 4 → Tuesday 12:00; due Friday 17:00 → two working days (Tuesday).
      expect(ext(['2026-11-27', '08:00'])).to.deep.equal({ neededDays: 2, grantedDays: 2, newDueAt: '2026-12-01 17:00', short: false });
      expect(ext(['2026-11-27', '08:00'], { alreadyGranted: 1 })).to.deep.equal({ neededDays: 2, grantedDays: 1, newDueAt: '2026-11-30 17:00', short: true });
    });

    it('needs nothing when an earlier extension already covers the chain', () => {
      const receivedAt = at('2026-11-23', '08:00');
      const e = complexExtension(cal, { receiveStartedAt: receivedAt, currentDue: at('2026-11-26', '17:00'), alreadyGranted: 3, writtenAgreement: false });
      expect(e).to.deep.include({ neededDays: 0, grantedDays: 0, short: false });
    });
  });
});
