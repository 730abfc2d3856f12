/** A request's deadline in a list: the time, red once overdue, amber when due soon, "tạm dừng" while waiting for the unit. */
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { dueState } from './labels';
import type { SupportListItem } from './types';

export function DueCell({ item, now }: { item: Pick<SupportListItem, 'dueAt' | 'late' | 'status'>; now: number }) {
  const { t } = useI18n();
  const state = dueState(item, now);
  if (item.status === 'waiting') return <span className="sp-paused">{t('Tạm dừng (chờ đơn vị)', 'Paused (waiting)')}</span>;
  if (!item.dueAt && !item.late) return <span className="cs-muted">—</span>;
  return (
    <span className={state === 'overdue' ? 'cs-late' : state === 'soon' ? 'cs-warn' : ''} data-due-state={state}>
      {item.dueAt ? dateTime(item.dueAt) : ''}
      {state === 'overdue' ? <span className="tag tag-overdue">{t('Quá hạn', 'Overdue')}</span> : null}
      {state === 'soon' ? <span className="tag tag-at-risk">{t('Sắp hết hạn', 'Due soon')}</span> : null}
    </span>
  );
}
