/**
 * One support request (#/support/YC-…, where the e-mails link): what the unit asked, its status and
 * deadline (standing still while the handler waits for the unit's answer), the handler, the
 * questions and answers, the outcome or the reason it ended, the attachments and its history; and
 * the actions the officer may take on it now — the handler's take, ask, resolve and reject, the
 * requesting unit's answer and cancel.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiProblem } from '../../api';
import { Button, Field, fieldError, Page, Problem } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime, duration } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { downloadFile } from '../cases/authorizedFiles';
import { Dialog } from '../cases/Dialog';
import { SUPPORT_SERVICE_GROUPS } from '../../../../domain/support/support';
import { dueState, eventText, eventTone, OPEN_STATUSES, statusClass, statusText } from './labels';
import type { SupportDetailAnswer, SupportEvent, SupportView } from './types';
import './support.css';

type TextAction = 'ask' | 'answer' | 'resolve' | 'reject' | 'cancel';

interface ActionWords {
  title: [string, string];
  label: [string, string];
  confirm: [string, string];
  kind: 'primary' | 'danger';
}

const WORDS: Record<TextAction, ActionWords> = {
  ask: { title: ['Hỏi đầu mối phối hợp', 'Ask the coordination contact'], label: ['Câu hỏi', 'Question'], confirm: ['Gửi câu hỏi', 'Send the question'], kind: 'primary' },
  answer: { title: ['Trả lời câu hỏi của cán bộ xử lý', 'Answer the handler'], label: ['Nội dung trả lời', 'Answer'], confirm: ['Gửi trả lời', 'Send the answer'], kind: 'primary' },
  resolve: { title: ['Hoàn thành yêu cầu', 'Resolve the request'], label: ['Kết quả xử lý', 'Outcome'], confirm: ['Hoàn thành', 'Resolve'], kind: 'primary' },
  reject: { title: ['Từ chối yêu cầu', 'Reject the request'], label: ['Lý do từ chối', 'Reason'], confirm: ['Từ chối', 'Reject'], kind: 'danger' },
  cancel: { title: ['Hủy yêu cầu hỗ trợ', 'Cancel the request'], label: ['Lý do hủy', 'Reason'], confirm: ['Hủy yêu cầu', 'Cancel the request'], kind: 'danger' },
};

export function SupportDetail({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const { officer, has } = useOfficer();
  const [answer, setAnswer] = useState<SupportDetailAnswer | null>(null);
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const [dialog, setDialog] = useState<TextAction | null>(null);
  const take = useAction({ exclusive: true });
  const download = useAction();

  const load = useCallback(async () => {
    try {
      setAnswer(await api<SupportDetailAnswer>('GET', `/api/support/requests/${encodeURIComponent(code)}`));
      setLoadProblem(null);
    } catch (err) {
      setLoadProblem(err);
    }
  }, [code]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!answer) {
    return (
      <Page title={t(`Yêu cầu hỗ trợ ${code}`, `Support request ${code}`)}>
        <Problem problem={loadProblem} />
        <p>
          <a href="#/support">{t('‹ Danh sách yêu cầu hỗ trợ', '‹ Support requests')}</a>
        </p>
      </Page>
    );
  }
  const r = answer.request;
  const open = OPEN_STATUSES.includes(r.status);
  const mine = !r.handler || r.handler.officerId === officer?.id;
  const handle = has('SUPPORT_HANDLE');
  const manage = has('SUPPORT_MANAGE');
  const done = (view: SupportView) => {
    setAnswer((a) => (a ? { ...a, request: view } : a));
    void load();
  };
  const group = SUPPORT_SERVICE_GROUPS[r.form.serviceGroup]?.vi ?? r.form.serviceGroup;
  const state = dueState({ dueAt: r.dueAt, late: !!r.breachedAt, status: r.status }, Date.now());

  return (
    <Page
      title={r.form.title}
      actions={
        <a href="#/support" className="secondary-link">
          {t('‹ Danh sách yêu cầu hỗ trợ', '‹ Support requests')}
        </a>
      }
    >
      <div className="sp-head card">
        <span className={statusClass(r.status)} data-testid="support-status">
          {statusText(r.status, t)}
        </span>
        <span className="mono">{r.code}</span>
        <span className="sp-deadline" data-testid="support-deadline">
          {r.status === 'waiting' ? (
            <span className="sp-paused">
              {t('Đang chờ đơn vị trả lời — hạn xử lý tạm dừng', 'Waiting for the unit’s answer — the deadline is paused')}
              {r.pausedLeftMs !== undefined ? t(` (còn ${duration(r.pausedLeftMs / 60_000, 'vi')} làm việc)`, ` (${duration(r.pausedLeftMs / 60_000, 'en')} of working time left)`) : ''}
            </span>
          ) : open && r.dueAt ? (
            <span className={state === 'overdue' ? 'cs-late' : state === 'soon' ? 'cs-warn' : ''}>
              {t(`Hạn xử lý: ${dateTime(r.dueAt)}`, `Deadline: ${dateTime(r.dueAt)}`)}
              {state === 'overdue' ? <span className="tag tag-overdue">{t('Quá hạn', 'Overdue')}</span> : null}
              {state === 'soon' ? <span className="tag tag-at-risk">{t('Sắp hết hạn', 'Due soon')}</span> : null}
            </span>
          ) : r.closedAt ? (
            <span className={r.closedOnTime === false ? 'cs-late' : ''}>
              {t(`Kết thúc lúc ${dateTime(r.closedAt)}`, `Closed ${dateTime(r.closedAt)}`)}
              {r.closedOnTime === false ? <span className="tag tag-overdue">{t('Trễ hạn', 'Late')}</span> : r.status !== 'cancelled' ? <span className="tag">{t('Đúng hạn', 'On time')}</span> : null}
            </span>
          ) : null}
        </span>
        <span className="sp-handler">
          {t('Cán bộ xử lý: ', 'Handler: ')}
          <strong>{r.handler?.fullName ?? t('chưa có', 'none yet')}</strong>
          {r.takenAt ? <span className="cs-muted">{t(` (nhận lúc ${dateTime(r.takenAt)})`, ` (since ${dateTime(r.takenAt)})`)}</span> : null}
        </span>
      </div>

      <div className="cs-layout">
        <div>
          {r.status === 'done' && r.outcome ? (
            <section className="card success" data-testid="support-outcome">
              <h2>{t('Kết quả xử lý', 'Outcome')}</h2>
              <p className="sp-text">{r.outcome}</p>
            </section>
          ) : null}
          {r.status === 'rejected' && r.rejectReason ? (
            <section className="card sp-ended" data-testid="support-reject-reason">
              <h2>{t('Lý do từ chối', 'Reason for rejection')}</h2>
              <p className="sp-text">{r.rejectReason}</p>
            </section>
          ) : null}
          {r.status === 'cancelled' && r.cancelReason ? (
            <section className="card sp-ended" data-testid="support-cancel-reason">
              <h2>{t('Lý do hủy', 'Reason for cancelling')}</h2>
              <p className="sp-text">{r.cancelReason}</p>
            </section>
          ) : null}

          <section className="card">
            <h2>{t('Thông tin yêu cầu hỗ trợ', 'Support request')}</h2>
            <dl className="cs-facts" data-testid="support-facts">
              <dt>{t('Đơn vị yêu cầu hỗ trợ', 'Requesting unit')}</dt>
              <dd>{r.unit.name}</dd>
              <dt>{t('Nhóm dịch vụ', 'Service group')}</dt>
              <dd>{group}</dd>
              <dt>{t('Dịch vụ', 'Service')}</dt>
              <dd>{r.form.service ?? '—'}</dd>
              <dt>{t('Người yêu cầu', 'Requester')}</dt>
              <dd>{r.form.requesterName}</dd>
              <dt>{t('Số điện thoại', 'Phone')}</dt>
              <dd>{r.form.requesterPhone}</dd>
              <dt>{t('Người liên hệ', 'Contact person')}</dt>
              <dd>{r.form.contactName ?? '—'}</dd>
              <dt>{t('Số điện thoại liên hệ', 'Contact phone')}</dt>
              <dd>{r.form.contactPhone ?? '—'}</dd>
              <dt>{t('Email phản hồi', 'Feedback e-mail')}</dt>
              <dd>
                {r.form.feedbackEmail}
                {r.form.notifyEachChange ? <span className="tag">{t('nhận thư mỗi lần đổi trạng thái', 'at every change')}</span> : null}
              </dd>
              <dt>{t('Thời gian yêu cầu', 'Requested at')}</dt>
              <dd>
                {dateTime(r.filedAt)} — {r.filedBy.fullName}
              </dd>
            </dl>
            <h3 className="sp-h3">{t('Mô tả yêu cầu', 'Description')}</h3>
            <p className="sp-text" data-testid="support-description">
              {r.form.description}
            </p>
            <h3 className="sp-h3">{t('File đính kèm', 'Attachments')}</h3>
            {r.form.attachments.length === 0 ? (
              <p className="cs-muted">{t('Không có tệp đính kèm.', 'No attachment.')}</p>
            ) : (
              <ul className="sp-files" data-testid="support-attachments">
                {r.form.attachments.map((a) => (
                  <li key={a.fileId}>
                    <span className="sp-file-name">{a.name}</span>
                    <span className="sp-file-size">{Math.max(1, Math.ceil(a.bytes / 1024))} KB</span>
                    <button
                      type="button"
                      className="acc-link-button"
                      aria-label={t(`Tải về ${a.name}`, `Download ${a.name}`)}
                      onClick={() => void download.run(() => downloadFile(`/api/support/requests/${encodeURIComponent(r.code)}/attachments/${a.fileId}`, a.name))}
                    >
                      {t('Tải về', 'Download')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <Problem problem={download.problem} />
          </section>

          <section className="card">
            <h2>{t('Trao đổi với đầu mối phối hợp', 'Questions and answers')}</h2>
            {r.waits.length === 0 ? (
              <p className="cs-muted">{t('Chưa có câu hỏi nào.', 'No question yet.')}</p>
            ) : (
              <ol className="sp-waits" data-testid="support-waits">
                {r.waits.map((w, i) => (
                  <li key={i}>
                    <div className="sp-q">
                      <strong>{t('Hỏi', 'Q')}</strong> <time>{dateTime(w.askedAt)}</time> — {w.askedBy.fullName}
                      <p className="sp-text">{w.question}</p>
                    </div>
                    {w.answer !== undefined ? (
                      <div className="sp-a">
                        <strong>{t('Trả lời', 'A')}</strong> <time>{w.answeredAt ? dateTime(w.answeredAt) : ''}</time>
                        {w.workingMinutes !== undefined ? <span className="cs-muted">{t(` — chờ ${duration(w.workingMinutes, 'vi')} làm việc`, ` — waited ${duration(w.workingMinutes, 'en')} of working time`)}</span> : null}
                        <p className="sp-text">{w.answer}</p>
                      </div>
                    ) : (
                      <div className="sp-a sp-pending">{t('Đang chờ đơn vị trả lời', 'Waiting for the unit’s answer')}</div>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div>
          {open ? (
            <section className="card cs-actions-card" aria-label={t('Thao tác', 'Actions')}>
              <h2>{t('Thao tác', 'Actions')}</h2>
              <div className="sp-actions">
                {handle && r.status === 'received' ? (
                  <Button
                    busy={take.busy}
                    onClick={() =>
                      void take.run(async () => {
                        done(await api<SupportView>('POST', `/api/support/requests/${encodeURIComponent(r.code)}/take`, { body: {} }));
                      })
                    }
                  >
                    {t('Nhận xử lý', 'Take')}
                  </Button>
                ) : null}
                {handle && r.status === 'in_progress' && mine ? (
                  <>
                    <Button kind="secondary" onClick={() => setDialog('ask')}>
                      {t('Hỏi đầu mối phối hợp', 'Ask the contact')}
                    </Button>
                    <Button onClick={() => setDialog('resolve')}>{t('Hoàn thành', 'Resolve')}</Button>
                  </>
                ) : null}
                {handle && mine ? (
                  <Button kind="danger" onClick={() => setDialog('reject')}>
                    {t('Từ chối', 'Reject')}
                  </Button>
                ) : null}
                {manage && r.status === 'waiting' ? <Button onClick={() => setDialog('answer')}>{t('Trả lời', 'Answer')}</Button> : null}
                {manage ? (
                  <Button kind="danger" onClick={() => setDialog('cancel')}>
                    {t('Hủy yêu cầu', 'Cancel the request')}
                  </Button>
                ) : null}
              </div>
              {handle && !mine ? <p className="cs-muted">{t(`Yêu cầu do ${r.handler?.fullName ?? ''} xử lý.`, `Handled by ${r.handler?.fullName ?? ''}.`)}</p> : null}
              {manage && r.status === 'waiting' && r.waits.at(-1) ? (
                <p className="warning-banner" data-testid="support-question">
                  {t('Câu hỏi của cán bộ xử lý: ', 'The handler asks: ')}
                  <strong>{r.waits.at(-1)!.question}</strong>
                </p>
              ) : null}
              <Problem problem={take.problem} />
            </section>
          ) : null}

          <section className="card">
            <h2>{t('Lịch sử xử lý', 'History')}</h2>
            <ul className="cs-events" data-testid="support-history">
              {answer.events.map((e) => (
                <li key={e.seq} className={eventTone(e.kind)}>
                  <time>{dateTime(e.at)}</time>
                  <strong>{eventText(e.kind, t)}</strong>
                  {e.data.by ? <span> — {e.data.by.fullName}</span> : null}
                  <EventDetail event={e} lang={lang} />
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
      {dialog ? <TextActionDialog code={r.code} action={dialog} onClose={() => setDialog(null)} onDone={done} /> : null}
    </Page>
  );
}

function EventDetail({ event, lang }: { event: SupportEvent; lang: 'vi' | 'en' }) {
  const { t } = useI18n();
  const d = event.data;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (event.kind) {
    case 'received':
      return d.dueAt ? <div className="cs-muted">{t(`Hạn xử lý ${dateTime(text(d.dueAt))}`, `Due ${dateTime(text(d.dueAt))}`)}</div> : null;
    case 'asked':
      return <div className="sp-text">{text(d.question)}</div>;
    case 'answered':
      return (
        <div className="sp-text">
          {text(d.answer)}
          {typeof d.waitedWorkingMinutes === 'number' ? <span className="cs-muted">{t(` (chờ ${duration(d.waitedWorkingMinutes, lang)})`, ` (waited ${duration(d.waitedWorkingMinutes, lang)})`)}</span> : null}
        </div>
      );
    case 'done':
      return <div className="sp-text">{text(d.outcome)}</div>;
    case 'rejected':
    case 'cancelled':
      return <div className="sp-text">{text(d.reason)}</div>;
    case 'requester.emailed':
      return (
        <div className="cs-muted">
          {text(d.to)} — {d.status === 'sent' ? t('đã gửi', 'sent') : t('không gửi được', 'not sent')}
        </div>
      );
    default:
      return null;
  }
}

/** The dialog of an action that needs words: the question, the answer, the outcome or a reason. */
function TextActionDialog(props: { code: string; action: TextAction; onClose(): void; onDone(view: SupportView): void }) {
  const { t } = useI18n();
  const words = WORDS[props.action];
  const [text, setText] = useState('');
  const { busy, problem, run } = useAction({ exclusive: true });
  const confirm = () =>
    void run(async () => {
      const view = await api<SupportView>('POST', `/api/support/requests/${encodeURIComponent(props.code)}/${props.action}`, { body: { text } });
      props.onDone(view);
      props.onClose();
    });
  const textError = fieldError(problem, 'text') ?? (problem instanceof ApiProblem && problem.code === 'INVALID_INPUT' ? t(problem.vi, problem.en) : undefined);
  return (
    <Dialog
      title={t(...words.title)}
      onClose={props.onClose}
      actions={
        <>
          <Button kind={words.kind} busy={busy} onClick={confirm}>
            {t(...words.confirm)}
          </Button>
          <Button kind="secondary" disabled={busy} onClick={props.onClose}>
            {t('Đóng', 'Close')}
          </Button>
        </>
      }
    >
      <Field label={t(...words.label)} required error={textError}>
        <textarea name="text" className="input" rows={4} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
      </Field>
      {textError ? null : <Problem problem={problem} />}
    </Dialog>
  );
}
