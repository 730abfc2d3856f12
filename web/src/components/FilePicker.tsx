/**
 * Choosing a file in the page's language: a "Chọn tệp…" button, the chosen file's name (or "Chưa
 * chọn tệp"), and a file dropped on it counts as chosen. The browser's own input stays in the page,
 * hidden, so a <label> still points at it and it still takes files (tests set them on it); only its
 * "Choose File / No file chosen" in the browser's language is gone. The button's name is only
 * "Chọn tệp…" so that the field's label names one control, the input.
 */
import { useId, useRef, useState, type DragEvent } from 'react';
import { useI18n } from '../i18n';

export function FilePicker(props: {
  /** The hidden input's id, for a <label htmlFor>. */
  id?: string;
  name?: string;
  accept: string;
  onChoose(file: File | undefined): void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const statusId = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const choose = (file: File | undefined) => {
    setChosen(file?.name ?? null);
    props.onChoose(file);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!props.disabled) choose(e.dataTransfer.files[0]);
  };
  return (
    <span
      className={`file-picker${dragging ? ' is-dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <input
        ref={input}
        id={props.id}
        name={props.name}
        type="file"
        className="file-picker-native"
        tabIndex={-1}
        accept={props.accept}
        disabled={props.disabled}
        onChange={(e) => {
          choose(e.target.files?.[0]);
          // The same file chosen again (after a refusal, say) is a new choice.
          e.target.value = '';
        }}
      />
      <button
        type="button"
        className="btn btn-secondary file-picker-button"
        disabled={props.disabled}
        aria-describedby={statusId}
        onClick={() => input.current?.click()}
      >
        {t('Chọn tệp…', 'Choose a file…')}
      </button>
      <span id={statusId} className={`file-picker-name${chosen ? '' : ' is-empty'}`} data-testid="file-picker-name">
        {chosen ?? t('Chưa chọn tệp', 'No file chosen')}
      </span>
    </span>
  );
}
