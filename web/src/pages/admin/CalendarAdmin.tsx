/**
 * The working calendar a unit's deadlines are counted on: its office hours (its own, inherited
 * from a unit above, or the default 08:00–12:00 and 13:00–17:00), the days off (public holidays,
 * compensatory days) and the swapped working days — national or the unit's own.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { Button, Field, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date } from '../../format';
import { useI18n } from '../../i18n';
import { place } from '../portal/problemAt';
import { unitOption, useUnits, withDepth } from './adminData';

interface Interval {
  start: string;
  end: string;
}
type Hours = Partial<Record<string, Interval[]>>;
type Source = { level: 'national' } | { level: 'unit'; id: string; code: string; name: string };

interface Day {
  id: string;
  date: string;
  type: 'holiday' | 'compensatory' | 'working-day';
  name: string;
  hours?: Interval[];
  provisional: boolean;
  source: Source;
  weekday: string;
}

interface UnitCalendar {
  unit: { id: string; code: string; name: string };
  officeHours: { hours: Hours; source: { level: 'default' } | { level: 'unit'; inherited: boolean; name: string } };
  days: Day[];
}

const WEEKDAYS: Array<{ key: string; vi: string; en: string }> = [
  { key: '1', vi: 'Thứ Hai', en: 'Monday' },
  { key: '2', vi: 'Thứ Ba', en: 'Tuesday' },
  { key: '3', vi: 'Thứ Tư', en: 'Wednesday' },
  { key: '4', vi: 'Thứ Năm', en: 'Thursday' },
  { key: '5', vi: 'Thứ Sáu', en: 'Friday' },
  { key: '6', vi: 'Thứ Bảy', en: 'Saturday' },
  { key: '7', vi: 'Chủ nhật', en: 'Sunday' },
];

const intervalsText = (ivs: Interval[] | undefined) => (ivs ?? []).map((iv) => `${iv.start}–${iv.end}`).join(', ');

/** "08:00-12:00, 13:00-17:00" → intervals; an unreadable piece is sent as typed, for the API to name it. */
function parseIntervals(text: string): Interval[] {
  return text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [start, end] = p.split(/\s*[-–]\s*/);
      return { start: start ?? '', end: end ?? '' };
    });
}

function OfficeHoursForm({ calendar, onSaved }: { calendar: UnitCalendar; onSaved(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState<Record<string, string>>(() => Object.fromEntries(WEEKDAYS.map((d) => [d.key, intervalsText(calendar.officeHours.hours[d.key])])));
  // Saving the hours and dropping them are two ways to set the same thing: one busy state, one banner.
  const { busy, problem, run } = useAction();
  const source = calendar.officeHours.source;

  function save(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const hours = Object.fromEntries(WEEKDAYS.filter((d) => (text[d.key] ?? '').trim() !== '').map((d) => [d.key, parseIntervals(text[d.key] ?? '')]));
      await api('PUT', `/api/calendar/units/${calendar.unit.id}/office-hours`, { body: { hours } });
      onSaved();
    });
  }
  function reset() {
    void run(async () => {
      await api('DELETE', `/api/calendar/units/${calendar.unit.id}/office-hours`);
      onSaved();
    });
  }

  return (
    <form className="card" onSubmit={save}>
      <h2 className="section-title">{t('Giờ làm việc trong tuần', 'Weekly office hours')}</h2>
      <p className="field-hint">
        {source.level === 'default'
          ? t('Đang dùng giờ mặc định (08:00–12:00, 13:00–17:00 từ thứ Hai đến thứ Sáu).', 'The default hours apply (08:00–12:00, 13:00–17:00, Monday to Friday).')
          : source.inherited
            ? t(`Đang dùng giờ làm việc của ${source.name}.`, `The hours of ${source.name} apply.`)
            : t('Đơn vị có giờ làm việc riêng.', 'The unit has its own hours.')}{' '}
        {t('Để trống ngày không làm việc; nhiều khoảng cách nhau bằng dấu phẩy.', 'Leave a closed day empty; separate intervals with commas.')}
      </p>
      <div className="weekdays">
        {WEEKDAYS.map((d) => (
          <Field key={d.key} label={t(d.vi, d.en)}>
            <TextInput name={`hours-${d.key}`} placeholder="08:00-12:00, 13:00-17:00" value={text[d.key] ?? ''} onChange={(e) => setText({ ...text, [d.key]: e.target.value })} />
          </Field>
        ))}
      </div>
      <Problem problem={problem} />
      <Button type="submit" busy={busy}>
        {t('Lưu giờ làm việc', 'Save the hours')}
      </Button>
      {source.level === 'unit' && !source.inherited ? (
        <Button kind="secondary" busy={busy} onClick={reset}>
          {t('Bỏ giờ riêng, dùng giờ kế thừa', 'Drop own hours, inherit')}
        </Button>
      ) : null}
    </form>
  );
}

function AddDayForm({ unitId, onSaved }: { unitId: string; onSaved(): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ type: 'holiday', date: '', name: '', hours: '', national: false, provisional: false });
  const [badDate, setBadDate] = useState(false);
  const { busy, problem, run } = useAction();
  const where = place(problem, ['date', 'name', 'kind', 'hours', 'unitId'], t);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const common = { date: form.date, name: form.name, unitId: form.national ? null : unitId, provisional: form.provisional };
      if (form.type === 'working-day') {
        await api('POST', '/api/calendar/working-days', { body: { ...common, ...(form.hours.trim() ? { hours: parseIntervals(form.hours) } : {}) } });
      } else {
        await api('POST', '/api/calendar/holidays', { body: { ...common, kind: form.type } });
      }
      setForm({ ...form, date: '', name: '', hours: '' });
      onSaved();
    });
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2 className="section-title">{t('Thêm ngày nghỉ hoặc ngày làm việc hoán đổi', 'Add a day off or a swapped working day')}</h2>
      <div className="row">
        <Field label={t('Loại ngày', 'Kind of day')} error={where.at('kind')}>
          <Select name="dayType" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            <option value="holiday">{t('Nghỉ lễ, Tết', 'Public holiday')}</option>
            <option value="compensatory">{t('Nghỉ bù / hoán đổi', 'Compensatory day off')}</option>
            <option value="working-day">{t('Làm việc bù (hoán đổi)', 'Swapped working day')}</option>
          </Select>
        </Field>
        <Field label={t('Ngày', 'Date')} required error={badDate ? t('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy', 'Not a date: type dd/mm/yyyy') : where.at('date')}>
          <DateInput name="dayDate" value={form.date} onChange={(date) => setForm((f) => ({ ...f, date }))} onInvalid={setBadDate} />
        </Field>
        <Field label={t('Tên ngày', 'Name')} required error={where.at('name')}>
          <TextInput name="dayName" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </Field>
        {form.type === 'working-day' ? (
          <Field label={t('Giờ làm việc', 'Hours')} error={where.at('hours')} hint={t('Để trống: như giờ thứ Hai–thứ Sáu', 'Empty: the Monday–Friday hours')}>
            <TextInput name="dayHours" placeholder="08:00-12:00" value={form.hours} onChange={(e) => setForm({ ...form, hours: e.target.value })} />
          </Field>
        ) : null}
      </div>
      <label className="choice">
        <input type="checkbox" checked={form.national} onChange={(e) => setForm({ ...form, national: e.target.checked })} />
        {t('Áp dụng toàn quốc (chỉ quản trị viên cấp cao nhất)', 'National (top-level administrators only)')}
      </label>
      <label className="choice">
        <input type="checkbox" checked={form.provisional} onChange={(e) => setForm({ ...form, provisional: e.target.checked })} />
        {t('Dự kiến (chờ văn bản chính thức)', 'Provisional (awaiting the official notice)')}
      </label>
      {where.at('unitId') ? <span className="field-error">{where.at('unitId')}</span> : null}
      <Problem problem={where.banner} />
      <Button type="submit" busy={busy} name="add-day">
        {t('Thêm ngày', 'Add the day')}
      </Button>
    </form>
  );
}

export function CalendarAdmin() {
  const { t } = useI18n();
  const { units } = useUnits();
  const [unitId, setUnitId] = useState('');
  const [year, setYear] = useState(() => String(new Date().getFullYear()));
  const [calendar, setCalendar] = useState<UnitCalendar | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const chosen = unitId || units[0]?.id || '';

  const load = useCallback(() => {
    if (!chosen || !/^\d{4}$/.test(year)) return;
    api<UnitCalendar>('GET', `/api/calendar/units/${chosen}?from=${year}-01-01&to=${year}-12-31`)
      .then((c) => {
        setCalendar(c);
        setProblem(null);
      })
      .catch(setProblem);
  }, [chosen, year]);
  useEffect(load, [load, version]);

  async function remove(d: Day) {
    setProblem(null);
    try {
      await api('DELETE', d.type === 'working-day' ? `/api/calendar/working-days/${d.id}` : `/api/calendar/holidays/${d.id}`);
      setVersion((v) => v + 1);
    } catch (err) {
      setProblem(err);
    }
  }

  const typeLabel = (d: Day) => (d.type === 'holiday' ? t('Nghỉ lễ', 'Holiday') : d.type === 'compensatory' ? t('Nghỉ bù', 'Day off') : t('Làm việc bù', 'Working day'));
  return (
    <Page title={t('Lịch làm việc', 'Working calendar')}>
      <div className="card row">
        <Field label={t('Đơn vị', 'Unit')}>
          <Select name="calendarUnit" value={chosen} onChange={(e) => setUnitId(e.target.value)}>
            {withDepth(units).map((u) => (
              <option key={u.id} value={u.id}>
                {unitOption(u)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('Năm', 'Year')}>
          <TextInput name="year" inputMode="numeric" maxLength={4} value={year} onChange={(e) => setYear(e.target.value)} />
        </Field>
      </div>
      <Problem problem={problem} />
      {calendar && calendar.unit.id === chosen ? (
        <>
          <OfficeHoursForm key={`${calendar.unit.id}-${version}`} calendar={calendar} onSaved={() => setVersion((v) => v + 1)} />
          <h2 className="section-title">{t(`Ngày nghỉ và ngày làm việc hoán đổi năm ${year}`, `Days off and swapped working days in ${year}`)}</h2>
          <table className="grid static" data-testid="calendar-days">
            <thead>
              <tr>
                <th>{t('Ngày', 'Date')}</th>
                <th>{t('Loại', 'Kind')}</th>
                <th>{t('Tên', 'Name')}</th>
                <th>{t('Giờ làm việc', 'Hours')}</th>
                <th>{t('Áp dụng', 'Applies from')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {calendar.days.map((d) => (
                <tr key={d.id}>
                  <td>
                    {d.weekday} {date(d.date)}
                  </td>
                  <td>
                    {typeLabel(d)}
                    {d.provisional ? ` (${t('dự kiến', 'provisional')})` : ''}
                  </td>
                  <td>{d.name}</td>
                  <td>{d.type === 'working-day' ? intervalsText(d.hours) || t('Như ngày thường', 'As a weekday') : '—'}</td>
                  <td>{d.source.level === 'national' ? t('Toàn quốc', 'National') : d.source.name}</td>
                  <td className="actions">
                    <button type="button" className="link-button" onClick={() => void remove(d)}>
                      {t('Xóa', 'Remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <AddDayForm unitId={calendar.unit.id} onSaved={() => setVersion((v) => v + 1)} />
        </>
      ) : null}
    </Page>
  );
}
