/**
 * "Tạo tài khoản công dân" (seed 000 part B step 1): the accounts opened at the desks of the
 * officer's units, searched by citizen, phone, ID number, creating officer, unit and dates, and
 * the way to open a new one.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Field, fieldError, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date, dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { go } from '../../router';
import { DateInput } from '../../components/DateInput';
import type { AccountRow } from './types';

interface Filters {
  name: string;
  phone: string;
  idNumber: string;
  officerId: string;
  unitId: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { name: '', phone: '', idNumber: '', officerId: '', unitId: '', from: '', to: '' };

interface ListAnswer {
  items: AccountRow[];
  total: number;
  message?: string;
}

/** The officers who opened accounts at these desks, as the first answer names them; the caller first. */
function officersOf(items: AccountRow[], me: { id: string; fullName: string } | null): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  if (me) seen.set(me.id, me.fullName);
  for (const a of items) if (!seen.has(a.officerId)) seen.set(a.officerId, a.officerName);
  return [...seen].map(([id, name]) => ({ id, name }));
}

export function AccountList() {
  const { t } = useI18n();
  const { officer } = useOfficer();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [badDate, setBadDate] = useState({ from: false, to: false });
  const [answer, setAnswer] = useState<ListAnswer | null>(null);
  const { busy, problem, run } = useAction();
  const [officers, setOfficers] = useState<Array<{ id: string; name: string }>>([]);
  const units = officer?.units ?? [];

  function search(f: Filters) {
    return run(async () => {
      const q = new URLSearchParams({ pageSize: '100' });
      for (const key of ['name', 'phone', 'idNumber', 'officerId', 'unitId', 'from', 'to'] as const) if (f[key].trim()) q.set(key, f[key].trim());
      const r = await api<ListAnswer>('GET', `/api/citizen-accounts?${q}`);
      setAnswer(r);
      if (f === EMPTY) setOfficers(officersOf(r.items, officer));
    });
  }

  useEffect(() => {
    void search(EMPTY);
  }, []);

  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!badDate.from && !badDate.to) void search(filters);
  };

  const count = answer?.total ?? 0;
  return (
    <Page
      title={t('Tạo tài khoản công dân', 'Citizen accounts')}
      actions={
        <Button onClick={() => go('accounts', 'new')} name="new-account">
          {t('Thêm mới', 'New account')}
        </Button>
      }
    >
      <p className="acc-hint">{t('Trang chủ / Tạo tài khoản công dân', 'Home / Citizen accounts')}</p>
      <form className="card acc-filters" onSubmit={submit} aria-label={t('Thông tin tìm kiếm', 'Search')}>
        <h2 className="acc-card-title">{t('Thông tin tìm kiếm:', 'Search:')}</h2>
        <div className="acc-filter-grid">
          <Field label={t('Tên công dân', 'Citizen name')}>
            <TextInput name="name" value={filters.name} onChange={(e) => set('name')(e.target.value)} />
          </Field>
          <Field label={t('Số điện thoại', 'Phone')} error={fieldError(problem, 'phone')}>
            <TextInput name="phone" inputMode="tel" value={filters.phone} onChange={(e) => set('phone')(e.target.value)} />
          </Field>
          <Field label={t('CMND/CCCD', 'ID number')} error={fieldError(problem, 'idNumber')}>
            <TextInput name="idNumber" inputMode="numeric" maxLength={12} value={filters.idNumber} onChange={(e) => set('idNumber')(e.target.value)} />
          </Field>
          <Field label={t('Cán bộ tạo', 'Created by')}>
            <Select name="officerId" value={filters.officerId} onChange={(e) => set('officerId')(e.target.value)}>
              <option value="">{t('— Tất cả —', '— All —')}</option>
              {officers.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Đơn vị tạo', 'Unit')}>
            <Select name="unitId" value={filters.unitId} onChange={(e) => set('unitId')(e.target.value)}>
              <option value="">{t('— Tất cả —', '— All —')}</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('Từ ngày', 'From')} error={badDate.from ? t('Ngày không hợp lệ (dd/mm/yyyy)', 'Not a date (dd/mm/yyyy)') : fieldError(problem, 'from')}>
            <DateInput name="from" value={filters.from} onChange={set('from')} onInvalid={(bad) => setBadDate((b) => ({ ...b, from: bad }))} />
          </Field>
          <Field label={t('Đến ngày', 'To')} error={badDate.to ? t('Ngày không hợp lệ (dd/mm/yyyy)', 'Not a date (dd/mm/yyyy)') : fieldError(problem, 'to')}>
            <DateInput name="to" value={filters.to} onChange={set('to')} onInvalid={(bad) => setBadDate((b) => ({ ...b, to: bad }))} />
          </Field>
        </div>
        <Button type="submit" busy={busy} name="search">
          {t('Tìm kiếm', 'Search')}
        </Button>
      </form>
      <Problem problem={problem} />
      <p className="acc-count">{t(`Tìm thấy ${count} kết quả`, `${count} found`)}</p>
      <table className="grid accounts-grid" aria-label={t('Danh sách tài khoản công dân', 'Citizen accounts')}>
        <thead>
          <tr>
            <th>{t('STT', 'No.')}</th>
            <th>{t('Tên công dân', 'Citizen name')}</th>
            <th>{t('CMND/CCCD', 'ID number')}</th>
            <th>{t('Số điện thoại', 'Phone')}</th>
            <th>{t('Cán bộ tạo', 'Created by')}</th>
            <th>{t('Đơn vị', 'Unit')}</th>
            <th>{t('Theo dõi', 'Tracking')}</th>
          </tr>
        </thead>
        <tbody>
          {answer && answer.items.length === 0 ? (
            <tr className="acc-empty">
              <td colSpan={7}>{t('Không tìm thấy tài khoản thỏa mãn các tiêu chí trên', 'No account matches these criteria')}</td>
            </tr>
          ) : null}
          {answer?.items.map((a, i) => (
            <tr key={a.accountId}>
              <td>{i + 1}</td>
              <td>
                {a.fullName}
                <div className="acc-sub">{t('Ngày sinh', 'Born')} {date(a.birthDate)}</div>
              </td>
              <td className="mono">{a.idNumber}</td>
              <td className="mono">{a.phone ?? '—'}</td>
              <td>{a.officerName}</td>
              <td>{a.unitName}</td>
              <td>
                {t('Tạo lúc', 'Created')} {dateTime(a.createdAt)}
                <div className="acc-sub">{a.mustChangePassword ? t('Chưa đổi mật khẩu tạm thời', 'Temporary password not changed yet') : t('Đã đổi mật khẩu', 'Password changed')}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
