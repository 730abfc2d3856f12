/** The slots of a day as buttons: the free ones to pick, the full and the past ones shown but disabled. */
import { useI18n } from '../../i18n';
import { timeRange, type DaySlot } from './types';

export function SlotPicker({ slots, capacity, value, onChange }: { slots: DaySlot[]; capacity: number; value: string; onChange(start: string): void }) {
  const { t } = useI18n();
  if (slots.length === 0) {
    return <p className="field-hint" data-testid="no-slots">{t('Ngày này cơ quan không làm việc; hãy chọn ngày khác.', 'The office is closed that day; choose another day.')}</p>;
  }
  return (
    <div className="ap-slots" role="group" aria-label={t('Khung giờ', 'Time slots')} data-testid="slots">
      {slots.map((s) => {
        // No room left: either every place is taken, or the slot has begun.
        const state = s.free > 0 ? t(`còn ${s.free}/${capacity} chỗ`, `${s.free}/${capacity} free`) : s.booked >= capacity ? t('hết chỗ', 'full') : t('đã qua', 'past');
        return (
          <button
            key={s.start}
            type="button"
            className={`ap-slot${value === s.start ? ' chosen' : ''}`}
            disabled={s.free <= 0}
            aria-pressed={value === s.start}
            title={s.free > 0 ? undefined : s.booked >= capacity ? t('Khung giờ đã đủ người đặt', 'This slot is full') : t('Khung giờ đã qua', 'This slot has passed')}
            onClick={() => onChange(s.start)}
          >
            {timeRange(s)}
            <small>{state}</small>
          </button>
        );
      })}
    </div>
  );
}
