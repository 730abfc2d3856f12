/**
 * "Đặt lịch hẹn" on the portal (seed 001 part II): the procedure, the agency down the unit tree
 * (province › district › commune or the district's Justice office — only branches that lead to one
 * offering the procedure), the type of paper, a day and a free slot; then the appointment code.
 * One Idempotency-Key per attempt: a retry after a lost answer books once.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, newKey } from '../../api';
import { DateInput } from '../../components/DateInput';
import { todayInHanoi } from '../../components/dates';
import { Button, Field, Page, Problem, Select } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { place } from '../portal/problemAt';
import { SlotPicker } from './SlotPicker';
import { nextWeekday, procedureText, slotText, type AppointmentProcedure, type AppointmentView, type DaySlot } from './types';

interface Agency {
  id: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
  offers: Record<AppointmentProcedure, boolean>;
}

const FIELDS = ['procedure', 'unitId', 'paperType', 'slotStart'];
const CODE_FIELDS = { SLOT_FULL: 'slotStart', SLOT_PAST: 'slotStart', SLOT_CLOSED_DAY: 'slotStart', SLOT_OUTSIDE_HOURS: 'slotStart', AGENCY_UNKNOWN: 'unitId', PAPER_TYPE_UNKNOWN: 'paperType' };

/** The agency a citizen books with: the district's office is its Justice office (Phòng Tư pháp). */
function agencyName(a: Agency, t: (vi: string, en: string) => string): string {
  return a.level === 'district' ? t(`Phòng Tư pháp — ${a.name}`, `Justice office — ${a.name}`) : a.name;
}

export function BookAppointment({ onBooked }: { onBooked?(): void }) {
  const { t } = useI18n();
  const [procedure, setProcedure] = useState<AppointmentProcedure | ''>('');
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [provinceId, setProvinceId] = useState('');
  const [districtId, setDistrictId] = useState('');
  const [unitId, setUnitId] = useState('');
  const [paperTypes, setPaperTypes] = useState<string[]>([]);
  const [paperType, setPaperType] = useState('');
  const [day, setDay] = useState(() => nextWeekday(todayInHanoi()));
  const [badDay, setBadDay] = useState(false);
  const [slots, setSlots] = useState<{ capacity: number; slots: DaySlot[] } | null>(null);
  const [slotStart, setSlotStart] = useState('');
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [booked, setBooked] = useState<AppointmentView | null>(null);
  const [slotsVersion, setSlotsVersion] = useState(0);
  const { busy, problem, run } = useAction({ exclusive: true });
  // One key per attempt: the same choices sent again (a retry) reuse it; any change starts a new attempt.
  const attempt = useRef<{ what: string; key: string } | null>(null);

  useEffect(() => {
    setAgencies([]);
    setProvinceId('');
    setDistrictId('');
    setUnitId('');
    if (!procedure) return;
    api<{ items: Agency[] }>('GET', `/api/citizen/appointments/agencies?procedure=${procedure}`, { as: 'citizen' })
      .then((r) => setAgencies(r.items))
      .catch(setLoadProblem);
  }, [procedure]);

  const byId = useMemo(() => new Map(agencies.map((a) => [a.id, a])), [agencies]);
  const provinces = agencies.filter((a) => !a.parentId || !byId.has(a.parentId));
  const districts = agencies.filter((a) => a.parentId === provinceId);
  /** The district's own Justice office and, below it, the communes offering the procedure. */
  const offices = useMemo(() => {
    if (!districtId || !procedure) return [];
    const below = (id: string): Agency[] => agencies.filter((a) => a.parentId === id).flatMap((a) => [a, ...below(a.id)]);
    return [byId.get(districtId)!, ...below(districtId)].filter((a) => a?.offers[procedure]);
  }, [agencies, byId, districtId, procedure]);

  // A level with one choice only is chosen for the citizen.
  useEffect(() => {
    if (provinces.length === 1 && provinceId !== provinces[0]!.id) setProvinceId(provinces[0]!.id);
  }, [provinces, provinceId]);
  useEffect(() => {
    if (districts.length === 1 && districtId !== districts[0]!.id) setDistrictId(districts[0]!.id);
  }, [districts, districtId]);

  useEffect(() => {
    setPaperTypes([]);
    setPaperType('');
    if (!unitId) return;
    api<{ items: string[] }>('GET', `/api/citizen/appointments/paper-types?unitId=${unitId}`, { as: 'citizen' })
      .then((r) => setPaperTypes(r.items))
      .catch(setLoadProblem);
  }, [unitId]);

  useEffect(() => {
    setSlots(null);
    setSlotStart('');
    if (!unitId || !day) return;
    // An answer for a day no longer chosen is dropped.
    let current = true;
    api<{ capacity: number; slots: DaySlot[] }>('GET', `/api/citizen/appointments/slots?unitId=${unitId}&date=${day}`, { as: 'citizen' })
      .then((r) => current && setSlots(r))
      .catch((err) => current && setLoadProblem(err));
    return () => {
      current = false;
    };
  }, [unitId, day, slotsVersion]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setBooked(null);
    const body = { procedure, unitId, paperType, slotStart };
    const what = JSON.stringify(body);
    if (attempt.current?.what !== what) attempt.current = { what, key: newKey() };
    const key = attempt.current.key;
    void run(
      async () => {
        const view = await api<AppointmentView>('POST', '/api/citizen/appointments', { as: 'citizen', body, idempotencyKey: key });
        attempt.current = null;
        setBooked(view);
        setSlotsVersion((v) => v + 1);
        onBooked?.();
      },
      // A refusal (the slot filled meanwhile) shows the day's slots as they are now.
      () => setSlotsVersion((v) => v + 1),
    );
  }

  const where = place(problem, FIELDS, t, CODE_FIELDS);
  const chosenSlot = slots?.slots.find((s) => s.start === slotStart);

  return (
    <Page title={t('Đặt lịch hẹn', 'Book an appointment')}>
      <p className="field-hint">
        {t(
          'Đặt lịch hẹn với cơ quan để chứng thực bản sao điện tử từ bản chính: chọn thủ tục, cơ quan thực hiện, loại giấy tờ, ngày và giờ hẹn.',
          'Book an appointment to have electronic copies certified: pick the procedure, the agency, the type of paper, a day and a time.',
        )}
      </p>
      {booked ? (
        <div className="notice success" role="status" data-testid="booked">
          <strong>{t('Đặt lịch hẹn thành công.', 'Your appointment is booked.')}</strong>{' '}
          {t('Mã lịch hẹn: ', 'Appointment code: ')}
          <strong className="mono" data-testid="booked-code">
            {booked.code}
          </strong>
          <br />
          {booked.unit.name}, {slotText(booked.slot, t)} — {booked.paperType}.{' '}
          {t('Tin nhắn xác nhận đã được gửi tới số điện thoại của anh/chị. Khi đến, hãy đọc mã lịch hẹn cho cán bộ tiếp nhận.', 'A confirmation SMS was sent to your phone. Give the code at the desk.')}{' '}
          <a href="#/portal/appointments">{t('Xem lịch hẹn của tôi', 'See my appointments')}</a>
        </div>
      ) : null}
      <Problem problem={loadProblem} />
      <form className="card" onSubmit={submit} noValidate>
        <fieldset className="choices">
          <legend className="field-label">
            {t('Thủ tục', 'Procedure')}
            <span className="required"> *</span>
          </legend>
          {(['vn', 'foreign'] as const).map((p) => (
            <label key={p} className="choice" title={procedureText(p, t)}>
              <input type="radio" name="procedure" value={p} checked={procedure === p} onChange={() => setProcedure(p)} />
              {p === 'vn'
                ? t('Chứng thực bản sao từ bản chính giấy tờ do cơ quan Việt Nam cấp', 'Certified copies of papers issued in Viet Nam')
                : t('Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp', 'Certified copies of papers issued abroad')}
            </label>
          ))}
          {where.at('procedure') ? <span className="field-error">{where.at('procedure')}</span> : null}
        </fieldset>
        <div className="ap-tree">
          <Field label={t('Tỉnh / Thành phố', 'Province / City')} required>
            <Select name="province" value={provinceId} disabled={!procedure} onChange={(e) => (setProvinceId(e.target.value), setDistrictId(''), setUnitId(''))}>
              <option value="">{t('— Chọn —', '— Choose —')}</option>
              {provinces.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Quận / Huyện', 'District')} required>
            <Select name="district" value={districtId} disabled={!provinceId} onChange={(e) => (setDistrictId(e.target.value), setUnitId(''))}>
              <option value="">{t('— Chọn —', '— Choose —')}</option>
              {districts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Cơ quan thực hiện', 'Agency')} required error={where.at('unitId')} hint={t('UBND xã, phường hoặc Phòng Tư pháp huyện', 'Commune office or the district’s Justice office')}>
            <Select name="agency" value={unitId} disabled={!districtId} onChange={(e) => setUnitId(e.target.value)}>
              <option value="">{t('— Chọn cơ quan —', '— Choose the agency —')}</option>
              {offices.map((a) => (
                <option key={a.id} value={a.id}>
                  {agencyName(a, t)}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <div className="row">
          <Field label={t('Loại giấy tờ', 'Type of paper')} required error={where.at('paperType')}>
            <Select name="paperType" value={paperType} disabled={!unitId} onChange={(e) => setPaperType(e.target.value)}>
              <option value="">{t('— Chọn loại giấy tờ —', '— Choose the type —')}</option>
              {paperTypes.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Ngày hẹn', 'Day')} required error={badDay ? t('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy', 'Not a date: type dd/mm/yyyy') : undefined}>
            <DateInput name="day" aria-label={t('Ngày hẹn', 'Day')} value={day} onChange={setDay} onInvalid={setBadDay} />
          </Field>
        </div>
        <div className={`field${where.at('slotStart') ? ' has-error' : ''}`}>
          <span className="field-label">
            {t('Giờ hẹn', 'Time')}
            <span className="required"> *</span>
          </span>
          {!unitId ? (
            <span className="field-hint">{t('Chọn cơ quan để xem các khung giờ.', 'Choose the agency to see its times.')}</span>
          ) : slots ? (
            <SlotPicker slots={slots.slots} capacity={slots.capacity} value={slotStart} onChange={setSlotStart} />
          ) : null}
          {where.at('slotStart') ? (
            <span className="field-error" role="alert">
              {where.at('slotStart')}
            </span>
          ) : null}
        </div>
        <Problem problem={where.banner} />
        <Button type="submit" busy={busy} name="book" disabled={!procedure || !unitId || !paperType || !slotStart}>
          {t('Đặt lịch hẹn', 'Book')}
        </Button>
        {chosenSlot ? <span className="field-hint"> {t(`Giờ đã chọn: ${slotText(chosenSlot, t)}`, `Chosen: ${slotText(chosenSlot, t)}`)}</span> : null}
      </form>
    </Page>
  );
}
