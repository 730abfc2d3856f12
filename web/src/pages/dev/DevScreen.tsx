/**
 * #/dev/sms and #/dev/mail, open before login (the officer needs his login code), and the small
 * header link to them, shown only when the API has the dev inboxes enabled.
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { DevMailInbox } from './DevMail';
import { DevSmsInbox } from './DevSms';

export function DevScreen({ route }: { route: string[] }) {
  if (route[1] === 'mail') return <DevMailInbox id={route[2]} />;
  return <DevSmsInbox />;
}

export function DevInboxLinks() {
  const { t } = useI18n();
  const [enabled, setEnabled] = useState(false);
  useEffect(() => {
    // A disabled inbox answers 404: then nothing is shown.
    fetch('/api/dev/sms?pageSize=1')
      .then((r) => setEnabled(r.ok))
      .catch(() => setEnabled(false));
  }, []);
  if (!enabled) return null;
  return (
    <span className="dev-links">
      <a href="#/dev/sms" title={t('Tin nhắn SMS hệ thống đã gửi (thử nghiệm)', 'SMS the system sent (testing)')}>
        {t('Hộp thư SMS', 'SMS inbox')}
      </a>
      <a href="#/dev/mail" title={t('Thư điện tử hệ thống đã gửi (thử nghiệm)', 'E-mails the system sent (testing)')}>
        {t('Hộp thư email', 'Mailbox')}
      </a>
    </span>
  );
}
