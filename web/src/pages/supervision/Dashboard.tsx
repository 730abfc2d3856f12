/**
 * The supervisor's SLA dashboard: open cases by step and by state now, the overdue and at-risk
 * cases by working time left, on-time rates per commune and per officer, working time per step
 * against its legal budget, the trend per day or week, refusals by ground, extensions — and the
 * check that these figures agree with the workflows themselves.
 *
 * The figures refresh every 15 seconds while the tab is visible (polling: the session token
 * goes in a header, which the browser's EventSource cannot send).
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { BarChart, TrendChart } from '../../components/charts';
import { Field, fieldError, Page, Problem, Select } from '../../components/ui';
import { date, dateTime, duration } from '../../format';
import { useI18n } from '../../i18n';
import { DateInput } from '../../components/DateInput';
import { label, STEP } from '../cases/labels';
import { ConsistencyPanel } from './ConsistencyPanel';
import type { Dashboard as DashboardData } from './types';

export const REFRESH_MS = 15_000;

interface UnitItem {
  id: string;
  name: string;
  level: string;
}

interface Filters {
  unitId: string;
  from: string;
  to: string;
  granularity: 'day' | 'week';
}

/** Short names of the refusal grounds for the chart; the list beside it gives the decree's words. */
const GROUND: Record<string, readonly [string, string]> = {
  ALTERED: ['Tẩy xóa, sửa chữa', 'Altered'],
  DAMAGED: ['Hư hỏng, cũ nát', 'Damaged'],
  SECRET: ['Tài liệu mật', 'Secret'],
  UNLAWFUL_CONTENT: ['Nội dung trái luật', 'Unlawful content'],
  FOREIGN_NOT_LEGALISED: ['Chưa hợp pháp hóa', 'Not legalised'],
  SELF_MADE: ['Tự lập, không xác nhận', 'Self-made'],
};

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

function queryOf(f: Filters): string {
  const q = new URLSearchParams();
  if (f.unitId) q.set('unitId', f.unitId);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  q.set('granularity', f.granularity);
  return q.toString();
}

export function SupervisionDashboard() {
  const { t, lang } = useI18n();
  const [units, setUnits] = useState<UnitItem[]>([]);
  const [filters, setFilters] = useState<Filters>({ unitId: '', from: '', to: '', granularity: 'day' });
  const [data, setData] = useState<DashboardData | null>(null);
  const [problem, setProblem] = useState<unknown>(null);

  useEffect(() => {
    api<{ items: UnitItem[] }>('GET', '/api/units')
      .then((r) => setUnits(r.items.filter((u) => u.level !== 'office')))
      .catch(() => setUnits([]));
  }, []);

  const load = useCallback(async () => {
    try {
      const d = await api<DashboardData>('GET', `/api/supervision/dashboard?${queryOf(filters)}`);
      setData(d);
      setProblem(null);
      // Without dates the API chose the last 30 days of its own calendar: show them in the fields.
      setFilters((f) => (f.from || f.to ? f : { ...f, from: d.period.from, to: d.period.to }));
    } catch (err) {
      setProblem(err);
    }
  }, [filters]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const bannerProblem = fieldError(problem, 'from') || fieldError(problem, 'to') || fieldError(problem, 'unitId') || fieldError(problem, 'granularity') ? null : problem;

  return (
    <Page title={t('Giám sát hạn xử lý hồ sơ', 'Deadline supervision')} actions={data ? <span className="sv-updated">{t(`Cập nhật lúc ${dateTime(data.generatedAt)}, tự làm mới mỗi 15 giây`, `Updated ${dateTime(data.generatedAt)}, refreshed every 15 s`)}</span> : null}>
      <div className="sv-filters card">
        <Field label={t('Đơn vị', 'Unit')} error={fieldError(problem, 'unitId')}>
          <Select name="unitId" value={filters.unitId} onChange={(e) => set('unitId', e.target.value)}>
            <option value="">{t('Tất cả đơn vị được giám sát', 'All supervised units')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('Từ ngày', 'From')} error={fieldError(problem, 'from')}>
          <DateInput name="from" aria-label={t('Từ ngày', 'From')} value={filters.from} onChange={(v) => v && set('from', v)} />
        </Field>
        <Field label={t('Đến ngày', 'To')} error={fieldError(problem, 'to')}>
          <DateInput name="to" aria-label={t('Đến ngày', 'To')} value={filters.to} onChange={(v) => v && set('to', v)} />
        </Field>
        <Field label={t('Biểu đồ theo', 'Trend by')} error={fieldError(problem, 'granularity')}>
          <Select name="granularity" value={filters.granularity} onChange={(e) => set('granularity', e.target.value as Filters['granularity'])}>
            <option value="day">{t('Ngày', 'Day')}</option>
            <option value="week">{t('Tuần', 'Week')}</option>
          </Select>
        </Field>
      </div>
      <Problem problem={bannerProblem} />
      {data ? figures(data) : null}
      <ConsistencyPanel unitId={filters.unitId} />
    </Page>
  );

  function figures(d: DashboardData) {
    const stepRows = d.stepTimes.map((s) => ({
      label: `${label(STEP, s.step, t)}${s.budgetMinutes > 240 ? t(' (phức tạp)', ' (complex)') : ''}`,
      value: s.avgWorkingMinutes,
      reference: s.budgetMinutes,
      over: s.avgWorkingMinutes > s.budgetMinutes,
      valueText: t(`TB ${duration(s.avgWorkingMinutes, 'vi')} / hạn ${duration(s.budgetMinutes, 'vi')} (${s.steps} lượt)`, `avg ${duration(s.avgWorkingMinutes, 'en')} / budget ${duration(s.budgetMinutes, 'en')} (${s.steps})`),
    }));
    const periods = d.trend.map((b) => (d.period.granularity === 'week' ? t(`Tuần ${date(b.period).slice(0, 5)}`, `Wk ${date(b.period).slice(0, 5)}`) : date(b.period).slice(0, 5)));
    return (
      <>
        <section className="sv-counters" aria-label={t('Hồ sơ đang xử lý', 'Open cases')}>
          <Counter label={t('Đang xử lý', 'Open')} value={d.open.total} testId="open-total" />
          <Counter label={t('Trong hạn', 'On time')} value={d.open.byState.onTime} kind="ok" testId="open-on-time" />
          <Counter label={t('Sắp hết hạn', 'At risk')} value={d.open.byState.atRisk} kind="warn" testId="open-at-risk" />
          <Counter label={t('Quá hạn', 'Overdue')} value={d.open.byState.overdue} kind="bad" testId="open-overdue" />
          <div className="sv-by-step card">
            <div className="sv-counter-label">{t('Theo bước', 'By step')}</div>
            <ul>
              {(['receive', 'sign', 'seal', 'deliver'] as const).map((s) => (
                <li key={s}>
                  {label(STEP, s, t)}: <strong>{d.open.byStep[s]}</strong>
                </li>
              ))}
            </ul>
          </div>
        </section>

        {d.support ? <SupportCard s={d.support} /> : null}

        <section className="card sv-section">
          <h2>{t('Hồ sơ quá hạn và sắp hết hạn', 'Overdue and at-risk cases')}</h2>
          {d.atRisk.length === 0 ? (
            <p className="empty">{t('Không có hồ sơ nào quá hạn hay sắp hết hạn.', 'No case is overdue or at risk.')}</p>
          ) : (
            <table className="grid" data-testid="at-risk">
              <thead>
                <tr>
                  <th>{t('Mã hồ sơ', 'Case')}</th>
                  <th>{t('Người yêu cầu', 'Citizen')}</th>
                  <th>{t('Bước', 'Step')}</th>
                  <th>{t('Đơn vị', 'Unit')}</th>
                  <th>{t('Hạn', 'Due')}</th>
                  <th>{t('Thời gian còn lại', 'Time left')}</th>
                </tr>
              </thead>
              <tbody>
                {d.atRisk.map((c) => (
                  <tr key={c.caseCode} className={c.state === 'overdue' ? 'overdue' : 'at-risk'}>
                    <td className="mono">
                      <a href={`#/cases/${encodeURIComponent(c.caseCode)}`}>{c.caseCode}</a>
                    </td>
                    <td>{c.citizenName}</td>
                    <td>{label(STEP, c.step, t)}</td>
                    <td>{c.unit.name}</td>
                    <td>{dateTime(c.dueAt)}</td>
                    <td>
                      {c.remainingWorkingMinutes < 0
                        ? t(`quá hạn ${duration(-c.remainingWorkingMinutes, lang)} làm việc`, `${duration(-c.remainingWorkingMinutes, lang)} of working time overdue`)
                        : t(`còn ${duration(c.remainingWorkingMinutes, lang)} làm việc`, `${duration(c.remainingWorkingMinutes, lang)} of working time left`)}{' '}
                      {c.state === 'overdue' ? <span className="tag tag-overdue">{t('Quá hạn', 'Overdue')}</span> : <span className="tag tag-at-risk">{t('Sắp hết hạn', 'At risk')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section className="card sv-section">
          <h2>
            {t(`Kết quả từ ${date(d.period.from)} đến ${date(d.period.to)}`, `Results from ${date(d.period.from)} to ${date(d.period.to)}`)}
          </h2>
          <p className="sv-totals" data-testid="totals">
            {t(
              `Tiếp nhận ${d.totals.received} · hoàn thành ${d.totals.completed} (đúng hạn ${d.totals.onTime}, trễ hạn ${d.totals.late}, tỷ lệ đúng hạn ${percent(d.totals.rate)}) · từ chối ${d.totals.refused} · công dân rút ${d.totals.withdrawn}`,
              `Received ${d.totals.received} · completed ${d.totals.completed} (on time ${d.totals.onTime}, late ${d.totals.late}, on-time rate ${percent(d.totals.rate)}) · refused ${d.totals.refused} · withdrawn ${d.totals.withdrawn}`,
            )}
          </p>
          <div className="sv-two">
            <RateTable
              testId="on-time-units"
              caption={t('Tỷ lệ đúng hạn theo đơn vị (hồ sơ hoàn thành)', 'On-time rate per unit (completed cases)')}
              who={t('Đơn vị', 'Unit')}
              counted={t('Hoàn thành', 'Completed')}
              rows={d.onTime.byUnit.map((u) => ({ key: u.unitId, name: u.name, count: u.completed, onTime: u.onTime, late: u.late, rate: u.rate }))}
            />
            <RateTable
              testId="on-time-officers"
              caption={t('Tỷ lệ đúng hạn theo cán bộ (bước đã xử lý)', 'On-time rate per officer (steps handled)')}
              who={t('Cán bộ', 'Officer')}
              counted={t('Lượt xử lý', 'Steps')}
              empty={t('Chưa có bước nào kết thúc trong khoảng này.', 'No step ended in this period.')}
              rows={d.onTime.byOfficer.map((o) => ({ key: o.officerId, name: o.name, count: o.steps, onTime: o.onTime, late: o.late, rate: o.rate }))}
            />
          </div>
        </section>

        <section className="card sv-section sv-charts">
          <BarChart
            testId="step-times"
            title={t('Thời gian làm việc trung bình mỗi bước so với thời hạn luật định', 'Average working time per step against its legal budget')}
            rows={stepRows}
            referenceLabel={t('vạch đứng: thời hạn luật định; sọc chéo: vượt thời hạn', 'upright mark: legal budget; hatched: over the budget')}
            width={560}
            valueWidth={250}
          />
          <TrendChart
            testId="trend"
            title={d.period.granularity === 'week' ? t('Diễn biến theo tuần', 'Trend per week') : t('Diễn biến theo ngày', 'Trend per day')}
            periods={periods}
            series={[
              { name: t('Tiếp nhận', 'Received'), values: d.trend.map((b) => b.received) },
              { name: t('Đúng hạn', 'On time'), values: d.trend.map((b) => b.onTime) },
              { name: t('Trễ hạn', 'Late'), values: d.trend.map((b) => b.late) },
              { name: t('Từ chối', 'Refused'), values: d.trend.map((b) => b.refused) },
            ]}
            width={560}
          />
        </section>

        <section className="card sv-section sv-two">
          <BarChart
            testId="refusals"
            title={t('Từ chối theo căn cứ', 'Refusals by ground')}
            rows={d.refusalsByGround.map((r) => ({ label: label(GROUND, r.ground, t), value: r.count, valueText: `${r.count}` }))}
            width={420}
          />
          <div>
            <ol className="sv-grounds">
              {d.refusalsByGround.map((r) => (
                <li key={r.ground}>
                  <strong>{label(GROUND, r.ground, t)}</strong> ({r.count}): {r.text}
                </li>
              ))}
            </ol>
            <p data-testid="extensions">
              {t(
                `Gia hạn: ${d.extensions.cases} hồ sơ, ${d.extensions.count} lần, tổng ${d.extensions.days} ngày làm việc (hồ sơ tiếp nhận trong khoảng thời gian).`,
                `Extensions: ${d.extensions.cases} cases, ${d.extensions.count} times, ${d.extensions.days} working days in all (cases received in the period).`,
              )}
            </p>
          </div>
        </section>
      </>
    );
  }
}

interface RateRow {
  key: string;
  name: string;
  count: number;
  onTime: number;
  late: number;
  rate: number | null;
}

/** On time against late for a list of units or officers; `empty` is shown when the list is. */
function RateTable(props: { testId: string; caption: string; who: string; counted: string; empty?: string; rows: RateRow[] }) {
  const { t } = useI18n();
  return (
    <table className="grid sv-static" data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th>{props.who}</th>
          <th className="cs-num">{props.counted}</th>
          <th className="cs-num">{t('Đúng hạn', 'On time')}</th>
          <th className="cs-num">{t('Trễ hạn', 'Late')}</th>
          <th className="cs-num">{t('Tỷ lệ', 'Rate')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && props.empty ? (
          <tr>
            <td colSpan={5}>{props.empty}</td>
          </tr>
        ) : (
          props.rows.map((r) => (
            <tr key={r.key}>
              <td>{r.name}</td>
              <td className="cs-num">{r.count}</td>
              <td className="cs-num">{r.onTime}</td>
              <td className="cs-num">{r.late}</td>
              <td className="cs-num">{percent(r.rate)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

function Counter(props: { label: string; value: number; kind?: 'ok' | 'warn' | 'bad'; testId: string }) {
  return (
    <div className={`sv-counter card ${props.kind ? `sv-${props.kind}` : ''}`} data-testid={props.testId}>
      <div className="sv-counter-label">{props.label}</div>
      <div className="sv-counter-value">{props.value}</div>
    </div>
  );
}

/** The support requests' deadlines (8 working hours): filed and closed in the period, open now. */
function SupportCard({ s }: { s: NonNullable<DashboardData['support']> }) {
  const { t } = useI18n();
  return (
    <section className="card sv-section" data-testid="support-sla" aria-label={t('Yêu cầu hỗ trợ', 'Support requests')}>
      <h2>
        <a href="#/support">{t('Yêu cầu hỗ trợ', 'Support requests')}</a>
      </h2>
      <div className="sv-counters">
        <Counter label={t('Tiếp nhận trong kỳ', 'Filed in the period')} value={s.received} testId="support-received" />
        <Counter label={t('Đã xử lý xong', 'Done')} value={s.done} testId="support-done" />
        <Counter label={t('Xong đúng hạn', 'Done on time')} value={s.doneOnTime} kind="ok" testId="support-done-on-time" />
        <Counter label={t('Kết thúc trễ hạn', 'Closed late')} value={s.closedLate} kind={s.closedLate ? 'bad' : undefined} testId="support-closed-late" />
        <Counter label={t('Đang mở', 'Open now')} value={s.open} testId="support-open" />
        <Counter label={t('Đang mở, quá hạn', 'Open, overdue')} value={s.openLate} kind={s.openLate ? 'bad' : undefined} testId="support-open-late" />
      </div>
    </section>
  );
}
