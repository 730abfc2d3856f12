/**
 * Dates typed as dd/mm/yyyy (and date-times as dd/mm/yyyy HH:mm), whatever the browser's
 * language, with a calendar to pick from; handed to the page as YYYY-MM-DD (YYYY-MM-DDTHH:mm, Hà
 * Nội time). The page gets '' while the text is empty or not a date yet, so a half-typed date never
 * reaches a filter; `onInvalid` tells it the text is not a date, and the field shows so once left.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { CalendarPopup } from './CalendarPopup';
import { dmyFromIso, dmyHmFromLocal, isoFromDmy, localFromDmyHm } from './dates';

interface Props {
  id?: string;
  name?: string;
  value: string;
  onChange: (value: string) => void;
  onInvalid?: (invalid: boolean) => void;
  'aria-label'?: string;
}

/** What differs between a date and a date-time field. */
interface Kind {
  parse(text: string): string | undefined;
  format(value: string): string;
  placeholder: [string, string];
  maxLength: number;
  /** The value after a day is picked in the calendar. */
  picked(day: string, current: string): string;
  day(value: string): string;
}

const DATE: Kind = {
  parse: isoFromDmy,
  format: dmyFromIso,
  placeholder: ['dd/mm/yyyy', 'dd/mm/yyyy'],
  maxLength: 10,
  picked: (day) => day,
  day: (value) => value,
};

const DATE_TIME: Kind = {
  parse: localFromDmyHm,
  format: dmyHmFromLocal,
  placeholder: ['dd/mm/yyyy giờ:phút', 'dd/mm/yyyy HH:mm'],
  maxLength: 16,
  // A picked day keeps the time already typed, else the start of office hours.
  picked: (day, current) => `${day}T${/T(\d{2}:\d{2})/.exec(current)?.[1] ?? '08:00'}`,
  day: (value) => value.slice(0, 10),
};

function DateField(props: Props & { kind: Kind }) {
  const { t } = useI18n();
  const { kind, onChange, onInvalid } = props;
  const [text, setText] = useState(kind.format(props.value));
  const [left, setLeft] = useState(false);
  const [open, setOpen] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // A value set from outside (a reset) replaces what was typed; the echo of our own change does not.
    setText((current) => ((kind.parse(current) ?? '') === props.value ? current : kind.format(props.value)));
  }, [props.value, kind]);
  const invalid = text.trim() !== '' && kind.parse(text) === undefined;
  const typed = (next: string) => {
    setText(next);
    const value = kind.parse(next);
    onInvalid?.(next.trim() !== '' && value === undefined);
    onChange(value ?? '');
  };
  const close = useCallback(() => {
    setOpen(false);
    field.current?.focus();
  }, []);
  const current = kind.parse(text) ?? props.value;
  return (
    <span className="date-field">
      <input
        ref={field}
        id={props.id}
        name={props.name}
        className={`input${left && invalid ? ' is-invalid' : ''}`}
        placeholder={t(...kind.placeholder)}
        inputMode="numeric"
        autoComplete="off"
        maxLength={kind.maxLength}
        aria-label={props['aria-label']}
        aria-invalid={left && invalid ? true : undefined}
        value={text}
        onChange={(e) => typed(e.target.value)}
        onBlur={() => {
          setLeft(true);
          // "5/4/1990" becomes "05/04/1990" once the officer moves on.
          const value = kind.parse(text);
          if (value) setText(kind.format(value));
        }}
      />
      <button type="button" className="date-field-pick" title={t('Chọn ngày trên lịch', 'Pick on a calendar')} aria-label={t('Chọn ngày trên lịch', 'Pick on a calendar')} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <CalendarIcon />
      </button>
      {open ? (
        <CalendarPopup
          value={kind.day(current)}
          onClose={close}
          onPick={(day) => {
            const value = kind.picked(day, current);
            setText(kind.format(value));
            setLeft(true);
            onInvalid?.(false);
            onChange(value);
            close();
          }}
        />
      ) : null}
    </span>
  );
}

/** A date: `value` and `onChange` in YYYY-MM-DD ('' when empty or not a date). */
export function DateInput(props: Props) {
  return <DateField {...props} kind={DATE} />;
}

/** A date and time of day in Hà Nội: `value` and `onChange` in YYYY-MM-DDTHH:mm ('' when empty or not valid). */
export function DateTimeInput(props: Props) {
  return <DateField {...props} kind={DATE_TIME} />;
}

/** Drawn inline: office machines often have no emoji font. */
function CalendarIcon() {
  return (
    <svg className="date-field-icon" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <rect x="3" y="5" width="18" height="16" rx="2" />
      <path d="M3 10h18M8 3v4M16 3v4" />
    </svg>
  );
}
