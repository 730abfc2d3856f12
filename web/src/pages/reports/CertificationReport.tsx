/**
 * Báo cáo DVC chứng thực điện tử (CERT_REPORT): a unit of the officer's scope and a period, the
 * figures per commune (and per month) with the total, and the same report to download as CSV or
 * Excel or to open as a PDF to print and sign.
 */
import { useEffect, useRef, useState } from 'react';
import { api, ApiProblem } from '../../api';
import { Button, Field, Page, Problem, Select, UnitSelect, fieldError } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date, dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { DateInput } from '../../components/DateInput';
import { downloadFile } from '../cases/authorizedFiles';
import { nextDay, presetPeriod, previousDay, todayInHanoi, type Period, type PeriodChoice } from './periods';
import { ReportTable, type Report } from './ReportTable';

interface UnitItem {
  id: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
  oneStop: boolean;
}

/** Units a report can be about: communes and the levels above them, and desks standing for a commune not otherwise listed. */
function reportUnits(units: UnitItem[]): UnitItem[] {
  const listed = units.filter((u) => u.level !== 'office');
  const seen = new Set(listed.map((u) => u.id));
  return [...listed, ...units.filter((u) => u.oneStop && u.parentId !== null && !seen.has(u.parentId))];
}

const CHOICES: Array<{ value: PeriodChoice; vi: string; en: string }> = [
  { value: 'thisMonth', vi: 'Tháng này', en: 'This month' },
  { value: 'lastMonth', vi: 'Tháng trước', en: 'Last month' },
  { value: 'thisQuarter', vi: 'Quý này', en: 'This quarter' },
  { value: 'thisYear', vi: 'Năm nay', en: 'This year' },
  { value: 'custom', vi: 'Tùy chọn', en: 'Custom' },
];

interface Query {
  unitId: string;
  period: Period;
  byMonth: boolean;
}

function queryString(q: Query, format: 'json' | 'csv' | 'xlsx' | 'pdf'): string {
  const params = new URLSearchParams({ unitId: q.unitId, from: q.period.from, to: q.period.to, format });
  if (q.byMonth) params.set('groupBy', 'month');
  return `/api/reports/certification?${params.toString()}`;
}

export function CertificationReport() {
  const { t } = useI18n();
  const [units, setUnits] = useState<UnitItem[] | null>(null);
  const [unitId, setUnitId] = useState('');
  const [choice, setChoice] = useState<PeriodChoice>('thisMonth');
  const [custom, setCustom] = useState<{ from: string; last: string }>(() => {
    const p = presetPeriod('thisMonth', todayInHanoi());
    return { from: p.from, last: previousDay(p.to) };
  });
  const [byMonth, setByMonth] = useState(false);
  const [report, setReport] = useState<{ query: Query; data: Report } | null>(null);
  const view = useAction();
  const files = useAction();
  // Only the latest request may fill the table, whichever answer comes back last.
  const latest = useRef(0);

  useEffect(() => {
    api<{ items: UnitItem[] }>('GET', '/api/units')
      .then((r) => {
        const list = reportUnits(r.items);
        setUnits(list);
        setUnitId((id) => id || list[0]?.id || '');
      })
      .catch(view.setProblem);
  }, []);

  function currentQuery(): Query {
    const period = choice === 'custom' ? { from: custom.from, to: custom.last ? nextDay(custom.last) : '' } : presetPeriod(choice, todayInHanoi());
    return { unitId, period, byMonth };
  }

  function show(q: Query = currentQuery()) {
    const mine = ++latest.current;
    void view.run(
      async () => {
        const data = await api<Report>('GET', queryString(q, 'json'));
        if (mine === latest.current) setReport({ query: q, data });
      },
      () => {
        if (mine === latest.current) setReport(null);
      },
    );
  }

  // The first unit's report for this month, as soon as the units are known.
  useEffect(() => {
    if (unitId && !report && !view.busy && !view.problem) show();
  }, [unitId]);

  function save(format: 'csv' | 'xlsx') {
    if (!report) return;
    const { data, query } = report;
    void files.run(() => downloadFile(queryString(query, format), `bao-cao-chung-thuc_${data.unit.code}_${data.period.from}_${data.period.lastDay}.${format}`));
  }

  const problem = view.problem;
  const shownByField = problem instanceof ApiProblem && problem.fields.length > 0 && problem.fields.every((f) => ['unitId', 'from', 'to'].includes(f.field)) && choice === 'custom';
  return (
    <Page title={t('Báo cáo DVC chứng thực điện tử', 'Certification service report')}>
      <form
        className="card rep-filters"
        onSubmit={(e) => {
          e.preventDefault();
          show();
        }}
      >
        <Field label={t('Đơn vị', 'Unit')} error={fieldError(problem, 'unitId')}>
          <UnitSelect units={units ?? []} value={unitId} onChange={setUnitId} />
        </Field>
        <Field label={t('Kỳ báo cáo', 'Period')}>
          <Select name="period" value={choice} onChange={(e) => setChoice(e.target.value as PeriodChoice)}>
            {CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {t(c.vi, c.en)}
              </option>
            ))}
          </Select>
        </Field>
        {choice === 'custom' ? (
          <>
            <Field label={t('Từ ngày', 'From')} error={fieldError(problem, 'from')}>
              <DateInput aria-label={t('Từ ngày', 'From')} name="from" value={custom.from} onChange={(v) => setCustom((c) => ({ ...c, from: v }))} />
            </Field>
            <Field label={t('Đến hết ngày', 'Through')} error={fieldError(problem, 'to')}>
              <DateInput aria-label={t('Đến hết ngày', 'Through')} name="last" value={custom.last} onChange={(v) => setCustom((c) => ({ ...c, last: v }))} />
            </Field>
          </>
        ) : null}
        <label className="rep-check">
          <input type="checkbox" checked={byMonth} onChange={(e) => setByMonth(e.target.checked)} />
          {t('Chia theo tháng', 'Month by month')}
        </label>
        <div className="rep-submit">
          <Button type="submit" busy={view.busy}>
            {t('Xem báo cáo', 'Show report')}
          </Button>
        </div>
      </form>
      {shownByField ? null : <Problem problem={problem} />}
      <Problem problem={files.problem} />
      {units && units.length === 0 ? <p className="empty">{t('Anh/chị không được giao đơn vị nào có hồ sơ chứng thực.', 'None of your units handles certification cases.')}</p> : null}
      {report ? (
        <section className="card rep-result" aria-label={t('Kết quả báo cáo', 'Report')}>
          <header className="rep-head">
            <div>
              <h2>{report.data.unit.name}</h2>
              <p className="rep-period">
                {t(
                  `Kỳ báo cáo: từ ngày ${date(report.data.period.from)} đến ngày ${date(report.data.period.lastDay)}`,
                  `Period: ${date(report.data.period.from)} to ${date(report.data.period.lastDay)}`,
                )}
                <span className="rep-made">
                  {t(`Lập lúc ${dateTime(report.data.generatedAt)}`, `Made at ${dateTime(report.data.generatedAt)}`)}
                </span>
              </p>
            </div>
            <div className="rep-downloads">
              <Button kind="secondary" busy={files.busy} onClick={() => save('csv')} name="csv">
                {t('Tải CSV', 'Download CSV')}
              </Button>
              <Button kind="secondary" busy={files.busy} onClick={() => save('xlsx')} name="xlsx">
                {t('Tải Excel', 'Download Excel')}
              </Button>
              <Button kind="secondary" busy={files.busy} onClick={() => void files.run(() => downloadFile(queryString(report.query, 'pdf')))} name="pdf">
                {t('Tải PDF để in', 'Download PDF to print')}
              </Button>
            </div>
          </header>
          <ReportTable report={report.data} />
        </section>
      ) : null}
    </Page>
  );
}
