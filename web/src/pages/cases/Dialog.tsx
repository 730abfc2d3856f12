/** A modal dialog over the case screen, named by its title so assistive technology (and tests) find it. */
import { useEffect, useId, type ReactNode } from 'react';

export function Dialog(props: { title: string; onClose(): void; children: ReactNode; actions: ReactNode }) {
  const id = useId();
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="cs-dialog-backdrop">
      <div className="cs-dialog" role="dialog" aria-modal="true" aria-labelledby={id}>
        <h2 id={id}>{props.title}</h2>
        <div className="cs-dialog-body">{props.children}</div>
        <div className="cs-dialog-actions">{props.actions}</div>
      </div>
    </div>
  );
}
