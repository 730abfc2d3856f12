/**
 * The fee receipt of a case (biên lai thu phí): once the citizen has paid, the desk officer
 * (CERT_CREATE) records it — the amount is the case's fee and cannot be changed, the payer is the
 * requester unless someone else paid, cash or transfer — and prints the receipt. One receipt per
 * case; none for a refused or withdrawn case. Every case reader sees the receipt once it exists.
 */
import { CaseFeeLink } from '../land/CaseFeeLink';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiProblem } from '../../api';
import { Button, Field, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime, vnd } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { downloadFile } from './authorizedFiles';
import { Dialog } from './Dialog';
import type { CaseView } from './types';

export interface FeeReceipt {
  receiptNo: string;
  caseCode: string;
  amountVnd: number;
  method: 'cash' | 'transfer';
  payerName: string;
  note: string | null;
  collectedBy: { id: string; fullName: string };
  collectedAt: string;
}

const METHODS = { cash: ['Tiền mặt', 'Cash'], transfer: ['Chuyển khoản', 'Bank transfer'] } as const;
const NOT_CHARGED = ['refused', 'withdrawn'];

function IssueDialog({ view, onClose, onIssued }: { view: CaseView; onClose(): void; onIssued(r: FeeReceipt): void }) {
  const { t } = useI18n();
  const [payerName, setPayerName] = useState(view.citizen.fullName);
  const [method, setMethod] = useState<'cash' | 'transfer'>('cash');
  const [note, setNote] = useState('');
  const { busy, problem, run } = useAction();
  const issue = () =>
    run(async () => {
      try {
        onIssued(await api<FeeReceipt>('POST', `/api/cases/${encodeURIComponent(view.caseCode)}/fee-receipt`, { body: { method, payerName, note } }));
      } catch (err) {
        // Another officer was quicker: his receipt is the case's receipt.
        if (err instanceof ApiProblem && err.code === 'FEE_ALREADY_COLLECTED') onIssued((err.details as { receipt: FeeReceipt }).receipt);
        else throw err;
      }
    });
  const fieldError = (field: string) => (problem instanceof ApiProblem ? problem.fieldProblem(field) : undefined);
  return (
    <Dialog
      title={t('Lập biên lai thu phí', 'Issue the fee receipt')}
      onClose={onClose}
      actions={
        <>
          <Button kind="secondary" onClick={onClose}>
            {t('Hủy', 'Cancel')}
          </Button>
          <Button busy={busy} onClick={() => void issue()}>
            {t('Lập biên lai', 'Issue the receipt')}
          </Button>
        </>
      }
    >
      <Field label={t('Số tiền', 'Amount')} hint={t('Theo biểu phí chứng thực của hồ sơ, không sửa được.', 'The case’s fee by the legal rates; it cannot be changed.')}>
        <TextInput name="amount" value={vnd(view.fee.totalVnd)} readOnly />
      </Field>
      <Field label={t('Người nộp tiền', 'Paid by')} required error={fieldError('payerName')}>
        <TextInput name="payerName" value={payerName} onChange={(e) => setPayerName(e.target.value)} />
      </Field>
      <Field label={t('Hình thức nộp', 'Payment method')} required error={fieldError('method')}>
        <Select name="method" value={method} onChange={(e) => setMethod(e.target.value as 'cash' | 'transfer')}>
          {(Object.keys(METHODS) as Array<keyof typeof METHODS>).map((m) => (
            <option key={m} value={m}>
              {t(METHODS[m][0], METHODS[m][1])}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('Ghi chú', 'Note')} error={fieldError('note')}>
        <TextInput name="note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <Problem problem={problem instanceof ApiProblem && problem.fields.length > 0 ? null : problem} />
    </Dialog>
  );
}

export function FeeReceiptCard({ view }: { view: CaseView }) {
  const { t } = useI18n();
  const { has } = useOfficer();
  const code = view.caseCode;
  const [receipt, setReceipt] = useState<FeeReceipt | null | undefined>(undefined);
  const [dialog, setDialog] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [printing, setPrinting] = useState(false);

  const load = useCallback(() => {
    api<FeeReceipt>('GET', `/api/cases/${encodeURIComponent(code)}/fee-receipt`)
      .then(setReceipt)
      .catch((err: unknown) => {
        if (err instanceof ApiProblem && err.code === 'FEE_NOT_COLLECTED') setReceipt(null);
        else setProblem(err);
      });
  }, [code]);
  useEffect(load, [load]);

  async function print(r: FeeReceipt) {
    setPrinting(true);
    setProblem(null);
    try {
      await downloadFile(`/api/cases/${encodeURIComponent(code)}/fee-receipt/pdf`, `bien-lai-${r.receiptNo}-${code}.pdf`);
    } catch (err) {
      setProblem(err);
    } finally {
      setPrinting(false);
    }
  }

  const mayIssue = has('CERT_CREATE') && !NOT_CHARGED.includes(view.status);
  return (
    <section className="card" aria-label={t('Biên lai thu phí', 'Fee receipt')} data-testid="fee-receipt">
      <h2>{t('Biên lai thu phí', 'Fee receipt')}</h2>
      {receipt ? (
        <>
          <dl className="cs-facts">
            <dt>{t('Số biên lai', 'Receipt number')}</dt>
            <dd className="mono" data-testid="receipt-no">
              {receipt.receiptNo}
            </dd>
            <dt>{t('Số tiền', 'Amount')}</dt>
            <dd>{vnd(receipt.amountVnd)}</dd>
            <dt>{t('Người nộp', 'Paid by')}</dt>
            <dd>{receipt.payerName}</dd>
            <dt>{t('Hình thức', 'Method')}</dt>
            <dd>{t(METHODS[receipt.method][0], METHODS[receipt.method][1])}</dd>
            <dt>{t('Thu lúc', 'Collected')}</dt>
            <dd>
              {dateTime(receipt.collectedAt)} — {receipt.collectedBy.fullName}
            </dd>
            {receipt.note ? (
              <>
                <dt>{t('Ghi chú', 'Note')}</dt>
                <dd>{receipt.note}</dd>
              </>
            ) : null}
          </dl>
          {receipt.amountVnd !== view.fee.totalVnd ? (
            // The originals were corrected after the receipt: the desk settles the difference.
            <div className="notice" data-testid="fee-changed">
              {t(
                `Lệ phí của hồ sơ đã được sửa thành ${vnd(view.fee.totalVnd)} sau khi lập biên lai ${vnd(receipt.amountVnd)}: phần chênh lệch thu thêm hoặc hoàn trả theo quy định kế toán của đơn vị.`,
                `The case's fee was corrected to ${vnd(view.fee.totalVnd)} after the ${vnd(receipt.amountVnd)} receipt: the difference is collected or refunded by the unit's accounting rules.`,
              )}
            </div>
          ) : null}
          <Button kind="secondary" busy={printing} onClick={() => void print(receipt)}>
            {t('In biên lai (PDF)', 'Print the receipt (PDF)')}
          </Button>
        </>
      ) : null}
      {receipt === null ? (
        <>
          <p className="cs-muted">
            {NOT_CHARGED.includes(view.status)
              ? t('Hồ sơ không thu phí (đã từ chối hoặc rút).', 'No fee for this case (refused or withdrawn).')
              : t(`Chưa thu phí: ${vnd(view.fee.totalVnd)}.`, `Fee not collected yet: ${vnd(view.fee.totalVnd)}.`)}
          </p>
          {mayIssue ? (
            <Button kind="secondary" onClick={() => setDialog(true)}>
              {t('Lập biên lai thu phí…', 'Issue the fee receipt…')}
            </Button>
          ) : null}
          {mayIssue && view.fee.totalVnd > 0 ? <CaseFeeLink caseCode={code} onPaid={load} /> : null}
        </>
      ) : null}
      <Problem problem={problem} />
      {dialog ? (
        <IssueDialog
          view={view}
          onClose={() => setDialog(false)}
          onIssued={(r) => {
            setReceipt(r);
            setDialog(false);
          }}
        />
      ) : null}
    </section>
  );
}
