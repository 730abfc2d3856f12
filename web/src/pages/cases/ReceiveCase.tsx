/**
 * Receiving a request for certified copies (step 2): the unit, the citizen (typed, or filled from
 * his portal account), the originals with the fee computed as they are typed, the deadlines the
 * case would get, and the scan — uploaded with its progress and shown before the case is saved.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../../api';
import { Button, Field, fieldError, Page, Problem, TextInput, UnitSelect } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { vnd } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { go } from '../../router';
import { DuePreview } from './DuePreview';
import { documentsBody, feeOf, type OriginalRow } from './feePreview';
import { dayMonthYearFromIso, isoFromDayMonthYear } from './dayMonthYear';
import { bannerProblem } from './formProblems';
import { EMPTY_ORIGINAL, OriginalsEditor } from './OriginalsEditor';
import { ScanUpload } from './ScanUpload';
import type { CaseView, UploadedFile } from './types';
import { FromAppointment } from '../appointments/FromAppointment';
import type { AppointmentView } from '../appointments/types';

interface CitizenForm {
  fullName: string;
  citizenId: string;
  /** As typed: dd/mm/yyyy. */
  birthDate: string;
  phone: string;
  email: string;
}

const EMPTY_CITIZEN: CitizenForm = { fullName: '', citizenId: '', birthDate: '', phone: '', email: '' };

const FORM_FIELDS = /^(unitId|appointmentCode|complex|complexReason|scanFileId|documents(\.\d+\.(type|issuer|pages|copies))?|citizen\.(fullName|citizenId|birthDate|phone|email))$/;

/** `appointmentCode`: opened from the schedule's "Tiếp nhận hồ sơ", the form starts from that appointment. */
export function ReceiveCase({ appointmentCode }: { appointmentCode?: string } = {}) {
  const { t } = useI18n();
  const { officer } = useOfficer();
  // A reception is the commune's: at the commune itself or at its one-stop desk.
  const units = (officer?.units ?? []).filter((u) => u.level === 'commune' || u.oneStop);
  const choices = units.length > 0 ? units : officer?.units ?? [];
  const [unitId, setUnitId] = useState(choices[0]?.id ?? '');
  const [citizen, setCitizen] = useState<CitizenForm>(EMPTY_CITIZEN);
  /** What the portal lookup said: the form was filled (and what contact the account has, masked), or why not. */
  const [portal, setPortal] = useState<{ text?: string; contact?: string; problem?: unknown } | null>(null);
  const [rows, setRows] = useState<OriginalRow[]>([{ ...EMPTY_ORIGINAL }]);
  const [complex, setComplex] = useState(false);
  const [complexReason, setComplexReason] = useState('');
  const [scan, setScan] = useState<UploadedFile | null>(null);
  const [appointment, setAppointment] = useState<AppointmentView | null>(null);
  const { busy, problem, setProblem, run } = useAction();
  /** What the form itself can tell before asking the API (the date's form). */
  const [ownErrors, setOwnErrors] = useState<Record<string, string>>({});

  const setField = (key: keyof CitizenForm) => (e: { target: { value: string } }) => setCitizen({ ...citizen, [key]: e.target.value });

  /** The appointment's citizen and paper type fill the form; what the officer typed elsewhere stays. */
  function fillFromAppointment(view: AppointmentView | null) {
    setAppointment(view);
    if (!view) return;
    if (view.unit.id && choices.some((u) => u.id === view.unit.id)) setUnitId(view.unit.id);
    const c = view.citizen;
    if (c) {
      setCitizen((now) => ({
        fullName: c.fullName,
        citizenId: c.idNumber,
        birthDate: c.birthDate ? dayMonthYearFromIso(c.birthDate) : now.birthDate,
        phone: c.phone ?? now.phone,
        email: c.email ?? now.email,
      }));
    }
    setRows((now) => (now.length === 1 && !now[0]!.type.trim() ? [{ ...now[0]!, type: view.paperType }] : now.some((r) => r.type === view.paperType) ? now : [...now, { ...EMPTY_ORIGINAL, type: view.paperType }]));
  }

  async function fillFromPortal() {
    setPortal(null);
    try {
      // The lookup gives no phone or e-mail, only masked hints to confirm with the citizen: what is typed stays.
      const r = await api<{ citizen: { fullName: string; citizenId: string; birthDate: string | null }; portalAccount: { phoneHint: string | null; emailHint: string | null } }>(
        'GET',
        `/api/reception/citizen?idNumber=${encodeURIComponent(citizen.citizenId)}`,
      );
      setCitizen({
        ...citizen,
        fullName: r.citizen.fullName,
        citizenId: r.citizen.citizenId,
        birthDate: r.citizen.birthDate ? dayMonthYearFromIso(r.citizen.birthDate) : citizen.birthDate,
      });
      const { phoneHint, emailHint } = r.portalAccount;
      setPortal({
        text: t('Đã điền theo tài khoản cổng dịch vụ công của công dân; bản sao sẽ được gửi vào tài khoản này.', 'Filled from the citizen’s portal account; the copy will be delivered there.'),
        contact: t(
          `Tài khoản có số điện thoại ${phoneHint ?? '(không có)'} và thư điện tử ${emailHint ?? '(không có)'}: hỏi công dân nếu muốn nhận tin nhắn, thư điện tử ở địa chỉ khác. Để trống thư điện tử thì bản sao điện tử gửi tới thư điện tử của tài khoản.`,
          `The account has phone ${phoneHint ?? '(none)'} and e-mail ${emailHint ?? '(none)'}: ask the citizen for others if wanted. With no e-mail typed, the copy goes to the account's e-mail.`,
        ),
      });
    } catch (err) {
      setPortal({ problem: err });
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const birthDate = isoFromDayMonthYear(citizen.birthDate);
    if (birthDate === null) {
      setOwnErrors({
        'citizen.birthDate': citizen.birthDate.trim()
          ? t('Ngày sinh phải là ngày có thật, ghi theo dạng ngày/tháng/năm, ví dụ 12/05/1990.', 'The date of birth must be a real date as dd/mm/yyyy, e.g. 12/05/1990.')
          : t('Chưa nhập ngày sinh.', 'The date of birth is missing.'),
      });
      return;
    }
    setOwnErrors({});
    void run(async () => {
      const view = await api<CaseView>('POST', '/api/cases', {
        body: {
          unitId,
          citizen: { fullName: citizen.fullName, citizenId: citizen.citizenId, birthDate, phone: citizen.phone, email: citizen.email },
          documents: documentsBody(rows),
          complex,
          ...(complex ? { complexReason } : {}),
          ...(scan ? { scanFileId: scan.fileId } : {}),
          ...(appointment ? { appointmentCode: appointment.code } : {}),
        },
      });
      go('cases', view.caseCode);
    });
  }

  const err = (field: string) => ownErrors[field] ?? fieldError(problem, field);
  const portalError = portal?.problem instanceof ApiProblem ? (portal.problem.fieldProblem('idNumber') ?? t(portal.problem.vi, portal.problem.en)) : portal?.problem ? t('Không đọc được tài khoản công dân.', 'The citizen’s account could not be read.') : undefined;
  const fee = feeOf(rows);

  return (
    <Page title={t('Tiếp nhận hồ sơ chứng thực bản sao', 'Receive a certification request')}>
      <form className="cs-receive-form" onSubmit={submit} noValidate>
        <div className="cs-receive-main">
          <section className="card">
            <Field label={t('Đơn vị tiếp nhận', 'Receiving unit')} required error={err('unitId')}>
              <UnitSelect units={choices} value={unitId} onChange={setUnitId} />
            </Field>
          </section>
          <FromAppointment unitId={unitId} initialCode={appointmentCode} chosen={appointment} onChosen={fillFromAppointment} error={err('appointmentCode')} />
          <section className="card">
            <h2>{t('Người yêu cầu chứng thực', 'Requester')}</h2>
            <div className="row">
              <Field label={t('Số CCCD', 'ID number (CCCD)')} required error={err('citizen.citizenId') ?? portalError} hint={portal?.text}>
                <TextInput name="citizenId" inputMode="numeric" maxLength={12} value={citizen.citizenId} onChange={setField('citizenId')} />
              </Field>
              <div className="field cs-field-button">
                <Button kind="secondary" onClick={() => void fillFromPortal()} disabled={citizen.citizenId.trim().length < 9}>
                  {t('Lấy từ tài khoản công dân', 'Fill from the citizen’s account')}
                </Button>
              </div>
            </div>
            <div className="row">
              <Field label={t('Họ và tên', 'Full name')} required error={err('citizen.fullName')}>
                <TextInput name="fullName" value={citizen.fullName} onChange={setField('fullName')} />
              </Field>
              <Field label={t('Ngày sinh', 'Date of birth')} required error={err('citizen.birthDate')}>
                <TextInput name="birthDate" placeholder={t('ngày/tháng/năm', 'dd/mm/yyyy')} inputMode="numeric" maxLength={10} value={citizen.birthDate} onChange={setField('birthDate')} />
              </Field>
            </div>
            <div className="row">
              <Field label={t('Số điện thoại', 'Phone')} error={err('citizen.phone')}>
                <TextInput name="phone" type="tel" value={citizen.phone} onChange={setField('phone')} />
              </Field>
              <Field label={t('Thư điện tử', 'E-mail')} error={err('citizen.email')} hint={t('Bản sao điện tử được gửi tới địa chỉ này.', 'The electronic copy is sent here.')}>
                <TextInput name="email" type="email" value={citizen.email} onChange={setField('email')} />
              </Field>
            </div>
            {portal?.contact ? (
              <p className="field-hint" data-testid="portal-contact">
                {portal.contact}
              </p>
            ) : null}
          </section>
          <section className="card">
            <OriginalsEditor rows={rows} onChange={setRows} problem={problem} />
            <label className="cs-checkbox">
              <input type="checkbox" checked={complex} onChange={(e) => setComplex(e.target.checked)} />
              {t('Hồ sơ phức tạp hoặc nhiều giấy tờ (thời hạn tiếp nhận 16 giờ làm việc)', 'Complex or numerous documents (16 working hours for reception)')}
            </label>
            {complex ? (
              <Field
                label={t('Lý do hồ sơ phức tạp', 'Why the case is complex')}
                required
                error={err('complexReason')}
                hint={t('Hạn trả kết quả được gia hạn tương ứng (tối đa 2 ngày làm việc) và ghi trên giấy tiếp nhận.', 'The overall deadline is extended to fit (at most 2 working days) and printed on the receipt.')}
              >
                <TextInput name="complexReason" value={complexReason} onChange={(e) => setComplexReason(e.target.value)} />
              </Field>
            ) : null}
            {err('complex') ? (
              <span className="field-error" role="alert">
                {err('complex')}
              </span>
            ) : null}
          </section>
        </div>
        <aside className="cs-receive-side">
          <section className="card">
            <ScanUpload
              label={t('Bản quét bản chính (PDF, JPEG, PNG)', 'Scan of the original (PDF, JPEG, PNG)')}
              onUploaded={setScan}
              error={err('scanFileId')}
              hint={t('Có thể đính kèm sau, trước khi trình ký.', 'May be attached later, before submitting.')}
            />
          </section>
          <section className="card">
            <DuePreview unitId={unitId} complex={complex} />
            <p className="cs-fee-line">
              {t('Lệ phí phải nộp', 'Fee to pay')}: <strong data-testid="fee-summary">{vnd(fee.totalVnd)}</strong>
            </p>
          </section>
          <Problem problem={bannerProblem(problem, (f) => FORM_FIELDS.test(f))} />
          <Button type="submit" busy={busy} name="receive">
            {t('Tiếp nhận hồ sơ', 'Receive the case')}
          </Button>
        </aside>
      </form>
    </Page>
  );
}
