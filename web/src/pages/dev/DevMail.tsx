/** The embedded SMTP server's mailbox as the citizens' mailboxes: what the system e-mailed, and each message. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Page, Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { go } from '../../router';

interface MailSummary {
  id: string;
  envelopeTo: string[];
  from: string | null;
  subject: string | null;
  attachmentCount: number;
  receivedAt: string;
}

interface MailMessage extends Omit<MailSummary, 'attachmentCount'> {
  to: string | null;
  text: string | null;
  attachments: Array<{ index: number; filename: string; contentType: string; size: number }>;
}

function MailList() {
  const { t } = useI18n();
  const [items, setItems] = useState<MailSummary[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    const load = () =>
      api<{ items: MailSummary[] }>('GET', '/api/dev/mail?pageSize=50', { as: 'public' })
        .then((r) => setItems(r.items))
        .catch(setProblem);
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <Problem problem={problem} />
      <table className="grid dev-grid" aria-label={t('Thư điện tử', 'E-mails')}>
        <thead>
          <tr>
            <th>{t('Thời gian', 'Time')}</th>
            <th>{t('Người nhận', 'To')}</th>
            <th>{t('Tiêu đề', 'Subject')}</th>
            <th>{t('Đính kèm', 'Attachments')}</th>
          </tr>
        </thead>
        <tbody>
          {items && items.length === 0 ? (
            <tr className="acc-empty">
              <td colSpan={4}>{t('Chưa có thư nào.', 'No e-mail yet.')}</td>
            </tr>
          ) : null}
          {items?.map((m) => (
            <tr key={m.id} onClick={() => go('dev', 'mail', m.id)}>
              <td>{dateTime(m.receivedAt)}</td>
              <td>{m.envelopeTo.join(', ')}</td>
              <td>
                <a href={`#/dev/mail/${m.id}`}>{m.subject ?? t('(không có tiêu đề)', '(no subject)')}</a>
              </td>
              <td>{m.attachmentCount || ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function MailView({ id }: { id: string }) {
  const { t } = useI18n();
  const [message, setMessage] = useState<MailMessage | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<MailMessage>('GET', `/api/dev/mail/${encodeURIComponent(id)}`, { as: 'public' })
      .then(setMessage)
      .catch(setProblem);
  }, [id]);
  return (
    <>
      <p>
        <a href="#/dev/mail">← {t('Tất cả thư', 'All e-mails')}</a>
      </p>
      <Problem problem={problem} />
      {message ? (
        <article className="card dev-mail">
          <h2 className="acc-card-title">{message.subject ?? t('(không có tiêu đề)', '(no subject)')}</h2>
          <dl className="acc-facts">
            <dt>{t('Người gửi', 'From')}</dt>
            <dd>{message.from ?? '—'}</dd>
            <dt>{t('Người nhận', 'To')}</dt>
            <dd>{message.to ?? message.envelopeTo.join(', ')}</dd>
            <dt>{t('Nhận lúc', 'Received')}</dt>
            <dd>{dateTime(message.receivedAt)}</dd>
            {message.attachments.length > 0 ? (
              <>
                <dt>{t('Đính kèm', 'Attachments')}</dt>
                <dd>{message.attachments.map((a) => `${a.filename} (${Math.ceil(a.size / 1024)} KB)`).join(', ')}</dd>
              </>
            ) : null}
          </dl>
          <pre className="dev-mail-text">{message.text ?? ''}</pre>
        </article>
      ) : null}
    </>
  );
}

export function DevMailInbox({ id }: { id?: string }) {
  const { t } = useI18n();
  return (
    <Page title={t('Hộp thư điện tử thử nghiệm', 'Test mailbox')}>
      <p className="notice">
        {t(
          'Thư hệ thống gửi qua máy chủ SMTP nội bộ được giữ lại và hiển thị tại đây. Chỉ dùng khi thử nghiệm.',
          'E-mails the system sends through the embedded SMTP server are kept and shown here. For trying the system only.',
        )}
      </p>
      {id ? <MailView id={id} /> : <MailList />}
    </Page>
  );
}
