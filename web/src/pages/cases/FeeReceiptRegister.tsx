/** The commune's fee receipts of a year, in number order, with the total collected (GET /api/register/fee-receipts). */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Problem, Pager } from '../../components/ui';
import { dateTime, vnd } from '../../format';
import { useI18n } from '../../i18n';
import type { FeeReceipt } from './FeeReceiptCard';

interface ReceiptList {
  unit: { id: string; code: string; name: string };
  year: number;
  years: number[];
  total: number;
  totalVnd: number;
  page: number;
  pageSize: number;
  items: Array<Omit<FeeReceipt, 'note'>>;
}

const PAGE_SIZE = 50;
const METHOD = { cash: ['Tiền mặt', 'Cash'], transfer: ['Chuyển khoản', 'Transfer'] } as const;

/** `onYears` learns the years the commune has receipts in, for the year picker. */
export function FeeReceiptRegister({ unitId, year, onYears }: { unitId: string; year: number; onYears(years: number[]): void }) {
  const { t } = useI18n();
  const [pageNo, setPageNo] = useState(1);
  const [list, setList] = useState<ReceiptList | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => setPageNo(1), [unitId, year]);
  useEffect(() => {
    if (!unitId) return;
    setProblem(null);
    api<ReceiptList>('GET', `/api/register/fee-receipts?unitId=${encodeURIComponent(unitId)}&year=${year}&page=${pageNo}&pageSize=${PAGE_SIZE}`)
      .then((r) => {
        setList(r);
        onYears(r.years);
      })
      .catch((err: unknown) => {
        setList(null);
        setProblem(err);
      });
  }, [unitId, year, pageNo, onYears]);

  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  return (
    <>
      <Problem problem={problem} />
      {list ? (
        <>
          <p>
            {t(
              `${list.unit.name} — năm ${list.year}: ${list.total} biên lai, đã thu ${vnd(list.totalVnd)}.`,
              `${list.unit.name} — ${list.year}: ${list.total} receipts, ${vnd(list.totalVnd)} collected.`,
            )}
          </p>
          {list.items.length === 0 ? (
            <p className="empty">{t('Chưa lập biên lai thu phí nào trong năm này.', 'No fee receipt issued this year.')}</p>
          ) : (
            <table className="grid static" data-testid="fee-receipts">
              <thead>
                <tr>
                  <th>{t('Số biên lai', 'Receipt')}</th>
                  <th>{t('Mã hồ sơ', 'Case')}</th>
                  <th>{t('Người nộp', 'Paid by')}</th>
                  <th className="cs-num">{t('Số tiền', 'Amount')}</th>
                  <th>{t('Hình thức', 'Method')}</th>
                  <th>{t('Ngày thu', 'Collected')}</th>
                  <th>{t('Người thu', 'Collected by')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((r) => (
                  <tr key={r.receiptNo}>
                    <td className="mono">{r.receiptNo}</td>
                    <td className="mono">
                      <a href={`#/cases/${encodeURIComponent(r.caseCode)}`}>{r.caseCode}</a>
                    </td>
                    <td>{r.payerName}</td>
                    <td className="cs-num">{vnd(r.amountVnd)}</td>
                    <td>{t(METHOD[r.method][0], METHOD[r.method][1])}</td>
                    <td>{dateTime(r.collectedAt)}</td>
                    <td>{r.collectedBy.fullName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager page={pageNo} pages={pages} onPage={setPageNo} />
        </>
      ) : null}
    </>
  );
}
