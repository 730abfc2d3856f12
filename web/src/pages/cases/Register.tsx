/**
 * The register of certification numbers (sổ chứng thực) of a commune and year: every number in
 * order, with its case and signer (and who delegated, for a copy signed under a delegation); and,
 * on its second tab, the commune's fee receipts of that year.
 */
import { useEffect, useState } from 'react';
import { formLabel } from '../../../../domain/signatureBlock';
import { api } from '../../api';
import { Field, Page, Problem, Select, UnitSelect, Pager } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { FeeReceiptRegister } from './FeeReceiptRegister';
import { label, STATUS } from './labels';
import type { SignatureView } from './types';

interface UnitItem {
  id: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
  oneStop: boolean;
}

interface RegisterLine {
  seq: number;
  number: string;
  caseCode: string;
  citizenName: string | null;
  caseStatus: string | null;
  signer: { fullName: string; delegation?: SignatureView['delegation'] } | null;
  sealedAt: string;
  assignedAt: string;
}

interface RegisterView {
  unit: { id: string; code: string; name: string };
  year: number;
  /** Years with a book for the commune. */
  years: number[];
  book: string;
  total: number;
  page: number;
  pageSize: number;
  items: RegisterLine[];
}

const PAGE_SIZE = 50;

/** Communes of the officer's scope, and the one-stop desks that stand for a commune he does not see otherwise. */
function registerUnits(units: UnitItem[]): UnitItem[] {
  const communes = units.filter((u) => u.level === 'commune');
  const seen = new Set(communes.map((c) => c.id));
  return [...communes, ...units.filter((u) => u.oneStop && u.parentId !== null && !seen.has(u.parentId))];
}

export function Register() {
  const { t } = useI18n();
  const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));
  const [units, setUnits] = useState<UnitItem[] | null>(null);
  const [unitId, setUnitId] = useState('');
  const [year, setYear] = useState(thisYear);
  const [pageNo, setPageNo] = useState(1);
  const [register, setRegister] = useState<RegisterView | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [tab, setTab] = useState<'numbers' | 'receipts'>('numbers');
  const [receiptYears, setReceiptYears] = useState<number[]>([]);

  useEffect(() => {
    api<{ items: UnitItem[] }>('GET', '/api/units')
      .then((r) => {
        const list = registerUnits(r.items);
        setUnits(list);
        setUnitId((id) => id || list[0]?.id || '');
      })
      .catch(setProblem);
  }, []);

  useEffect(() => {
    if (!unitId) return;
    setProblem(null);
    api<RegisterView>('GET', `/api/register?unitId=${encodeURIComponent(unitId)}&year=${year}&page=${pageNo}&pageSize=${PAGE_SIZE}`)
      .then(setRegister)
      .catch((err: unknown) => {
        setRegister(null);
        setProblem(err);
      });
  }, [unitId, year, pageNo]);

  const pages = register ? Math.max(1, Math.ceil(register.total / register.pageSize)) : 1;
  return (
    <Page title={t('Sổ chứng thực bản sao điện tử', 'Register of certification numbers')}>
      <div className="card filters row">
        <Field label={t('Đơn vị', 'Unit')}>
          <UnitSelect
            units={units ?? []}
            value={unitId}
            onChange={(id) => {
              setUnitId(id);
              setPageNo(1);
            }}
          />
        </Field>
        <Field label={t('Năm', 'Year')}>
          <Select
            name="year"
            value={String(year)}
            onChange={(e) => {
              setYear(Number(e.target.value));
              setPageNo(1);
            }}
          >
            {[...new Set([thisYear, year, ...(register?.years ?? []), ...receiptYears])].sort((a, b) => b - a).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="tabs" role="tablist" aria-label={t('Sổ', 'Register')}>
        <button type="button" role="tab" aria-selected={tab === 'numbers'} className={tab === 'numbers' ? 'active' : ''} onClick={() => setTab('numbers')}>
          {t('Số chứng thực', 'Certification numbers')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'receipts'} className={tab === 'receipts' ? 'active' : ''} onClick={() => setTab('receipts')}>
          {t('Biên lai thu phí', 'Fee receipts')}
        </button>
      </div>
      <Problem problem={problem} />
      {units && units.length === 0 ? <p className="empty">{t('Anh/chị không được giao xã nào có sổ chứng thực.', 'None of your units keeps a register.')}</p> : null}
      {tab === 'receipts' && unitId ? <FeeReceiptRegister unitId={unitId} year={year} onYears={setReceiptYears} /> : null}
      {tab === 'numbers' && register ? (
        <>
          <p>
            {t(`${register.unit.name} — sổ ${register.book}, năm ${register.year}: đã cấp ${register.total} số.`, `${register.unit.name} — book ${register.book}, ${register.year}: ${register.total} numbers issued.`)}
          </p>
          {register.items.length === 0 ? (
            <p className="empty">{t('Chưa cấp số chứng thực nào trong năm này.', 'No number issued this year.')}</p>
          ) : (
            <table className="grid" data-testid="register">
              <thead>
                <tr>
                  <th className="cs-num">{t('STT', 'No.')}</th>
                  <th>{t('Số chứng thực', 'Certification number')}</th>
                  <th>{t('Mã hồ sơ', 'Case')}</th>
                  <th>{t('Người yêu cầu', 'Requester')}</th>
                  <th>{t('Người ký', 'Signed by')}</th>
                  <th>{t('Trạng thái', 'Status')}</th>
                  <th>{t('Đóng dấu lúc', 'Sealed')}</th>
                </tr>
              </thead>
              <tbody>
                {register.items.map((l) => (
                  <tr key={l.seq} onClick={() => go('cases', l.caseCode)}>
                    <td className="cs-num">{l.seq}</td>
                    <td className="mono">{l.number}</td>
                    <td className="mono">
                      <a href={`#/cases/${encodeURIComponent(l.caseCode)}`}>{l.caseCode}</a>
                    </td>
                    <td>{l.citizenName ?? '—'}</td>
                    <td>
                      {l.signer?.fullName ?? '—'}
                      {l.signer?.delegation ? (
                        <span className="field-hint" data-testid="register-delegation">
                          {' '}
                          {t(
                            `(${formLabel(l.signer.delegation)}, ký theo ủy quyền của ${l.signer.delegation.delegatedBy.fullName})`,
                            `(${formLabel(l.signer.delegation)}, on behalf of ${l.signer.delegation.delegatedBy.fullName})`,
                          )}
                        </span>
                      ) : null}
                    </td>
                    <td>{label(STATUS, l.caseStatus, t)}</td>
                    <td>{dateTime(l.sealedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager page={pageNo} pages={pages} onPage={setPageNo} />
        </>
      ) : null}
    </Page>
  );
}
