/**
 * "Quản lý người dùng" (seed 000 part B step 1): search officers by name, phone, ID number, status
 * and unit. When no active officer matches but inactive ones do, the answer says so and lists
 * them, so the administrator reactivates an account instead of adding a second one.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { place } from '../portal/problemAt';
import { type OfficerView, unitOption, useUnits, withDepth } from './adminData';
import { OfficerTable } from './OfficerTable';

interface SearchAnswer {
  items: OfficerView[];
  total: number;
  page: number;
  pageSize: number;
  notice?: { code: string; message: string; messageEn: string };
  inactiveTotal?: number;
  inactiveMatches?: OfficerView[];
}

const FILTERS = ['name', 'phone', 'citizenId', 'status', 'unitId'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

export function Users() {
  const { t } = useI18n();
  const { units } = useUnits();
  const [filters, setFilters] = useState<Filters>({ name: '', phone: '', citizenId: '', status: 'active', unitId: '' });
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const { busy, problem, run } = useAction();
  const where = place(problem, [...FILTERS], t);

  const search = useCallback(
    (f: Filters) =>
      run(async () => {
        const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v.trim() !== ''));
        q.set('pageSize', '100');
        setAnswer(await api<SearchAnswer>('GET', `/api/admin/users?${q.toString()}`));
      }),
    [run],
  );
  useEffect(() => {
    void search({ name: '', phone: '', citizenId: '', status: 'active', unitId: '' });
  }, [search]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void search(filters);
  }
  const set = (k: keyof Filters, v: string) => setFilters({ ...filters, [k]: v });

  return (
    <Page
      title={t('Quản lý người dùng', 'Users')}
      actions={
        <a className="btn btn-primary" href="#/admin/users/new">
          {t('Thêm người dùng', 'Add a user')}
        </a>
      }
    >
      <form className="card filters" onSubmit={submit}>
        <div className="row">
          <Field label={t('Họ và tên', 'Full name')} error={where.at('name')}>
            <TextInput name="name" value={filters.name} onChange={(e) => set('name', e.target.value)} />
          </Field>
          <Field label={t('Số điện thoại', 'Phone')} error={where.at('phone')}>
            <TextInput name="phone" value={filters.phone} onChange={(e) => set('phone', e.target.value)} />
          </Field>
          <Field label={t('Số CMND/CCCD', 'ID number')} error={where.at('citizenId')}>
            <TextInput name="citizenId" value={filters.citizenId} onChange={(e) => set('citizenId', e.target.value)} />
          </Field>
        </div>
        <div className="row">
          <Field label={t('Trạng thái', 'Status')} error={where.at('status')}>
            <Select name="status" value={filters.status} onChange={(e) => set('status', e.target.value)}>
              <option value="active">{t('Hoạt động', 'Active')}</option>
              <option value="inactive">{t('Không kích hoạt', 'Inactive')}</option>
              <option value="all">{t('Tất cả', 'All')}</option>
            </Select>
          </Field>
          <Field label={t('Đơn vị', 'Unit')} error={where.at('unitId')}>
            <Select name="unitId" value={filters.unitId} onChange={(e) => set('unitId', e.target.value)}>
              <option value="">{t('— Tất cả đơn vị —', '— All units —')}</option>
              {withDepth(units).map((u) => (
                <option key={u.id} value={u.id}>
                  {unitOption(u)}
                </option>
              ))}
            </Select>
          </Field>
          <div className="field filter-actions">
            <Button type="submit" busy={busy} name="search">
              {t('Tìm kiếm', 'Search')}
            </Button>
          </div>
        </div>
      </form>
      <Problem problem={where.banner} />
      {answer ? (
        <>
          {answer.notice ? (
            <div className="notice warning" role="status" data-code={answer.notice.code}>
              {t(answer.notice.message, answer.notice.messageEn)}
            </div>
          ) : null}
          {answer.items.length > 0 ? (
            <>
              <p className="field-hint">{t(`Tìm thấy ${answer.total} người dùng.`, `${answer.total} user(s) found.`)}</p>
              <OfficerTable officers={answer.items} testId="users" />
            </>
          ) : !answer.notice ? (
            <p className="empty">{t('Không tìm thấy người dùng phù hợp. Có thể thêm mới người dùng.', 'No user matches; you may add one.')}</p>
          ) : null}
          {answer.inactiveMatches && answer.inactiveMatches.length > 0 ? (
            <>
              <h2 className="section-title">{t('Người dùng đã ngừng hoạt động phù hợp', 'Inactive users who match')}</h2>
              <OfficerTable officers={answer.inactiveMatches} testId="inactive-users" />
            </>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
