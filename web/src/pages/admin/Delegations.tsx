/**
 * Signing delegations (CERT_SIGN): a leader lets an officer of his unit — typically the công chức
 * Tư pháp – Hộ tịch — sign certified copies for a period, with a reason; the list keeps who
 * delegated to whom and when, and a delegation may be revoked early. The delegate is picked by
 * name among the unit's officers, and the form shows the signature block copies signed under the
 * delegation will carry (KT. for a deputy leader, TUQ. for anyone else).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { formLabel, signatureBlockLines, type DelegatedSignature } from '../../../../domain/signatureBlock';
import { DateTimeInput } from '../../components/DateInput';
import { Button, Field, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { place } from '../portal/problemAt';
import { unitOption, useUnits, withDepth } from './adminData';

interface Person {
  id: string;
  username: string;
  fullName: string;
}

interface Delegation {
  id: string;
  unit: { id: string; code: string; name: string };
  fromOfficer: Person;
  toOfficer: Person;
  validFrom: string;
  validTo: string;
  reason: string;
  createdAt: string;
  revokedAt: string | null;
  status: 'scheduled' | 'active' | 'expired' | 'revoked';
  signature: DelegatedSignature;
}

/** An officer the leader may delegate to (GET /api/delegations/candidates). */
interface Candidate extends Person {
  jobTitle: string | null;
  units: string[];
  signature: DelegatedSignature;
}

const STATUSES: Array<{ key: string; vi: string; en: string }> = [
  { key: 'all', vi: 'Tất cả', en: 'All' },
  { key: 'active', vi: 'Đang hiệu lực', en: 'Active' },
  { key: 'scheduled', vi: 'Chưa bắt đầu', en: 'Scheduled' },
  { key: 'expired', vi: 'Hết hạn', en: 'Expired' },
  { key: 'revoked', vi: 'Đã thu hồi', en: 'Revoked' },
];

/** A YYYY-MM-DDTHH:mm value (Hà Nội time, as the officer types it) as an ISO instant. */
const vnInstant = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+07:00` : '');

/** The lines a copy signed under the delegation will carry above the signature. */
function BlockPreview({ signature }: { signature: DelegatedSignature }) {
  const { t } = useI18n();
  const [form, title] = signatureBlockLines(signature);
  return (
    <div className="notice small" data-testid="block-preview">
      {t('Khối chữ ký trên bản sao ký theo ủy quyền:', 'Signature block of copies signed under this delegation:')}{' '}
      <strong>{form}</strong> / <strong>{title}</strong>
      <span className="field-hint">
        {' '}
        {signature.form === 'KT'
          ? t('(ký thay: người được ủy quyền là cấp phó của người đứng đầu)', '(KT.: the delegate is a deputy of the head)')
          : t('(thừa ủy quyền: chức danh lấy theo người được ủy quyền; sửa chức danh ở mục Quản trị › Người dùng)', '(TUQ.: the title is the delegate’s own; edit it under Administration › Users)')}
      </span>
    </div>
  );
}

function DelegationForm({ onSaved }: { onSaved(): void }) {
  const { t } = useI18n();
  const { units } = useUnits();
  const [form, setForm] = useState({ unitId: '', toOfficerId: '', validFrom: '', validTo: '', reason: '' });
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [badTime, setBadTime] = useState({ validFrom: false, validTo: false });
  const notATime = t('Không hợp lệ, nhập theo dạng dd/mm/yyyy giờ:phút, ví dụ 23/11/2026 08:00', 'Not valid: type dd/mm/yyyy HH:mm, e.g. 23/11/2026 08:00');
  const { busy, problem, run } = useAction();
  const where = place(problem, ['unitId', 'toOfficerId', 'validFrom', 'validTo', 'reason'], t, {
    DELEGATE_NOT_IN_UNIT: 'toOfficerId',
    DELEGATE_INACTIVE: 'toOfficerId',
    DELEGATION_TO_SELF: 'toOfficerId',
    DELEGATION_BACKDATED: 'validFrom',
  });

  useEffect(() => {
    // The unit's active officers (and those of the units below it), by name, as the API allows a leader to see them.
    if (!form.unitId) {
      setCandidates(null);
      return;
    }
    let live = true;
    api<{ items: Candidate[] }>('GET', `/api/delegations/candidates?unitId=${encodeURIComponent(form.unitId)}`)
      .then((r) => live && setCandidates(r.items))
      .catch(() => live && setCandidates([]));
    return () => {
      live = false;
    };
  }, [form.unitId]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/api/delegations', { body: { ...form, validFrom: vnInstant(form.validFrom), validTo: vnInstant(form.validTo) } });
      setForm({ ...form, toOfficerId: '', reason: '' });
      onSaved();
    });
  }

  const chosen = candidates?.find((c) => c.id === form.toOfficerId);
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2 className="section-title">{t('Ủy quyền ký mới', 'New signing delegation')}</h2>
      <div className="row">
        <Field label={t('Đơn vị', 'Unit')} required error={where.at('unitId')}>
          <Select name="unitId" value={form.unitId} onChange={(e) => setForm({ ...form, unitId: e.target.value, toOfficerId: '' })}>
            <option value="">{t('— Chọn đơn vị —', '— Pick a unit —')}</option>
            {withDepth(units).map((u) => (
              <option key={u.id} value={u.id}>
                {unitOption(u)}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label={t('Người được ủy quyền', 'Delegate')}
          required
          error={where.at('toOfficerId')}
          hint={candidates && candidates.length === 0 ? t('Đơn vị này không có công chức nào khác đang hoạt động.', 'This unit has no other active officer.') : undefined}
        >
          <Select name="toOfficerId" value={form.toOfficerId} disabled={!candidates || candidates.length === 0} onChange={(e) => setForm({ ...form, toOfficerId: e.target.value })}>
            <option value="">{form.unitId ? t('— Chọn công chức theo tên —', '— Pick an officer by name —') : t('— Chọn đơn vị trước —', '— Pick the unit first —')}</option>
            {(candidates ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.fullName} ({c.username}) — {c.jobTitle ?? t('chưa ghi chức danh', 'no job title')} · {formLabel(c.signature)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {chosen ? <BlockPreview signature={chosen.signature} /> : null}
      <div className="row">
        <Field label={t('Từ', 'From')} required error={badTime.validFrom ? notATime : where.at('validFrom')}>
          <DateTimeInput name="validFrom" value={form.validFrom} onChange={(v) => setForm((f) => ({ ...f, validFrom: v }))} onInvalid={(bad) => setBadTime((b) => ({ ...b, validFrom: bad }))} />
        </Field>
        <Field label={t('Đến', 'Until')} required error={badTime.validTo ? notATime : where.at('validTo')} hint={t('Tối đa 1 năm', 'At most one year')}>
          <DateTimeInput name="validTo" value={form.validTo} onChange={(v) => setForm((f) => ({ ...f, validTo: v }))} onInvalid={(bad) => setBadTime((b) => ({ ...b, validTo: bad }))} />
        </Field>
      </div>
      <Field label={t('Lý do ủy quyền', 'Reason')} required error={where.at('reason')}>
        <TextInput name="reason" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
      </Field>
      <Problem problem={where.banner} />
      <Button type="submit" busy={busy} name="delegate">
        {t('Ủy quyền', 'Delegate')}
      </Button>
    </form>
  );
}

export function Delegations() {
  const { t } = useI18n();
  const [status, setStatus] = useState('all');
  const [items, setItems] = useState<Delegation[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ items: Delegation[] }>('GET', `/api/delegations?status=${status}&pageSize=100`)
      .then((r) => setItems(r.items))
      .catch(setProblem);
  }, [status]);
  useEffect(load, [load]);

  async function revoke(d: Delegation) {
    setProblem(null);
    try {
      await api('DELETE', `/api/delegations/${d.id}`);
      load();
    } catch (err) {
      setProblem(err);
    }
  }

  const label = (s: string) => {
    const x = STATUSES.find((y) => y.key === s);
    return x ? t(x.vi, x.en) : s;
  };
  return (
    <Page
      title={t('Ủy quyền ký', 'Signing delegations')}
      actions={
        <Select name="status" aria-label={t('Trạng thái', 'Status')} value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => (
            <option key={s.key} value={s.key}>
              {t(s.vi, s.en)}
            </option>
          ))}
        </Select>
      }
    >
      <Problem problem={problem} />
      {items && items.length === 0 ? <p className="empty">{t('Chưa có ủy quyền ký nào.', 'No signing delegation yet.')}</p> : null}
      {items && items.length > 0 ? (
        <table className="grid static" data-testid="delegations">
          <thead>
            <tr>
              <th>{t('Đơn vị', 'Unit')}</th>
              <th>{t('Người ủy quyền', 'Delegated by')}</th>
              <th>{t('Người được ủy quyền', 'Delegate')}</th>
              <th>{t('Hình thức', 'Form')}</th>
              <th>{t('Thời hạn', 'Period')}</th>
              <th>{t('Lý do', 'Reason')}</th>
              <th>{t('Trạng thái', 'Status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} className={d.status === 'revoked' || d.status === 'expired' ? 'inactive' : ''}>
                <td>{d.unit.name}</td>
                <td>{d.fromOfficer.fullName}</td>
                <td>{d.toOfficer.fullName}</td>
                <td title={signatureBlockLines(d.signature).join(' / ')}>{formLabel(d.signature)}</td>
                <td>
                  {dateTime(d.validFrom)} → {dateTime(d.validTo)}
                </td>
                <td>{d.reason}</td>
                <td>
                  {label(d.status)}
                  {d.revokedAt ? ` ${dateTime(d.revokedAt)}` : ''}
                </td>
                <td className="actions">
                  {d.status === 'active' || d.status === 'scheduled' ? (
                    <Button kind="secondary" onClick={() => void revoke(d)}>
                      {t('Thu hồi', 'Revoke')}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <DelegationForm onSaved={load} />
    </Page>
  );
}
