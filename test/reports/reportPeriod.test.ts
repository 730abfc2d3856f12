/** The periods of a report: months cut from a period, the three-year limit, and the screen's presets. */
import { expect } from 'chai';
import { latestEndOf, monthsOf, periodTextVi } from '../../api/reports/reportPeriod';
import { nextDay, presetPeriod, todayInHanoi } from '../../web/src/pages/reports/periods';

describe('certification report: periods', () => {
  it('cuts a period into calendar months, clipping the first and the last, across a year end', () => {
    const months = monthsOf({ from: '2026-11-15', to: '2027-02-10' });
    expect(months.map((m) => [m.month, m.from, m.to])).to.deep.equal([
      ['2026-11', '2026-11-15', '2026-12-01'],
      ['2026-12', '2026-12-01', '2027-01-01'],
      ['2027-01', '2027-01-01', '2027-02-01'],
      ['2027-02', '2027-02-01', '2027-02-10'],
    ]);
    // Hà Nội midnight is 17:00 UTC the day before.
    expect(months[0].start.toISOString()).to.equal('2026-11-14T17:00:00.000Z');
    expect(monthsOf({ from: '2026-11-01', to: '2026-12-01' }).map((m) => m.month)).to.deep.equal(['2026-11']);
  });

  it('allows three years at most, 29 February ending on 28 February', () => {
    expect(latestEndOf('2024-01-01')).to.equal('2027-01-01');
    expect(latestEndOf('2024-02-29')).to.equal('2027-02-28');
  });

  it('writes the period as people count days, both ends included', () => {
    expect(periodTextVi({ from: '2026-10-01', to: '2026-12-01' })).to.equal('từ ngày 01/10/2026 đến ngày 30/11/2026');
  });

  it('gives the screen’s presets as [from, to) around a given day', () => {
    const today = '2026-01-20';
    expect(presetPeriod('thisMonth', today)).to.deep.equal({ from: '2026-01-01', to: '2026-02-01' });
    expect(presetPeriod('lastMonth', today)).to.deep.equal({ from: '2025-12-01', to: '2026-01-01' });
    expect(presetPeriod('thisQuarter', '2026-11-23')).to.deep.equal({ from: '2026-10-01', to: '2027-01-01' });
    expect(presetPeriod('thisYear', today)).to.deep.equal({ from: '2026-01-01', to: '2027-01-01' });
    expect(nextDay('2026-12-31')).to.equal('2027-01-01');
    // 17:30 UTC on 30 November is 00:30 on 1 December in Hà Nội.
    expect(todayInHanoi(new Date('2026-11-30T17:30:00Z'))).to.equal('2026-12-01');
  });
});
