/**
 * Where the payment gateway sends the citizen back (#/portal/dat-dai/ket-qua/<order>): the result
 * as our system recorded it from the gateway's signed callback — never from the address bar — and,
 * once paid, the receipt to open. It asks again every 2 seconds while the result is not in.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { downloadFile } from '../cases/authorizedFiles';
import { Button, Page, Problem } from '../../components/ui';
import { dateTime, vnd } from '../../format';
import { useI18n } from '../../i18n';
import '../land/land.css';

interface Payment {
  orderId: string;
  purpose: 'land' | 'case_fee';
  dossierCode: string;
  noticeNumber: string;
  taxpayer: string;
  amountVnd: number;
  status: 'created' | 'paid' | 'declined' | 'expired';
  statusText: string;
  txnRef: string | null;
  paidAt: string | null;
  expiresAt: string;
  receiptNo: string | null;
  receiptUrl: string | null;
}

export function LandPaymentResult({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const [payment, setPayment] = useState<Payment | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api<Payment>('GET', `/api/citizen/land-payments/${encodeURIComponent(orderId)}`, { as: 'citizen' })
        .then((p) => {
          if (stop) return;
          setPayment(p);
          if (p.status === 'created' || (p.status === 'paid' && !p.receiptUrl)) timer = setTimeout(load, 2000);
        })
        .catch(setProblem);
    void load();
    return () => {
      stop = true;
      if (timer) clearTimeout(timer);
    };
  }, [orderId]);

  const headline = !payment
    ? ''
    : payment.status === 'paid'
      ? t('Thanh toán thành công', 'Payment successful')
      : payment.status === 'created'
        ? t('Đang chờ kết quả từ cổng thanh toán…', 'Waiting for the payment gateway…')
        : payment.status === 'declined'
          ? t('Thanh toán không thành công', 'Payment not completed')
          : t('Giao dịch đã hết hạn', 'The payment expired');
  return (
    <Page title={payment?.purpose === 'case_fee' ? t('Kết quả thanh toán phí chứng thực', 'Certification fee payment result') : t('Kết quả thanh toán nghĩa vụ tài chính về đất đai', 'Land obligation payment result')}>
      <Problem problem={problem} />
      {payment ? (
        <section className={`land-outcome ${payment.status}`} data-testid="land-outcome" data-status={payment.status}>
          <h2>{headline}</h2>
          <dl className="facts">
            <dt>{t('Mã giao dịch', 'Order')}</dt>
            <dd className="mono">{payment.orderId}</dd>
            <dt>{t('Mã hồ sơ', 'Dossier code')}</dt>
            <dd className="mono">{payment.dossierCode}</dd>
            {payment.purpose === 'land' ? (
              <>
                <dt>{t('Số thông báo', 'Notice')}</dt>
                <dd className="mono">{payment.noticeNumber}</dd>
              </>
            ) : null}
            <dt>{payment.purpose === 'land' ? t('Người nộp thuế', 'Taxpayer') : t('Người nộp', 'Payer')}</dt>
            <dd>{payment.taxpayer}</dd>
            <dt>{t('Số tiền', 'Amount')}</dt>
            <dd>{vnd(payment.amountVnd)}</dd>
            {payment.paidAt ? (
              <>
                <dt>{t('Thời điểm thanh toán', 'Paid at')}</dt>
                <dd>{dateTime(payment.paidAt)}</dd>
              </>
            ) : null}
            {payment.receiptNo ? (
              <>
                <dt>{t('Biên lai', 'Receipt')}</dt>
                <dd className="mono">{payment.receiptNo}</dd>
              </>
            ) : null}
          </dl>
          <div className="actions">
            {payment.receiptUrl ? (
              <Button onClick={() => void downloadFile(payment.receiptUrl!, undefined, 'citizen').catch(setProblem)}>{t('Xem biên lai', 'Open the receipt')}</Button>
            ) : null}
            {payment.purpose === 'land' ? (
              <a className="btn btn-secondary" href="#/portal/dat-dai">
                {t('Tra cứu hồ sơ khác', 'Look up another dossier')}
              </a>
            ) : null}
          </div>
          {payment.status === 'paid' ? (
            <p className="notice small">
              {t('Biên lai đã được lưu trong mục "Giấy tờ của tôi", gửi tin nhắn tới số điện thoại của tài khoản và gửi về hệ thống của địa phương.', 'The receipt is in "My documents", was sent by SMS notice and goes to the locality’s system.')}
            </p>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}
