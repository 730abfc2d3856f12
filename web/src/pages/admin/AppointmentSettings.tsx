/**
 * A unit's appointments (USER_ADMIN), beside its working calendar: the length of a slot, how many
 * citizens one slot takes (the desks serving at once), the procedures the unit takes bookings for,
 * and the types of paper citizens pick from. Slots already booked keep their time.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { MAX_CAPACITY, SLOT_MINUTES_CHOICES } from '../../../../domain/appointments/slots';
import { api } from '../../api';
import { Button, Field, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { procedureShort, type AppointmentProcedure } from '../appointments/types';
import { place } from '../portal/problemAt';
import { unitOption, useUnits, withDepth } from './adminData';

interface Settings {
  unit: { id: string; code: string; name: string };
  slotMinutes: number;
  capacity: number;
  offers: Record<AppointmentProcedure, boolean>;
  own: boolean;
  paperTypes: string[];
  ownPaperTypes: boolean;
}

function SlotForm({ settings, onSaved }: { settings: Settings; onSaved(notice: string): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ slotMinutes: String(settings.slotMinutes), capacity: String(settings.capacity), offersVn: settings.offers.vn, offersForeign: settings.offers.foreign });
  const { busy, problem, run } = useAction({ exclusive: true });
  const where = place(problem, ['slotMinutes', 'capacity', 'offersVn', 'offersForeign'], t);
  function save(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const capacity = /^\d+$/.test(form.capacity.trim()) ? Number(form.capacity) : form.capacity;
      await api('PUT', `/api/units/${settings.unit.id}/appointment-settings`, { body: { slotMinutes: Number(form.slotMinutes), capacity, offersVn: form.offersVn, offersForeign: form.offersForeign } });
      onSaved(t('Đã lưu cài đặt lịch hẹn.', 'The settings are saved.'));
    });
  }
  return (
    <form className="card" onSubmit={save} noValidate>
      <h2 className="section-title">{t('Khung giờ hẹn', 'Appointment slots')}</h2>
      <p className="field-hint">
        {settings.own ? t('Đơn vị có cài đặt riêng.', 'The unit has its own settings.') : t('Đang dùng cài đặt mặc định (30 phút, 2 người mỗi khung giờ).', 'The defaults apply (30 minutes, 2 people a slot).')}{' '}
        {t('Khung giờ chia theo giờ làm việc của đơn vị; lịch hẹn đã đặt giữ nguyên giờ.', 'Slots follow the unit’s office hours; booked appointments keep their time.')}
      </p>
      <div className="row">
        <Field label={t('Độ dài mỗi khung giờ', 'Slot length')} required error={where.at('slotMinutes')}>
          <Select name="slotMinutes" value={form.slotMinutes} onChange={(e) => setForm({ ...form, slotMinutes: e.target.value })}>
            {SLOT_MINUTES_CHOICES.map((n) => (
              <option key={n} value={n}>
                {t(`${n} phút`, `${n} minutes`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('Số người mỗi khung giờ', 'People per slot')} required error={where.at('capacity')} hint={t(`Số quầy tiếp nhận cùng lúc, tối đa ${MAX_CAPACITY}`, `Desks serving at once, at most ${MAX_CAPACITY}`)}>
          <TextInput name="capacity" inputMode="numeric" maxLength={2} value={form.capacity} onChange={(e) => setForm({ ...form, capacity: e.target.value })} />
        </Field>
      </div>
      <fieldset className="choices">
        <legend className="field-label">{t('Thủ tục nhận đặt lịch', 'Procedures booked here')}</legend>
        <label className="choice">
          <input type="checkbox" name="offersVn" checked={form.offersVn} onChange={(e) => setForm({ ...form, offersVn: e.target.checked })} />
          {procedureShort('vn', t)}
        </label>
        <label className="choice">
          <input type="checkbox" name="offersForeign" checked={form.offersForeign} onChange={(e) => setForm({ ...form, offersForeign: e.target.checked })} />
          {procedureShort('foreign', t)}
        </label>
      </fieldset>
      <Problem problem={where.banner} />
      <Button type="submit" busy={busy} name="save-slots">
        {t('Lưu cài đặt', 'Save the settings')}
      </Button>
    </form>
  );
}

function PaperTypesForm({ settings, onSaved }: { settings: Settings; onSaved(notice: string): void }) {
  const { t } = useI18n();
  const [text, setText] = useState(settings.paperTypes.join('\n'));
  const { busy, problem, run } = useAction({ exclusive: true });
  const names = text.split('\n').map((l) => l.trim()).filter(Boolean);
  function save(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api('PUT', `/api/units/${settings.unit.id}/paper-types`, { body: { names } });
      onSaved(t('Đã lưu danh sách loại giấy tờ.', 'The list is saved.'));
    });
  }
  return (
    <form className="card" onSubmit={save} noValidate>
      <h2 className="section-title">{t('Loại giấy tờ công dân chọn khi đặt lịch', 'Types of paper offered when booking')}</h2>
      <p className="field-hint">
        {settings.ownPaperTypes ? t('Danh sách riêng của đơn vị.', 'The unit’s own list.') : t('Đang dùng danh sách mặc định.', 'The default list applies.')} {t('Mỗi dòng một loại giấy tờ.', 'One type per line.')}
      </p>
      <Field label={t(`Loại giấy tờ (${names.length})`, `Types (${names.length})`)} required>
        <textarea className="input" name="paperTypes" rows={Math.min(14, Math.max(5, names.length + 1))} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <Problem problem={problem} />
      <Button type="submit" busy={busy} name="save-paper-types">
        {t('Lưu danh sách', 'Save the list')}
      </Button>
    </form>
  );
}

export function AppointmentSettings() {
  const { t } = useI18n();
  const { units } = useUnits();
  const [unitId, setUnitId] = useState('');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  // Bookings are taken by communes and districts (their Justice office), not by the one-stop desks.
  const choices = withDepth(units);
  const chosen = unitId || units.find((u) => u.level === 'commune')?.id || units[0]?.id || '';
  const load = useCallback(() => {
    if (!chosen) return;
    api<Settings>('GET', `/api/units/${chosen}/appointment-settings`)
      .then((s) => {
        setSettings(s);
        setProblem(null);
      })
      .catch(setProblem);
  }, [chosen]);
  useEffect(load, [load, version]);
  const saved = (text: string) => {
    setNotice(text);
    setVersion((v) => v + 1);
  };
  return (
    <Page title={t('Cài đặt lịch hẹn', 'Appointment settings')}>
      <div className="card row">
        <Field label={t('Đơn vị', 'Unit')}>
          <Select name="appointmentUnit" value={chosen} onChange={(e) => (setUnitId(e.target.value), setNotice(''))}>
            {choices.map((u) => (
              <option key={u.id} value={u.id}>
                {unitOption(u)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Problem problem={problem} />
      {notice ? (
        <p className="notice success" role="status">
          {notice}
        </p>
      ) : null}
      {settings && settings.unit.id === chosen ? (
        <>
          {/* Each form starts again from what the unit holds once it is read again after a save. */}
          <SlotForm key={`slots-${chosen}-${settings.slotMinutes}-${settings.capacity}-${settings.offers.vn}-${settings.offers.foreign}-${settings.own}`} settings={settings} onSaved={saved} />
          <PaperTypesForm key={`papers-${chosen}-${settings.paperTypes.join('|')}`} settings={settings} onSaved={saved} />
        </>
      ) : null}
    </Page>
  );
}
