/**
 * The answer of one check as an HTTP client shows it: status line, time and size, the session
 * step of a configured API, notes (a cut body, a redirect not followed), then Body (JSON pretty
 * printed) and Headers tabs.
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import type { CheckAnswer } from './types';

function pretty(body: string, isJson: boolean): string {
  if (!isJson) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // cut or malformed JSON: shown as received
    return body;
  }
}

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} KB`);

export function ResponsePanel({ answer }: { answer: CheckAnswer | null }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<'body' | 'headers'>('body');
  // Every new answer opens on its body, as an HTTP client does.
  useEffect(() => setTab('body'), [answer]);
  const r = answer?.response;
  return (
    <section className="api-response" aria-label="Response" data-testid="api-response">
      <h3>Response</h3>
      {!answer ? <p className="cs-muted">{t('Chọn Gửi để xem kết quả gọi API.', 'Press Send to see the answer.')}</p> : null}
      {answer?.session ? (
        <p className={`api-session ${answer.session.ok ? 'ok' : 'bad'}`} data-testid="api-session">
          {t('Lấy session', 'Session')}: {answer.session.status ?? '—'} · {answer.session.timeMs} ms — {answer.session.message}
        </p>
      ) : null}
      {r ? (
        <>
          <div className="api-status-line">
            <span className="api-method">{r.method}</span> <span className="api-target">{r.target}</span>
          </div>
          {r.error ? (
            <div className="problem" role="alert" data-code={r.error.code}>
              {t(r.error.message, r.error.messageEn)}
            </div>
          ) : (
            <div className="api-meta">
              <span className={`api-status s${String(r.status ?? 0)[0]}`} data-testid="api-status">
                Status: {r.status} {r.statusText}
              </span>
              <span data-testid="api-time">Time: {r.timeMs} ms</span>
              <span>Size: {size(r.bodyBytes)}</span>
            </div>
          )}
          {r.notes.map((n) => (
            <p key={n} className="api-note" role="note">
              {n}
            </p>
          ))}
          {r.error ? null : (
            <>
              <nav className="tabs" aria-label={t('Phản hồi', 'Response')}>
                <button type="button" className={tab === 'body' ? 'active' : ''} onClick={() => setTab('body')}>
                  Body
                </button>
                <button type="button" className={tab === 'headers' ? 'active' : ''} onClick={() => setTab('headers')}>
                  Headers ({r.headers.length})
                </button>
              </nav>
              {tab === 'body' ? (
                <pre className="api-body" data-testid="api-body">
                  {pretty(r.body, r.isJson)}
                </pre>
              ) : (
                <table className="grid static api-headers" data-testid="api-headers">
                  <tbody>
                    {r.headers.map(([k, v], i) => (
                      <tr key={`${k}${i}`}>
                        <th>{k}</th>
                        <td>{v}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          )}
        </>
      ) : null}
    </section>
  );
}
