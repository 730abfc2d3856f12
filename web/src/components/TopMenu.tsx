/**
 * The header's menu on one line, whatever rights the officer holds: the entries that fit are shown,
 * the rest go under "Thêm ▾" (More) at its end, so the header never grows a second row at 1366 px.
 * Widths are measured on a hidden copy of the entries (the page's own font and language), again
 * whenever the room changes.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';

export interface TopMenuEntry {
  path: string;
  text: string;
}

const GAP = 2;

export function TopMenu({ entries, current }: { entries: TopMenuEntry[]; current: string }) {
  const { t } = useI18n();
  const nav = useRef<HTMLElement>(null);
  const ruler = useRef<HTMLDivElement>(null);
  const [fits, setFits] = useState(entries.length);
  const [open, setOpen] = useState(false);
  const texts = entries.map((e) => e.text).join('\n');

  useLayoutEffect(() => {
    const measure = () => {
      if (!nav.current || !ruler.current) return;
      const widths = [...ruler.current.children].map((c) => c.getBoundingClientRect().width);
      const more = widths.pop() ?? 0;
      const room = nav.current.clientWidth;
      const all = widths.reduce((sum, w) => sum + w + GAP, 0);
      if (all <= room) return setFits(widths.length);
      let used = more;
      let n = 0;
      while (n < widths.length && used + widths[n]! + GAP <= room) used += widths[n++]! + GAP;
      setFits(n);
    };
    measure();
    void document.fonts?.ready.then(measure);
    const watcher = new ResizeObserver(measure);
    if (nav.current) watcher.observe(nav.current);
    return () => watcher.disconnect();
  }, [texts]);

  useEffect(() => setOpen(false), [current]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!nav.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const shown = entries.slice(0, fits);
  const rest = entries.slice(fits);
  const moreText = t('Thêm', 'More');
  return (
    <nav className="menu" ref={nav} aria-label={t('Chức năng', 'Menu')}>
      {shown.map((m) => (
        <a key={m.path} href={`#/${m.path}`} className={current === m.path ? 'active' : ''}>
          {m.text}
        </a>
      ))}
      {rest.length > 0 ? (
        <span className="menu-more" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <button type="button" className={rest.some((m) => m.path === current) ? 'active' : ''} aria-haspopup="true" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {moreText} ▾
          </button>
          {open ? (
            <span className="menu-more-list">
              {rest.map((m) => (
                <a key={m.path} href={`#/${m.path}`} className={current === m.path ? 'active' : ''}>
                  {m.text}
                </a>
              ))}
            </span>
          ) : null}
        </span>
      ) : null}
      <div className="menu-ruler" ref={ruler} aria-hidden="true">
        {entries.map((m) => (
          <a key={m.path}>{m.text}</a>
        ))}
        <button type="button" tabIndex={-1}>
          {moreText} ▾
        </button>
      </div>
    </nav>
  );
}
