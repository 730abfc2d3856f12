import { expect } from 'chai';
import { formatLocalDateTime, parseLocalDateTime, vietnamCivilServiceCalendar } from '../calendar';
import { checkSlotSettings, checkSlotStart, DEFAULT_SLOT_SETTINGS, slotsOn } from './slots';

const cal = vietnamCivilServiceCalendar();
const show = (slots: Array<{ start: number; end: number }>) => slots.map((s) => `${formatLocalDateTime(s.start).slice(11)}–${formatLocalDateTime(s.end).slice(11)}`);

describe('domain: appointment slots', () => {
  it('cuts a working day into slots of its office hours, none across the lunch break', () => {
    const slots = slotsOn(cal, '2026-11-23', DEFAULT_SLOT_SETTINGS);
    expect(slots).to.have.length(16);
    expect(show(slots).slice(6, 10)).to.deep.equal(['11:00–11:30', '11:30–12:00', '13:00–13:30', '13:30–14:00']);
    // A 45-minute slot leaves the last 15 minutes of each half day unused rather than spanning the break.
    expect(show(slotsOn(cal, '2026-11-23', { slotMinutes: 45, capacity: 1 })).slice(4, 6)).to.deep.equal(['11:00–11:45', '13:00–13:45']);
  });

  it('has none on a holiday or a Sunday, and the hours of a swapped working Saturday', () => {
    // Quốc khánh 2026: Wednesday 02/09 is a holiday.
    expect(slotsOn(cal, '2026-09-02', DEFAULT_SLOT_SETTINGS)).to.deep.equal([]);
    expect(slotsOn(cal, '2026-11-22', DEFAULT_SLOT_SETTINGS)).to.deep.equal([]);
    // Friday 02/01/2026 was given off and paid back on Saturday 10/01/2026.
    expect(slotsOn(cal, '2026-01-02', DEFAULT_SLOT_SETTINGS)).to.deep.equal([]);
    expect(show(slotsOn(cal, '2026-01-10', DEFAULT_SLOT_SETTINGS))[0]).to.equal('08:00–08:30');
  });

  it('accepts only the start of a slot not yet begun, saying why otherwise', () => {
    const now = parseLocalDateTime('2026-11-23', '09:10');
    expect(checkSlotStart(cal, parseLocalDateTime('2026-11-23', '09:30'), DEFAULT_SLOT_SETTINGS, now)).to.include({ start: parseLocalDateTime('2026-11-23', '09:30') });
    expect(checkSlotStart(cal, parseLocalDateTime('2026-11-23', '09:00'), DEFAULT_SLOT_SETTINGS, now)).to.include({ code: 'SLOT_PAST' });
    expect(checkSlotStart(cal, parseLocalDateTime('2026-11-23', '09:40'), DEFAULT_SLOT_SETTINGS, now)).to.include({ code: 'SLOT_OUTSIDE_HOURS' });
    expect(checkSlotStart(cal, parseLocalDateTime('2026-11-23', '12:00'), DEFAULT_SLOT_SETTINGS, now)).to.include({ code: 'SLOT_OUTSIDE_HOURS' });
    expect(checkSlotStart(cal, parseLocalDateTime('2026-11-29', '09:00'), DEFAULT_SLOT_SETTINGS, now)).to.include({ code: 'SLOT_CLOSED_DAY' });
  });

  it('checks the settings an administrator gives', () => {
    expect(checkSlotSettings({ slotMinutes: 25, capacity: 2 })).to.include({ code: 'SLOT_LENGTH' });
    expect(checkSlotSettings({ slotMinutes: 30, capacity: 0 })).to.include({ code: 'SLOT_CAPACITY' });
    expect(checkSlotSettings({ slotMinutes: 60, capacity: 3 })).to.deep.equal({ slotMinutes: 60, capacity: 3 });
  });
});

