/**
 * On a case's fee card: instead of collecting at the counter, the desk makes a payment link of the
 * case's fee for the citizen to pay on the payment gateway (opened here or sent to the citizen);
 * once paid, the case's fee receipt appears on the card by itself.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';

interface Link {
  orderId: string;
  payUrl: string;
  expiresAt: string;
  status: string;
}

export function CaseFeeLink({ caseCode, onPaid }: { caseCode: string; onPaid: () => void }) {
  const { t } = useI18n();
  const [link, setLink] = useState<Link | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  // While the link is open, look for its result now and then: the receipt is the workflow's.
  useEffect(() => {
    if (!link) return;
    const timer = setInterval(() => {
      api<{ status: string; receiptNo: string | null }>('GET', `/api/land-payments/${link.orderId}`)
        .then((p) => {
          if (p.receiptNo) onPaid();
          if (p.status !== 'created') setLink((l) => (l ? { ...l, status: p.status } : l));
        })
        .catch(() => undefined);
    }, 3000);
    return () => clearInterval(timer);
  }, [link?.orderId, onPaid]);

  async function make() {
    setBusy(true);
    setProblem(null);
    try {
      setLink(await api<Link>('POST', `/api/cases/${encodeURIComponent(caseCode)}/fee-payment`));
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="fee-online" data-testid="fee-online">
      {link ? (
        <p>
          {t('Đường dẫn thanh toán trực tuyến (hiệu lực đến ', 'Online payment link (valid until ')}
          {dateTime(link.expiresAt)}):{' '}
          <a href={link.payUrl} target="_blank" rel="noreferrer" data-testid="fee-pay-url">
            {t('mở trang thanh toán', 'open the payment page')}
          </a>
          {link.status === 'declined' || link.status === 'expired' ? ` — ${t('không thành công, tạo đường dẫn mới', 'not paid, make a new link')}` : ''}
        </p>
      ) : null}
      <Button kind="secondary" busy={busy} onClick={() => void make()}>
        {t('Thanh toán trực tuyến…', 'Pay online…')}
      </Button>
      <Problem problem={problem} />
    </div>
  );
}
