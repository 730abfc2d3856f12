/** Small building blocks every screen uses: a labelled field with its error, a problem banner, buttons. */
import type { InputHTMLAttributes, MouseEvent, ReactNode, SelectHTMLAttributes } from 'react';
import { ApiProblem } from '../api';
import { useI18n } from '../i18n';

export function Field(props: { label: string; error?: string; required?: boolean; hint?: string; children: ReactNode }) {
  return (
    <label className={`field${props.error ? ' has-error' : ''}`}>
      <span className="field-label">
        {props.label}
        {props.required ? <span className="required"> *</span> : null}
      </span>
      {props.children}
      {props.hint && !props.error ? <span className="field-hint">{props.hint}</span> : null}
      {props.error ? (
        <span className="field-error" role="alert">
          {props.error}
        </span>
      ) : null}
    </label>
  );
}

export function TextInput(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input {...props} className={`input ${props.className ?? ''}`} />;
}

export function Select(props: SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  return <select {...props} className={`input ${props.className ?? ''}`} />;
}

/** A unit picker: every unit the officer may choose, by name with its code. */
export function UnitSelect({ units, value, onChange }: { units: ReadonlyArray<{ id: string; name: string; code: string }>; value: string; onChange: (unitId: string) => void }) {
  return (
    <Select name="unitId" value={value} onChange={(e) => onChange(e.target.value)}>
      {units.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name} ({u.code})
        </option>
      ))}
    </Select>
  );
}

/** The API's own words about what went wrong, in the chosen language. */
export function Problem({ problem }: { problem: unknown }) {
  const { t } = useI18n();
  if (!problem) return null;
  const text = problem instanceof ApiProblem ? t(problem.vi, problem.en) : t('Đã có lỗi, vui lòng thử lại.', 'Something went wrong; try again.');
  return (
    <div className="problem" role="alert" data-code={problem instanceof ApiProblem ? problem.code : undefined}>
      {text}
    </div>
  );
}

/** A field's own problem from the API (by its path), or the problem itself when it is about that field only. */
export function fieldError(problem: unknown, field: string): string | undefined {
  return problem instanceof ApiProblem ? problem.fieldProblem(field) : undefined;
}

/**
 * A button that keeps its size while its action runs (the label stays, hidden under a spinner),
 * so nothing slides under the pointer; the second click of a double click (detail 2) is ignored,
 * so a double click acts once even when the first answer came back in between.
 */
export function Button(props: { onClick?: () => void; busy?: boolean; kind?: 'primary' | 'secondary' | 'danger'; type?: 'button' | 'submit'; disabled?: boolean; children: ReactNode; name?: string }) {
  const onClick = (e: MouseEvent<HTMLButtonElement>) => {
    if (e.detail > 1) e.preventDefault();
    else props.onClick?.();
  };
  return (
    <button
      type={props.type ?? 'button'}
      name={props.name}
      className={`btn btn-${props.kind ?? 'primary'}${props.busy ? ' is-busy' : ''}`}
      aria-busy={props.busy || undefined}
      onClick={onClick}
      disabled={props.busy || props.disabled}
    >
      <span className="btn-label">{props.children}</span>
      {props.busy ? <span className="btn-spinner" aria-hidden="true" /> : null}
    </button>
  );
}

/** Previous / next over `pages` pages; nothing when there is one page only. */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage(page: number): void }) {
  const { t } = useI18n();
  if (pages <= 1) return null;
  return (
    <div className="pager">
      <Button kind="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('‹ Trang trước', '‹ Previous')}
      </Button>
      <span>
        {page}/{pages}
      </span>
      <Button kind="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('Trang sau ›', 'Next ›')}
      </Button>
    </div>
  );
}

export function Page(props: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-head">
        <h1>{props.title}</h1>
        <div className="page-actions">{props.actions}</div>
      </header>
      {props.children}
    </section>
  );
}
