/** The report's table on screen: one line per commune (per month when asked), month sums and the total in bold. */
import { vnd } from '../../format';
import { useI18n } from '../../i18n';

export interface Figures {
  received: number;
  completed: number;
  completedOnTime: number;
  completedLate: number;
  onTimeRate: number | null;
  refused: number;
  withdrawn: number;
  openAtEnd: number;
  copiesIssued: number;
  feeReceipts: number;
  feesCollectedVnd: number;
}

interface UnitRef {
  id: string;
  code: string;
  name: string;
}

export interface Report {
  unit: UnitRef & { level: string };
  period: { from: string; to: string; lastDay: string };
  groupBy: 'none' | 'month';
  rows: Array<{ month: string | null; unit: UnitRef | null; figures: Figures }>;
  total: Figures;
  generatedAt: string;
}

const COLUMNS: Array<{ key: keyof Figures; vi: string; en: string }> = [
  { key: 'received', vi: 'Tiếp nhận', en: 'Received' },
  { key: 'completed', vi: 'Hoàn thành', en: 'Completed' },
  { key: 'completedOnTime', vi: 'Đúng hạn', en: 'On time' },
  { key: 'completedLate', vi: 'Trễ hạn', en: 'Late' },
  { key: 'onTimeRate', vi: 'Tỷ lệ đúng hạn', en: 'On-time rate' },
  { key: 'refused', vi: 'Từ chối', en: 'Refused' },
  { key: 'withdrawn', vi: 'Rút hồ sơ', en: 'Withdrawn' },
  { key: 'openAtEnd', vi: 'Đang giải quyết cuối kỳ', en: 'Open at the end' },
  { key: 'copiesIssued', vi: 'Bản sao đã cấp', en: 'Copies issued' },
  { key: 'feeReceipts', vi: 'Số biên lai', en: 'Fee receipts' },
  { key: 'feesCollectedVnd', vi: 'Phí đã thu', en: 'Fees collected' },
];

function monthText(month: string): string {
  return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
}

function cell(key: keyof Figures, f: Figures): string {
  const value = f[key];
  if (key === 'onTimeRate') return value === null ? '—' : `${(Math.round((value as number) * 1000) / 10).toLocaleString('vi-VN', { minimumFractionDigits: 1 })}%`;
  if (key === 'feesCollectedVnd') return vnd(value as number);
  return (value as number).toLocaleString('vi-VN');
}

export function ReportTable({ report }: { report: Report }) {
  const { t } = useI18n();
  const byMonth = report.groupBy === 'month';
  let no = 0;
  return (
    <div className="rep-scroll">
      <table className="grid static rep-table" data-testid="report">
        <thead>
          <tr>
            <th className="rep-no">{t('STT', 'No.')}</th>
            {byMonth ? <th>{t('Tháng', 'Month')}</th> : null}
            <th className="rep-unit">{t('Đơn vị', 'Unit')}</th>
            {COLUMNS.map((c) => (
              <th key={c.key} className="rep-num">
                {t(c.vi, c.en)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={`${r.month ?? ''}:${r.unit?.id ?? 'all'}`} className={r.unit ? '' : 'rep-sum'}>
              <td className="rep-no">{r.unit ? ++no : ''}</td>
              {byMonth ? <td>{r.month ? monthText(r.month) : ''}</td> : null}
              <td className="rep-unit">{r.unit ? r.unit.name : t(`Cộng tháng ${monthText(r.month ?? '')}`, `Month ${monthText(r.month ?? '')} total`)}</td>
              {COLUMNS.map((c) => (
                <td key={c.key} className="rep-num">
                  {cell(c.key, r.figures)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="rep-sum">
            <td className="rep-no" />
            {byMonth ? <td /> : null}
            <td className="rep-unit">{t('Tổng cộng', 'Total')}</td>
            {COLUMNS.map((c) => (
              <td key={c.key} className="rep-num">
                {cell(c.key, report.total)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
