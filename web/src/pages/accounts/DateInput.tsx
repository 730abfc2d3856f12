/**
 * A date typed or picked as dd/mm/yyyy, whatever the browser's language, handed to the API as
 * YYYY-MM-DD. The calendar button opens the browser's own picker on a hidden date input.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { CalendarIcon } from './icons';

/** "05/04/1990" → "1990-04-05"; undefined when it is not a real date. */
export function isoFromDmy(text: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const when = new Date(Date.UTC(y, mo - 1, d));
  if (when.getUTCFullYear() !== y || when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function dmyFromIso(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('/') : '';
}

/**
 * `value` is YYYY-MM-DD or ''; `onChange` receives '' while the text is empty or incomplete, so a
 * half-typed date never reaches a filter. `onInvalid` tells the parent that the text is not a date.
 */
export function DateInput(props: { id?: string; value: string; onChange: (iso: string) => void; onInvalid?: (invalid: boolean) => void; 'aria-label'?: string; name?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(dmyFromIso(props.value));
  const picker = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // A value set from outside (a reset) replaces what was typed; the echo of our own change does not.
    setText((current) => ((isoFromDmy(current) ?? '') === props.value ? current : dmyFromIso(props.value)));
  }, [props.value]);
  const typed = (next: string) => {
    setText(next);
    const iso = isoFromDmy(next);
    props.onInvalid?.(next.trim() !== '' && iso === undefined);
    props.onChange(iso ?? '');
  };
  return (
    <span className="acc-date">
      <input
        id={props.id}
        name={props.name}
        className="input"
        placeholder={t('dd/mm/yyyy', 'dd/mm/yyyy')}
        inputMode="numeric"
        maxLength={10}
        aria-label={props['aria-label']}
        value={text}
        onChange={(e) => typed(e.target.value)}
      />
      <button type="button" className="acc-date-pick" title={t('Chọn ngày', 'Pick a date')} aria-label={t('Chọn ngày', 'Pick a date')} onClick={() => picker.current?.showPicker?.()}>
        <CalendarIcon />
      </button>
      <input
        ref={picker}
        type="date"
        tabIndex={-1}
        aria-hidden="true"
        className="acc-date-native"
        value={props.value}
        onChange={(e) => {
          setText(dmyFromIso(e.target.value));
          props.onInvalid?.(false);
          props.onChange(e.target.value);
        }}
      />
    </span>
  );
}
