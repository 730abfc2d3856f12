/**
 * A new citizen account at the desk (seed 000 part B step 1): the ID number is looked up first —
 * an existing account is told and nothing more can be done — then the citizen's data, the ID scan
 * and the officer's one-stop unit start the request, which continues on its own screen.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../../api';
import { Button, Field, fieldError, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date, dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { go } from '../../router';
import { DateInput } from '../../components/DateInput';
import { IdScanField } from './IdScanField';
import type { AccountRequestView, Lookup, OneStopUnit, UploadedScan } from './types';

/** The problem for the banner: only what no field of the form already shows. */
function unplaced(problem: unknown, placed: readonly string[]): unknown {
  if (!(problem instanceof ApiProblem) || problem.fields.length === 0) return problem;
  return problem.fields.every((f) => placed.includes(f.field)) ? null : problem;
}

const FORM_FIELDS = ['citizen.citizenId', 'citizen.fullName', 'citizen.birthDate', 'citizen.phone', 'citizen.email', 'unitId', 'idScanFileId'] as const;

function LookupStep(props: { onFound: (lookup: Lookup) => void }) {
  const { t } = useI18n();
  const [idNumber, setIdNumber] = useState('');
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const { busy, problem, run } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    setLookup(null);
    void run(async () => {
      const r = await api<Lookup>('GET', `/api/citizen-accounts/lookup?idNumber=${encodeURIComponent(idNumber.trim())}`);
      setLookup(r);
      if (!r.exists) props.onFound(r);
    });
  }

  return (
    <form className="card acc-lookup" onSubmit={submit}>
      <p className="acc-hint">
        {t(
          'Nhập số Căn cước công dân hoặc Chứng minh nhân dân (CCCD/CMND) rồi tra cứu tài khoản trên Hệ thống.',
          'Enter the citizen’s ID number (CCCD/CMND) and look the account up.',
        )}
      </p>
      <div className="acc-inline">
        <Field label={t('Số CMND/CCCD', 'ID number')} required error={fieldError(problem, 'idNumber')}>
          <TextInput name="lookupIdNumber" inputMode="numeric" maxLength={12} autoFocus value={idNumber} onChange={(e) => setIdNumber(e.target.value)} />
        </Field>
        <Button type="submit" busy={busy} name="lookup">
          {t('Tra cứu', 'Look up')}
        </Button>
      </div>
      <Problem problem={unplaced(problem, ['idNumber'])} />
      {lookup?.exists ? (
        <div className="problem" role="alert" data-testid="account-exists">
          {t(lookup.message, `An account already exists for ID number ${lookup.idNumber}: tell the citizen, none is created.`)}
          {lookup.account ? (
            <div className="acc-sub">
              {t('Tạo ngày', 'Created')} {date(lookup.account.createdAt)}
              {lookup.account.unitName ? ` — ${lookup.account.unitName}` : ''}.{' '}
              {t('Nếu công dân quên mật khẩu, hướng dẫn chọn “Quên mật khẩu”.', 'If the citizen forgot the password, point to “Forgot password”.')}
            </div>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

interface Draft {
  fullName: string;
  birthDate: string;
  phone: string;
  email: string;
  unitId: string;
}

function RequestForm(props: { lookup: Lookup; onRestart: () => void }) {
  const { t } = useI18n();
  const { officer } = useOfficer();
  const [draft, setDraft] = useState<Draft>({ fullName: '', birthDate: '', phone: '', email: '', unitId: '' });
  const [badBirthDate, setBadBirthDate] = useState(false);
  const [scan, setScan] = useState<UploadedScan | null>(null);
  const [units, setUnits] = useState<OneStopUnit[] | null>(null);
  const [unitProblem, setUnitProblem] = useState<ApiProblem | null>(null);
  const [officerPhone, setOfficerPhone] = useState<string | null>(null);
  const [openedAt] = useState(() => new Date());
  const { busy, problem, setProblem, run } = useAction();

  useEffect(() => {
    api<{ items: OneStopUnit[] }>('GET', '/api/me/one-stop-units')
      .then((r) => {
        setUnits(r.items);
        if (r.items.length === 1) setDraft((d) => ({ ...d, unitId: r.items[0]!.id }));
      })
      .catch((err: unknown) => setUnitProblem(err instanceof ApiProblem ? err : null));
    // The officer's phone, when the profile carries one, is what the request form will print.
    api<{ phone?: string | null }>('GET', '/api/auth/me')
      .then((me) => setOfficerPhone(me.phone ?? null))
      .catch(() => undefined);
  }, []);

  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (badBirthDate) return;
    void run(async () => {
      const body = {
        citizen: {
          citizenId: props.lookup.idNumber,
          fullName: draft.fullName,
          birthDate: draft.birthDate,
          phone: draft.phone,
          ...(draft.email.trim() ? { email: draft.email.trim() } : {}),
        },
        unitId: draft.unitId,
        idScanFileId: scan?.fileId ?? '',
      };
      const view = await api<AccountRequestView>('POST', '/api/citizen-accounts/requests', { body });
      go('accounts', 'requests', view.requestId);
    });
  }

  const scanError = fieldError(problem, 'idScanFileId');
  const unitError = unitProblem ? t(unitProblem.vi, unitProblem.en) : fieldError(problem, 'unitId');
  return (
    <form className="card acc-form" onSubmit={submit} aria-label={t('Tạo tài khoản công dân', 'New citizen account')}>
      {props.lookup.pendingRequests.length > 0 ? (
        <div className="notice" data-testid="pending-requests">
          {t('Đang có yêu cầu tạo tài khoản chưa kết thúc cho số này:', 'Requests under way for this number:')}
          <ul>
            {props.lookup.pendingRequests.map((r) => (
              <li key={r.requestId}>
                <a href={`#/accounts/requests/${r.requestId}`}>{r.requestId}</a> — {r.officerName}, {r.unitName}, {dateTime(r.startedAt)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="notice acc-ok">{t(`Chưa có tài khoản với số CCCD/CMND ${props.lookup.idNumber}: có thể tạo mới.`, `No account for ID number ${props.lookup.idNumber} yet: one may be created.`)}</div>
      <div className="acc-columns">
        <fieldset>
          <legend>{t('Thông tin công dân', 'Citizen')}</legend>
          <Field label={t('Số CMND/CCCD', 'ID number')} required error={fieldError(problem, 'citizen.citizenId')}>
            <div className="acc-inline">
              <TextInput name="citizenId" value={props.lookup.idNumber} readOnly />
              <button type="button" className="acc-link-button" onClick={props.onRestart}>
                {t('Tra cứu số khác', 'Look up another number')}
              </button>
            </div>
          </Field>
          <Field label={t('Họ và tên', 'Full name')} required error={fieldError(problem, 'citizen.fullName')}>
            <TextInput name="fullName" value={draft.fullName} onChange={(e) => set('fullName')(e.target.value)} />
          </Field>
          <Field
            label={t('Ngày sinh', 'Date of birth')}
            required
            error={badBirthDate ? t('Ngày sinh không hợp lệ, nhập theo dạng dd/mm/yyyy', 'Not a date: type dd/mm/yyyy') : fieldError(problem, 'citizen.birthDate')}
          >
            <DateInput name="birthDate" value={draft.birthDate} onChange={set('birthDate')} onInvalid={setBadBirthDate} />
          </Field>
          <Field
            label={t('Số điện thoại', 'Phone')}
            required
            hint={t('Số điện thoại của chính chủ tài khoản đang đăng ký', 'The citizen’s own mobile number')}
            error={fieldError(problem, 'citizen.phone')}
          >
            <TextInput name="phone" inputMode="tel" value={draft.phone} onChange={(e) => set('phone')(e.target.value)} />
          </Field>
          <Field label={t('Email', 'E-mail')} error={fieldError(problem, 'citizen.email')}>
            <TextInput name="email" type="email" value={draft.email} onChange={(e) => set('email')(e.target.value)} />
          </Field>
          <IdScanField value={scan} onChange={setScan} error={scanError} />
        </fieldset>
        <fieldset>
          <legend>{t('Thông tin cán bộ', 'Officer')}</legend>
          <Field label={t('Cán bộ', 'Officer')}>
            <TextInput name="officerName" value={officer?.fullName ?? ''} readOnly />
          </Field>
          <Field label={t('Số điện thoại cán bộ', 'Officer’s phone')}>
            <TextInput name="officerPhone" value={officerPhone ?? t('(theo hồ sơ cán bộ)', '(from the officer’s profile)')} readOnly />
          </Field>
          <Field label={t('Đơn vị', 'Unit')} required error={unitError}>
            <Select name="unitId" value={draft.unitId} disabled={!units || units.length === 0} onChange={(e) => set('unitId')(e.target.value)}>
              <option value="">{t('— Chọn Bộ phận Một cửa —', '— Choose the one-stop desk —')}</option>
              {(units ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Thời gian tạo', 'Created at')}>
            <TextInput name="createdAt" value={dateTime(openedAt)} readOnly />
          </Field>
        </fieldset>
      </div>
      <Problem problem={unplaced(problem, FORM_FIELDS)} />
      <div className="acc-actions">
        <Button type="submit" busy={busy} name="start-request" disabled={!!unitProblem}>
          {t('Lưu và tiếp tục', 'Save and continue')}
        </Button>
        <Button kind="secondary" onClick={() => go('accounts')}>
          {t('Quay lại', 'Back')}
        </Button>
      </div>
    </form>
  );
}

export function NewAccount() {
  const { t } = useI18n();
  const [lookup, setLookup] = useState<Lookup | null>(null);
  return (
    <Page title={t('Tạo tài khoản công dân', 'New citizen account')}>
      {lookup ? <RequestForm lookup={lookup} onRestart={() => setLookup(null)} /> : <LookupStep onFound={setLookup} />}
    </Page>
  );
}
