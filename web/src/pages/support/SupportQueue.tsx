/**
 * "Hàng đợi xử lý": the support team's open requests of the units in its scope, the nearest
 * deadline first (those waiting for the unit's answer last), overdue ones in red and those due
 * within two hours in amber; refreshed every 30 seconds.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Page, Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { DueCell } from './DueCell';
import { dueState, statusClass, statusText } from './labels';
import type { SupportListItem } from './types';
import './support.css';

export function SupportQueue() {
  const { t } = useI18n();
  const [items, setItems] = useState<SupportListItem[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let live = true;
    const load = () =>
      api<{ items: SupportListItem[] }>('GET', '/api/support/queue')
        .then((r) => {
          if (!live) return;
          setItems(r.items);
          setNow(Date.now());
          setProblem(null);
        })
        .catch((err: unknown) => live && setProblem(err));
    void load();
    const timer = window.setInterval(load, 30_000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, []);

  const states = (items ?? []).map((i) => dueState(i, now));
  const overdue = states.filter((s) => s === 'overdue').length;
  const soon = states.filter((s) => s === 'soon').length;
  return (
    <Page title={t('Hàng đợi xử lý yêu cầu hỗ trợ', 'Support queue')}>
      <Problem problem={problem} />
      {items ? (
        <>
          <p className="acc-count" data-testid="queue-summary">
            {t(`${items.length} yêu cầu đang mở`, `${items.length} open`)}
            {overdue ? <span className="tag tag-overdue">{t(`${overdue} quá hạn`, `${overdue} overdue`)}</span> : null}
            {soon ? <span className="tag tag-at-risk">{t(`${soon} sắp hết hạn`, `${soon} due soon`)}</span> : null}
          </p>
          {items.length === 0 ? (
            <p className="empty">{t('Không có yêu cầu nào đang chờ xử lý.', 'Nothing waits in the queue.')}</p>
          ) : (
            <table className="grid sp-table" data-testid="support-queue">
              <thead>
                <tr>
                  <th>{t('Hạn xử lý', 'Deadline')}</th>
                  <th>{t('Tên yêu cầu hỗ trợ', 'Request title')}</th>
                  <th>{t('Đơn vị yêu cầu', 'Requesting unit')}</th>
                  <th>{t('Thời gian yêu cầu', 'Requested at')}</th>
                  <th>{t('Trạng thái', 'Status')}</th>
                  <th>{t('Cán bộ xử lý', 'Handler')}</th>
                  <th>{t('Thao tác', 'Action')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r, i) => (
                  <tr key={r.code} className={states[i] === 'overdue' ? 'overdue' : states[i] === 'soon' ? 'at-risk' : ''} onClick={() => go('support', r.code)}>
                    <td className="sp-nowrap">
                      <DueCell item={r} now={now} />
                    </td>
                    <td>
                      <div className="sp-title">{r.title}</div>
                      <div className="sp-sub mono">{r.code}</div>
                    </td>
                    <td>{r.unit}</td>
                    <td className="sp-nowrap">{dateTime(r.requestedAt)}</td>
                    <td>
                      <span className={statusClass(r.status)}>{statusText(r.status, t)}</span>
                    </td>
                    <td>{r.handler ?? '—'}</td>
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
        </>
      ) : null}
    </Page>
  );
}
