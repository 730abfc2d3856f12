/**
 * A month calendar that opens under a date field: Vietnamese month and weekday names (or English),
 * weeks from Monday, whatever language the browser speaks. Each day is a button; Escape or a click
 * elsewhere closes it, and focus goes back to the field.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { monthGrid, todayInHanoi } from './dates';

const WEEKDAYS_VI = ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'];
const WEEKDAYS_EN = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function CalendarPopup(props: { value: string; onPick(iso: string): void; onClose(): void }) {
  const { t, lang } = useI18n();
  const start = /^\d{4}-\d{2}-\d{2}$/.test(props.value) ? props.value : todayInHanoi();
  const [shown, setShown] = useState({ year: Number(start.slice(0, 4)), month: Number(start.slice(5, 7)) });
  const box = useRef<HTMLDivElement>(null);
  const { onClose } = props;

  useEffect(() => {
    const first = ['button[aria-pressed="true"]', 'button.cal-today', '.cal-grid button'].map((q) => box.current?.querySelector<HTMLButtonElement>(q)).find(Boolean);
    first?.focus();
    const outside = (e: MouseEvent) => {
      if (box.current && !box.current.parentElement?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [onClose]);

  const move = (by: number) =>
    setShown(({ year, month }) => {
      const m = month - 1 + by;
      return { year: year + Math.floor(m / 12), month: ((m % 12) + 12) % 12 + 1 };
    });
  const today = todayInHanoi();
  const title = lang === 'vi' ? `Tháng ${shown.month} năm ${shown.year}` : `${MONTHS_EN[shown.month - 1]} ${shown.year}`;
  return (
    <div
      className="cal-popup"
      ref={box}
      role="dialog"
      aria-label={t('Chọn ngày', 'Pick a date')}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="cal-head">
        <button type="button" className="cal-nav" aria-label={t('Tháng trước', 'Previous month')} onClick={() => move(-1)}>
          ‹
        </button>
        <span className="cal-title" aria-live="polite">
          {title}
        </span>
        <button type="button" className="cal-nav" aria-label={t('Tháng sau', 'Next month')} onClick={() => move(1)}>
          ›
        </button>
      </div>
      <table className="cal-grid">
        <thead>
          <tr>
            {(lang === 'vi' ? WEEKDAYS_VI : WEEKDAYS_EN).map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthGrid(shown.year, shown.month).map((week, w) => (
            <tr key={w}>
              {week.map((iso, d) => (
                <td key={d}>
                  {iso ? (
                    <button
                      type="button"
                      className={iso === today ? 'cal-today' : undefined}
                      aria-pressed={iso === props.value}
                      aria-label={iso.split('-').reverse().join('/')}
                      onClick={() => props.onPick(iso)}
                    >
                      {Number(iso.slice(8))}
                    </button>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
