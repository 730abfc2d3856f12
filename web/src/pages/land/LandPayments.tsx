/**
 * The desk's "Thanh toán nghĩa vụ tài chính đất đai" (seed 003 step d: "màn hình trên phần mềm 1
 * cửa ghi nhận kết quả thanh toán và xem được biên lai"): the payments of the localities in the
 * officer's scope, newest first, and one payment with its steps — paid, receipt, SMS, delivery to
 * the locality with its attempts — and its receipt.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { downloadFile } from '../cases/authorizedFiles';
import { Button, Field, Page, Pager, Problem, Select } from '../../components/ui';
import { dateTime, vnd } from '../../format';
import { useI18n } from '../../i18n';
import './land.css';

export interface LandPayment {
  orderId: string;
  dossierCode: string;
  noticeNumber: string;
  taxpayer: string;
  idNumber: string;
  items: Array<{ content: string; amountVnd: number }>;
  amountVnd: number;
  localityName: string;
  unitName?: string;
  status: 'created' | 'paid' | 'declined' | 'expired';
  statusText: string;
  txnRef: string | null;
  createdAt: string;
  paidAt: string | null;
  receiptNo: string | null;
  receiptUrl: string | null;
  delivery: 'none' | 'pending' | 'delivered';
  deliveryAttempts: number;
  deliveryError: string | null;
  deliveredAt: string | null;
  deliveryReference: string | null;
  caseCode: string | null;
  events?: Array<{ seq: number; at: string; kind: string; data: Record<string, unknown> }>;
}

const PAGE_SIZE = 20;

export function useDeliveryText() {
  const { t } = useI18n();
  return (p: LandPayment) =>
    p.delivery === 'delivered'
      ? t('Đã gửi về địa phương', 'Sent to the locality')
      : p.delivery === 'pending'
        ? t(`Đang gửi lại (${p.deliveryAttempts} lần chưa được)`, `Retrying (${p.deliveryAttempts} failed)`)
        : '—';
}

export function LandPayments({ route }: { route: string[] }) {
  return route[1] ? <LandPaymentDetail key={route[1]} orderId={route[1]} /> : <LandPaymentList />;
}

function LandPaymentList() {
  const { t } = useI18n();
  const deliveryText = useDeliveryText();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [list, setList] = useState<{ total: number; items: LandPayment[] } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<{ total: number; items: LandPayment[] }>('GET', `/api/land-payments?page=${page}&pageSize=${PAGE_SIZE}${status ? `&status=${status}` : ''}`)
      .then(setList)
      .catch(setProblem);
  }, [page, status]);
  const pages = list ? Math.max(1, Math.ceil(list.total / PAGE_SIZE)) : 1;
  return (
    <Page title={t('Thanh toán nghĩa vụ tài chính về đất đai', 'Land obligation payments')}>
      <div className="land-filter">
        <Field label={t('Trạng thái', 'Status')}>
          <Select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPage(1);
            }}
          >
            <option value="">{t('Tất cả', 'All')}</option>
            <option value="paid">{t('Đã thanh toán', 'Paid')}</option>
            <option value="created">{t('Chờ thanh toán', 'Waiting')}</option>
            <option value="declined">{t('Không thành công', 'Declined')}</option>
            <option value="expired">{t('Hết hạn', 'Expired')}</option>
          </Select>
        </Field>
      </div>
      <Problem problem={problem} />
      {list && list.items.length === 0 ? <p className="empty">{t('Chưa có giao dịch thanh toán nào của đơn vị.', 'No payments for your units yet.')}</p> : null}
      {list && list.items.length > 0 ? (
        <table className="grid" data-testid="land-payments">
          <thead>
            <tr>
              <th>{t('Thời gian', 'Time')}</th>
              <th>{t('Mã hồ sơ', 'Dossier')}</th>
              <th>{t('Số thông báo', 'Notice')}</th>
              <th>{t('Người nộp thuế', 'Taxpayer')}</th>
              <th className="num">{t('Số tiền', 'Amount')}</th>
              <th>{t('Kết quả', 'Result')}</th>
              <th>{t('Biên lai', 'Receipt')}</th>
              <th>{t('Gửi địa phương', 'To the locality')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((p) => (
              <tr key={p.orderId} onClick={() => (window.location.hash = `#/land-payments/${p.orderId}`)}>
                <td>{dateTime(p.paidAt ?? p.createdAt)}</td>
                <td className="mono">
                  <a href={`#/land-payments/${p.orderId}`}>{p.dossierCode}</a>
                </td>
                <td className="mono">{p.noticeNumber}</td>
                <td>{p.taxpayer}</td>
                <td className="num">{vnd(p.amountVnd)}</td>
                <td>
                  <span className={`badge ${p.status}`}>{p.statusText}</span>
                </td>
                <td className="mono">{p.receiptNo ?? '—'}</td>
                <td>{deliveryText(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager page={page} pages={pages} onPage={setPage} />
    </Page>
  );
}

const EVENT_VI: Record<string, [string, string]> = {
  created: ['Tạo giao dịch, chuyển sang cổng thanh toán', 'Order created, sent to the gateway'],
  paid: ['Cổng thanh toán báo đã thanh toán', 'The gateway reported the payment'],
  declined: ['Cổng thanh toán báo không thành công', 'The gateway reported a decline'],
  expired: ['Hết hạn, không có kết quả thanh toán', 'Expired without a result'],
  'receipt.issued': ['Lập biên lai, lưu vào giấy tờ của công dân', 'Receipt issued to the citizen’s documents'],
  'citizen.sms': ['Gửi tin nhắn cho công dân', 'SMS to the citizen'],
  'locality.delivered': ['Hệ thống của địa phương đã nhận biên lai', 'The locality’s system accepted the receipt'],
  'callback.late': ['Kết quả đến sau khi giao dịch đã kết thúc (cần đối soát)', 'A result after the order ended (to reconcile)'],
};

function LandPaymentDetail({ orderId }: { orderId: string }) {
  const { t } = useI18n();
  const deliveryText = useDeliveryText();
  const [p, setP] = useState<LandPayment | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<LandPayment>('GET', `/api/land-payments/${encodeURIComponent(orderId)}`).then(setP).catch(setProblem);
  }, [orderId]);
  return (
    <Page
      title={t(`Giao dịch ${orderId}`, `Payment ${orderId}`)}
      actions={
        <a className="btn btn-secondary" href="#/land-payments">
          {t('Danh sách', 'List')}
        </a>
      }
    >
      <Problem problem={problem} />
      {p ? (
        <section className="land-detail" data-testid="land-payment" data-status={p.status}>
          <dl className="facts">
            <dt>{t('Kết quả thanh toán', 'Result')}</dt>
            <dd>
              <span className={`badge ${p.status}`}>{p.statusText}</span>
            </dd>
            <dt>{t('Mã hồ sơ', 'Dossier code')}</dt>
            <dd className="mono">
              {p.dossierCode}
              {p.caseCode ? (
                <>
                  {' — '}
                  <a href={`#/cases/${p.caseCode}`}>{t('hồ sơ của đơn vị', 'our case')}</a>
                </>
              ) : null}
            </dd>
            <dt>{t('Số thông báo', 'Notice')}</dt>
            <dd className="mono">{p.noticeNumber}</dd>
            <dt>{t('Người nộp thuế', 'Taxpayer')}</dt>
            <dd>
              {p.taxpayer} ({p.idNumber})
            </dd>
            <dt>{t('Nội dung', 'Content')}</dt>
            <dd>{p.items.map((i) => `${i.content}: ${vnd(i.amountVnd)}`).join('; ')}</dd>
            <dt>{t('Tổng tiền', 'Total')}</dt>
            <dd>
              <strong>{vnd(p.amountVnd)}</strong>
            </dd>
            <dt>{t('Địa bàn', 'Locality')}</dt>
            <dd>{p.localityName}</dd>
            <dt>{t('Mã giao dịch cổng thanh toán', 'Gateway transaction')}</dt>
            <dd className="mono">{p.txnRef ?? '—'}</dd>
            <dt>{t('Thời điểm thanh toán', 'Paid at')}</dt>
            <dd>{p.paidAt ? dateTime(p.paidAt) : '—'}</dd>
            <dt>{t('Biên lai', 'Receipt')}</dt>
            <dd className="mono">{p.receiptNo ?? '—'}</dd>
            <dt>{t('Gửi về địa phương', 'To the locality')}</dt>
            <dd>
              {deliveryText(p)}
              {p.deliveryReference ? ` — ${t('số tiếp nhận', 'reference')} ${p.deliveryReference}` : ''}
              {p.delivery === 'pending' && p.deliveryError ? <div className="small">{p.deliveryError}</div> : null}
            </dd>
          </dl>
          <div className="actions">
            {p.receiptUrl ? <Button onClick={() => void downloadFile(p.receiptUrl!).catch(setProblem)}>{t('Xem biên lai', 'Open the receipt')}</Button> : null}
          </div>
          <h2>{t('Diễn biến', 'Steps')}</h2>
          <ol className="land-events">
            {(p.events ?? []).map((e) => (
              <li key={e.seq}>
                {dateTime(e.at)} — {t(...(EVENT_VI[e.kind] ?? [e.kind, e.kind]))}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </Page>
  );
}

/** On a case screen: the land payments made under that case's code (the certification fee path), if any. */
export function CaseLandPayments({ caseCode }: { caseCode: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<LandPayment[]>([]);
  useEffect(() => {
    api<{ items: LandPayment[] }>('GET', `/api/land-payments?dossierCode=${encodeURIComponent(caseCode)}`)
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [caseCode]);
  if (items.length === 0) return null;
  return (
    <section className="card" data-testid="case-land-payments">
      <h3>{t('Thanh toán trực tuyến', 'Online payments')}</h3>
      <ul>
        {items.map((p) => (
          <li key={p.orderId}>
            <a href={`#/land-payments/${p.orderId}`}>{p.noticeNumber}</a> — {vnd(p.amountVnd)} — <span className={`badge ${p.status}`}>{p.statusText}</span>
            {p.receiptNo ? ` — ${t('biên lai', 'receipt')} ${p.receiptNo}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
