import { expect } from 'chai';
import { formatLocalDateTime, parseLocalDateTime, vietnamCivilServiceCalendar } from '../calendar';
import { DEFAULT_LADDER, describeRung, MAX_AFTER_DUE_MINUTES, rungInstant, validateLadder } from './ladder';

const cal = vietnamCivilServiceCalendar();
const at = (s: string) => parseLocalDateTime(s);
const fmt = (t: number) => formatLocalDateTime(t);

describe('escalation ladder: instants in working time', () => {
  it('75% of four working hours started at 16:00 lands the next working morning', () => {
    // Monday 07/12/2026 16:00 + 4 working hours = Tuesday 11:00; 3 of them = Tuesday 10:00.
    const window = { startAt: at('2026-12-07 16:00'), dueAt: at('2026-12-08 11:00') };
    expect(fmt(rungInstant(cal, { kind: 'budgetShare', percent: 75 }, window))).to.equal('2026-12-08 10:00');
    expect(fmt(rungInstant(cal, { kind: 'budgetShare', percent: 25 }, window))).to.equal('2026-12-07 17:00');
  });

  it('counts a share over the lunch break and from the next opening when the window starts outside office hours', () => {
    expect(fmt(rungInstant(cal, { kind: 'budgetShare', percent: 75 }, { startAt: at('2026-12-07 10:00'), dueAt: at('2026-12-07 15:00') }))).to.equal('2026-12-07 14:00');
    // Started on Saturday: the budget counts from Monday 08:00.
    expect(fmt(rungInstant(cal, { kind: 'budgetShare', percent: 50 }, { startAt: at('2026-12-05 10:00'), dueAt: at('2026-12-07 12:00') }))).to.equal('2026-12-07 10:00');
  });

  it('one working hour after a breach at 16:45 lands on the next working day; on a Friday, on Monday', () => {
    const rung = { kind: 'afterDue', workingMinutes: 60 } as const;
    expect(fmt(rungInstant(cal, rung, { startAt: at('2026-12-07 12:45'), dueAt: at('2026-12-07 16:45') }))).to.equal('2026-12-08 08:45');
    expect(fmt(rungInstant(cal, rung, { startAt: at('2026-12-04 12:45'), dueAt: at('2026-12-04 16:45') }))).to.equal('2026-12-07 08:45');
    // A breach at closing time: the hour is the next working morning's first.
    expect(fmt(rungInstant(cal, rung, { startAt: at('2026-12-07 08:00'), dueAt: at('2026-12-07 17:00') }))).to.equal('2026-12-08 09:00');
  });

  it('fires a rung at the breach itself at the deadline, even when the deadline is a closing time', () => {
    expect(fmt(rungInstant(cal, { kind: 'afterDue', workingMinutes: 0 }, { startAt: at('2026-12-07 08:00'), dueAt: at('2026-12-07 17:00') }))).to.equal('2026-12-07 17:00');
  });

  it('skips Tết: a rung after a breach on the eve of the holiday fires when the office reopens', () => {
    expect(fmt(rungInstant(cal, { kind: 'afterDue', workingMinutes: 30 }, { startAt: at('2026-02-13 08:00'), dueAt: at('2026-02-13 17:00') }))).to.equal('2026-02-23 08:30');
  });
});

describe('escalation ladder: validation', () => {
  const rung = (over: Record<string, unknown> = {}) => ({
    id: 'r1',
    trigger: { kind: 'budgetShare', percent: 75 },
    scope: 'step',
    notify: 'stepOfficers',
    channels: ['inApp'],
    ...over,
  });

  it('accepts the default ladder and returns a clean copy', () => {
    const r = validateLadder(JSON.parse(JSON.stringify(DEFAULT_LADDER)));
    expect(r.ok).to.equal(true);
    if (r.ok) expect(r.rungs).to.deep.equal(DEFAULT_LADDER);
    const extra = validateLadder([{ ...rung(), note: 'bỏ qua' }]);
    expect(extra.ok && extra.rungs[0]).to.deep.equal(rung());
  });

  it('accepts an empty ladder: nobody is told, the breaches are still recorded', () => {
    expect(validateLadder([])).to.deep.equal({ ok: true, rungs: [] });
  });

  it('refuses bad rungs with Vietnamese messages at their paths', () => {
    const r = validateLadder([
      rung({ trigger: { kind: 'budgetShare', percent: 100 } }),
      rung({ id: 'r1', trigger: { kind: 'afterDue', workingMinutes: MAX_AFTER_DUE_MINUTES + 1 } }),
      rung({ id: 'Sai Mã', scope: 'all', notify: 'mayor', channels: [] }),
      rung({ id: 'r4', trigger: { kind: 'soon' }, channels: ['inApp', 'inApp'] }),
      'bậc',
    ]);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).to.deep.equal([
      'rungs.0.trigger.percent',
      'rungs.1.id',
      'rungs.1.trigger.workingMinutes',
      'rungs.2.id',
      'rungs.2.scope',
      'rungs.2.notify',
      'rungs.2.channels',
      'rungs.3.trigger.kind',
      'rungs.3.channels',
      'rungs.4',
    ]);
    expect(r.issues[0].vi).to.equal('Phần trăm thời hạn phải là số nguyên từ 1 đến 99');
    expect(r.issues[1].vi).to.equal('Mã bậc "r1" bị trùng');
    expect(r.issues[2].vi).to.include('từ 0 đến 4800 (10 ngày làm việc)');
  });

  it('allows at most ten rungs and percents from 1', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => rung({ id: `r${i}` }));
    const r = validateLadder(eleven);
    expect(r.ok === false && r.issues.map((i) => i.vi)).to.deep.equal(['Tối đa 10 bậc cảnh báo (đang có 11)']);
    const zero = validateLadder([rung({ trigger: { kind: 'budgetShare', percent: 0 } })]);
    expect(zero.ok === false && zero.issues[0].path).to.equal('rungs.0.trigger.percent');
    expect(validateLadder({ rungs: [] })).to.deep.include({ ok: false });
  });

  it('describes a rung in words', () => {
    expect(describeRung(DEFAULT_LADDER[0]).vi).to.equal('75% thời hạn của bước — báo cán bộ xử lý bước');
    expect(describeRung(DEFAULT_LADDER[2]).vi).to.equal('Khi quá thời hạn trả kết quả — báo người giám sát');
    expect(describeRung(DEFAULT_LADDER[3]).vi).to.equal('1 giờ làm việc sau khi quá thời hạn của bước — báo thủ trưởng đơn vị');
    expect(describeRung({ ...DEFAULT_LADDER[3], trigger: { kind: 'afterDue', workingMinutes: 90 } }).en).to.equal('1 h 30 min of working time after the step\'s deadline — tell the head of the unit');
  });
});
