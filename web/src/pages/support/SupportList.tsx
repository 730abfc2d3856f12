/**
 * "Danh sách yêu cầu hỗ trợ" (seed 003): the requests of the officer's units, newest first, searched
 * by the seed's fields — title, requesting unit, service group, requester, dates and status — with
 * each one's deadline (overdue ones in red) and the way to file a new one.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { Button, Field, fieldError, Page, Pager, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { go } from '../../router';
import { DueCell } from './DueCell';
import { statusClass, statusText } from './labels';
import type { SupportList as ListAnswer } from './types';
import { useScopeUnits, useSupportCatalog } from './useSupportData';
import './support.css';

interface Filters {
  title: string;
  unitId: string;
  serviceGroup: string;
  requester: string;
  from: string;
  to: string;
  status: string;
}

const EMPTY: Filters = { title: '', unitId: '', serviceGroup: '', requester: '', from: '', to: '', status: '' };
const PAGE_SIZE = 20;
const FILTER_FIELDS = Object.keys(EMPTY) as Array<keyof Filters>;

export function SupportList() {
  const { t } = useI18n();
  const { has } = useOfficer();
  const { catalog } = useSupportCatalog();
  const units = useScopeUnits();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [badDate, setBadDate] = useState({ from: false, to: false });
  const [page, setPage] = useState(1);
  const [answer, setAnswer] = useState<ListAnswer | null>(null);
  const { busy, problem, run } = useAction();
  const now = Date.now();

  function search(f: Filters, p: number) {
    return run(async () => {
      const q = new URLSearchParams({ page: String(p), pageSize: String(PAGE_SIZE) });
      for (const key of FILTER_FIELDS) if (f[key].trim()) q.set(key, f[key].trim());
      setAnswer(await api<ListAnswer>('GET', `/api/support/requests?${q}`));
      setPage(p);
    });
  }

  useEffect(() => {
    void search(EMPTY, 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (badDate.from || badDate.to) return;
    void search(filters, 1);
  };
  const set = (key: keyof Filters, value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const banner = fieldError(problem, 'from') || fieldError(problem, 'to') || fieldError(problem, 'title') || fieldError(problem, 'requester') ? null : problem;
  const pages = answer ? Math.max(1, Math.ceil(answer.total / answer.pageSize)) : 1;

  return (
    <Page
      title={t('Danh sách yêu cầu hỗ trợ', 'Support requests')}
      actions={
        has('SUPPORT_MANAGE') ? (
          <Button onClick={() => go('support', 'new')} name="add-support">
            {t('+ Thêm yêu cầu hỗ trợ', '+ New support request')}
          </Button>
        ) : null
      }
    >
      <form className="card sp-filters" onSubmit={submit} aria-label={t('Tìm kiếm yêu cầu hỗ trợ', 'Search support requests')}>
        <Field label={t('Tên yêu cầu hỗ trợ', 'Request title')} error={fieldError(problem, 'title')}>
          <TextInput name="title" value={filters.title} onChange={(e) => set('title', e.target.value)} />
        </Field>
        <Field label={t('Đơn vị yêu cầu', 'Requesting unit')} error={fieldError(problem, 'unitId')}>
          <Select name="unitId" value={filters.unitId} onChange={(e) => set('unitId', e.target.value)}>
            <option value="">{t('Tất cả', 'All')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('Nhóm dịch vụ', 'Service group')} error={fieldError(problem, 'serviceGroup')}>
          <Select name="serviceGroup" value={filters.serviceGroup} onChange={(e) => set('serviceGroup', e.target.value)}>
            <option value="">{t('Tất cả', 'All')}</option>
            {catalog?.groups.map((g) => (
              <option key={g.code} value={g.code}>
                {g.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('Người yêu cầu', 'Requester')} error={fieldError(problem, 'requester')}>
          <TextInput name="requester" value={filters.requester} onChange={(e) => set('requester', e.target.value)} />
        </Field>
        <Field label={t('Ngày yêu cầu từ ngày', 'Requested from')} error={badDate.from ? t('Ngày không hợp lệ (dd/mm/yyyy)', 'Not a date (dd/mm/yyyy)') : fieldError(problem, 'from')}>
          <DateInput name="from" aria-label={t('Ngày yêu cầu từ ngày', 'Requested from')} value={filters.from} onChange={(v) => set('from', v)} onInvalid={(bad) => setBadDate((b) => ({ ...b, from: bad }))} />
        </Field>
        <Field label={t('Đến ngày', 'To')} error={badDate.to ? t('Ngày không hợp lệ (dd/mm/yyyy)', 'Not a date (dd/mm/yyyy)') : fieldError(problem, 'to')}>
          <DateInput name="to" aria-label={t('Đến ngày', 'To')} value={filters.to} onChange={(v) => set('to', v)} onInvalid={(bad) => setBadDate((b) => ({ ...b, to: bad }))} />
        </Field>
        <Field label={t('Trạng thái yêu cầu', 'Status')} error={fieldError(problem, 'status')}>
          <Select name="status" value={filters.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">{t('Tất cả', 'All')}</option>
            {catalog?.statuses.map((s) => (
              <option key={s.code} value={s.code}>
                {statusText(s.code, t)}
              </option>
            ))}
          </Select>
        </Field>
        <div className="sp-filter-actions">
          <Button type="submit" busy={busy} name="search">
            <SearchIcon /> {t('Tìm kiếm', 'Search')}
          </Button>
        </div>
      </form>
      <Problem problem={banner} />
      {answer ? (
        <>
          <p className="acc-count" data-testid="support-count">
            {t(`Tìm thấy ${answer.total} kết quả`, `${answer.total} found`)}
          </p>
          {answer.items.length === 0 ? (
            <p className="empty">{t('Không có yêu cầu hỗ trợ nào.', 'No support request.')}</p>
          ) : (
            <table className="grid sp-table" data-testid="support-list">
              <thead>
                <tr>
                  <th className="cs-num">{t('STT', 'No.')}</th>
                  <th>{t('Tên yêu cầu hỗ trợ', 'Request title')}</th>
                  <th>{t('Người yêu cầu', 'Requester')}</th>
                  <th>{t('Thời gian yêu cầu', 'Requested at')}</th>
                  <th>{t('Hạn xử lý', 'Deadline')}</th>
                  <th>{t('Trạng thái', 'Status')}</th>
                  <th>{t('Thao tác', 'Action')}</th>
                </tr>
              </thead>
              <tbody>
                {answer.items.map((r, i) => (
                  <tr key={r.code} className={r.late ? 'sp-late-row' : ''} onClick={() => go('support', r.code)}>
                    <td className="cs-num">{(answer.page - 1) * answer.pageSize + i + 1}</td>
                    <td>
                      <div className="sp-title">{r.title}</div>
                      <div className="sp-sub">
                        <span className="mono">{r.code}</span> · {r.unit}
                      </div>
                    </td>
                    <td>{r.requester}</td>
                    <td className="sp-nowrap">{dateTime(r.requestedAt)}</td>
                    <td className="sp-nowrap">
                      <DueCell item={r} now={now} />
                    </td>
                    <td>
                      <span className={statusClass(r.status)}>{statusText(r.status, t)}</span>
                    </td>
                    <td>
                      <a href={`#/support/${encodeURIComponent(r.code)}`} onClick={(e) => e.stopPropagation()}>
                        {t('Xem chi tiết', 'Details')}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager page={page} pages={pages} onPage={(p) => void search(filters, p)} />
        </>
      ) : null}
    </Page>
  );
}

/** Drawn inline: office machines often have no emoji font. */
function SearchIcon() {
  return (
    <svg className="sp-icon" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.5" aria-hidden="true">
      <circle cx="11" cy="11" r="7" />
      <path d="M20 20l-4-4" />
    </svg>
  );
}
