/**
 * One case (#/cases/<code>): what it is about, how far it has come, and what the officer may do
 * with it now — by its status and his rights: reception at the desk, the leader's review and
 * signature, the seal; extension and withdrawal while it is open; its papers to print.
 */
import { CaseLandPayments } from '../land/LandPayments';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiProblem } from '../../api';
import { Button, Page, Problem } from '../../components/ui';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { useAuthorizedFile } from './authorizedFiles';
import { closedCaseOf } from './caseActions';
import { CaseSideCards } from './CaseSideCards';
import { ExtendDialog, ReasonDialog, RefuseDialog } from './CaseDialogs';
import { CaseLockProvider, useCaseBusy } from './caseLock';
import { ApologyCard } from './ApologyCard';
import { ComplexDialog, OriginalsDialog } from './ReceptionDialogs';
import { EventsCard, StepsCard } from './CaseHistory';
import { CitizenCard, DeadlinesCard, OriginalsCard } from './CaseSummary';
import { FilePreview } from './FilePreview';
import { label, STATUS } from './labels';
import { Papers } from './Papers';
import { ReceptionActions } from './ReceptionActions';
import { ResultPanel, SealPanel } from './SealPanel';
import { SignatureFacts, SignPanel } from './SignPanel';
import type { CaseDocument, CaseScreenView, CaseView } from './types';

type DialogName = 'refuse' | 'extend' | 'withdraw' | 'return' | 'complex' | 'originals';
const OPEN_BEFORE_SEAL = ['receiving', 'signing', 'sealing'];
const FILE_READERS = ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'AUDIT'];
/** After the seal the copy is delivered in the background; the screen looks for it this often, this many times. */
const DELIVERY_POLL_MS = 1000;
const DELIVERY_POLLS = 90;

export function CaseScreen({ code }: { code: string }) {
  return (
    <CaseLockProvider>
      <CaseScreenBody code={code} />
    </CaseLockProvider>
  );
}

function CaseScreenBody({ code }: { code: string }) {
  const { t } = useI18n();
  const busy = useCaseBusy();
  const { has } = useOfficer();
  const [view, setView] = useState<CaseScreenView | null>(null);
  const [documents, setDocuments] = useState<CaseDocument[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [viaDelegation, setViaDelegation] = useState(false);

  const load = useCallback(async () => {
    try {
      const [v, d] = await Promise.all([
        api<CaseScreenView>('GET', `/api/cases/${encodeURIComponent(code)}`),
        api<{ items: CaseDocument[] }>('GET', `/api/cases/${encodeURIComponent(code)}/documents`),
      ]);
      setView(v);
      setDocuments(d.items);
      setProblem(null);
      return v;
    } catch (err) {
      setProblem(err);
      return null;
    }
  }, [code]);

  useEffect(() => {
    setView(null);
    void load();
  }, [load]);

  const copy = documents.find((d) => d.kind === 'certified_copy');
  const deliveryUnderWay = view !== null && ((view.result !== undefined && !copy) || view.status === 'delivering');
  useEffect(() => {
    if (!deliveryUnderWay) return;
    let polls = 0;
    const timer = setInterval(() => {
      if (++polls > DELIVERY_POLLS) clearInterval(timer);
      else void load();
    }, DELIVERY_POLL_MS);
    return () => clearInterval(timer);
  }, [deliveryUnderWay, load]);

  // An officer without CERT_SIGN signs only under a delegation; his inbox says whether this case waits for him.
  const status = view?.status;
  useEffect(() => {
    if (status !== 'signing' || has('CERT_SIGN')) return;
    api<{ items: Array<{ caseCode: string; waitingFor: string; viaDelegation: boolean }> }>('GET', '/api/inbox?pageSize=200')
      .then((r) => setViaDelegation(r.items.some((i) => i.caseCode === code && i.waitingFor === 'CERT_SIGN' && i.viaDelegation)))
      .catch(() => setViaDelegation(false));
  }, [status, code, has]);

  const mayReadFiles = FILE_READERS.some(has);
  const scanPath = view?.scan && mayReadFiles && !view.result ? `/api/files/${view.scan.fileId}` : null;
  const scan = useAuthorizedFile(scanPath);

  const updated = (v: CaseView) => {
    setView((old) => ({ ...old, ...v }));
    // The answer of an action is the workflow's view; the screen's extras (verification link, papers) come from the reads.
    void load();
  };
  const failed = (err: unknown) => {
    const closed = closedCaseOf(err);
    if (closed) setView(closed);
    else if (err instanceof ApiProblem && err.code === 'WRONG_STATE') void load();
  };

  if (!view) {
    return (
      <Page title={t(`Hồ sơ ${code}`, `Case ${code}`)}>
        <Problem problem={problem} />
        {!problem ? <p className="cs-muted">{t('Đang tải…', 'Loading…')}</p> : null}
      </Page>
    );
  }

  const open = OPEN_BEFORE_SEAL.includes(view.status);
  const canSign = view.status === 'signing' && (has('CERT_SIGN') || viaDelegation);
  const receiving = view.status === 'receiving' && has('CERT_CREATE');
  // A dialog stays only while its action still applies: a case that moved on closes it.
  const shown = (name: DialogName, applies: boolean) => dialog === name && applies;
  const dialogProps = { caseCode: view.caseCode, onClose: () => setDialog(null), onDone: updated, onFailed: failed };

  return (
    <Page
      title={t(`Hồ sơ ${view.caseCode}`, `Case ${view.caseCode}`)}
      actions={
        <>
          <span className={`cs-status cs-status-${view.status}`} data-testid="case-status">
            {label(STATUS, view.status, t)}
          </span>
          {open && (has('CERT_CREATE') || has('CERT_SIGN')) ? (
            <Button kind="secondary" disabled={busy} onClick={() => setDialog('extend')}>
              {t('Gia hạn…', 'Extend…')}
            </Button>
          ) : null}
          {open && has('CERT_CREATE') ? (
            <Button kind="secondary" disabled={busy} onClick={() => setDialog('withdraw')}>
              {t('Công dân rút hồ sơ…', 'Withdraw…')}
            </Button>
          ) : null}
        </>
      }
    >
      <p className="cs-unit">
        {view.unit.name} ({view.unit.code})
      </p>
      <Problem problem={problem} />
      {view.projectionError ? (
        <div className="problem" role="alert" data-testid="projection-error">
          {t(
            `Hồ sơ chưa ghi được vào sổ theo dõi (danh sách, hộp việc, báo cáo): ${view.projectionError.message}. Hãy báo quản trị hệ thống.`,
            `The case could not be written to the lists (inbox, lists, reports): ${view.projectionError.message}. Tell the administrator.`,
          )}
        </div>
      ) : null}
      <div className="cs-layout">
        <div className="cs-main">
          {receiving ? <ReceptionActions view={view} onView={updated} onDialog={setDialog} onFailed={failed} /> : null}
          <ApologyCard view={view} documents={documents} />
          {canSign ? <SignPanel view={view} viaDelegation={viaDelegation && !has('CERT_SIGN')} onView={updated} onReturn={() => setDialog('return')} onFailed={failed} /> : null}
          {view.status === 'sealing' && has('CERT_SEAL') ? <SealPanel view={view} onView={updated} onFailed={failed} /> : null}
          {view.result ? <ResultPanel view={view} copy={copy} /> : null}
          {view.signature && !view.result ? <SignatureFacts view={view} /> : null}
          {scanPath ? (
            <section className="card" aria-label={t('Bản quét', 'Scan')}>
              <h2>
                {t('Bản quét bản chính', 'Scan of the original')}
                {view.scan!.broughtByCitizen ? <span className="cs-muted"> — {t('công dân mang đến, đã đối chiếu', 'brought by the citizen, compared')}</span> : null}
              </h2>
              <Problem problem={scan.problem} />
              {scan.file ? <FilePreview url={scan.file.url} mimeType={scan.file.mimeType} title={t(`Bản quét hồ sơ ${view.caseCode}`, `Scan of case ${view.caseCode}`)} height={canSign ? 620 : 420} /> : null}
              {view.scan!.parts.length > 1 ? <p className="cs-muted">{t(`Bản quét gồm ${view.scan!.parts.length} tệp; đang hiển thị tệp đầu.`, `The scan has ${view.scan!.parts.length} files; the first is shown.`)}</p> : null}
            </section>
          ) : null}
          {view.refusal ? (
            <section className="card">
              <h2>{t('Đã từ chối chứng thực', 'Refused')}</h2>
              <p>{view.refusal.groundText}</p>
              <p className="cs-muted">{view.refusal.note}</p>
            </section>
          ) : null}
          <StepsCard view={view} />
          <EventsCard view={view} />
        </div>
        <aside className="cs-side">
          <CitizenCard view={view} />
          <OriginalsCard view={view} />
          <DeadlinesCard view={view} now={Date.now()} />
          <CaseSideCards view={view} />
          <CaseLandPayments caseCode={view.caseCode} />
          <Papers view={view} documents={documents} />
        </aside>
      </div>
      {shown('refuse', receiving) ? <RefuseDialog {...dialogProps} /> : null}
      {shown('complex', receiving) ? <ComplexDialog {...dialogProps} view={view} /> : null}
      {shown('originals', receiving) ? <OriginalsDialog {...dialogProps} view={view} /> : null}
      {shown('extend', open) ? <ExtendDialog {...dialogProps} alreadyGranted={view.extensions.reduce((n, e) => n + e.workingDays, 0)} /> : null}
      {shown('withdraw', open) ? (
        <ReasonDialog {...dialogProps} action="withdraw" title={t('Công dân rút hồ sơ', 'Withdrawal')} label={t('Lý do rút hồ sơ', 'Reason')} confirm={t('Xác nhận rút hồ sơ', 'Confirm the withdrawal')} />
      ) : null}
      {shown('return', canSign) ? (
        <ReasonDialog {...dialogProps} action="return" title={t('Trả lại cán bộ tiếp nhận', 'Return to the officer')} label={t('Lý do trả lại', 'Reason')} confirm={t('Trả lại hồ sơ', 'Return the case')} />
      ) : null}
    </Page>
  );
}
