/**
 * Step 2 at the desk: attach (another) scan — one set of files for all originals, or one per
 * original — check its pages against the originals declared, correct the declaration, mark the
 * case complex, submit it to the leader, or refuse it.
 */
import { useState } from 'react';
import { Button, Problem } from '../../components/ui';
import { useI18n } from '../../i18n';
import { pageMismatchMessage, scanPageMismatches } from '../../../../domain/certification/scanPages';
import { actOn } from './caseActions';
import { useCaseAction } from './caseLock';
import { ScanUpload } from './ScanUpload';
import type { CaseView, UploadedFile } from './types';

export type ReceptionDialog = 'refuse' | 'complex' | 'originals';

export function ReceptionActions(props: { view: CaseView; onView(view: CaseView): void; onDialog(name: ReceptionDialog): void; onFailed(err: unknown): void }) {
  const { t } = useI18n();
  const { view } = props;
  const several = view.documents.length > 1;
  const [perOriginal, setPerOriginal] = useState(false);
  /** The chosen files: one for the whole scan, or one per original (by index). */
  const [uploads, setUploads] = useState<Array<UploadedFile | null>>([]);
  const [brought, setBrought] = useState(false);
  const { running, locked, problem, run } = useCaseAction();
  // A new choice of file remounts the uploaders, so an attached scan does not linger in them.
  const [uploaderKey, setUploaderKey] = useState(0);

  const split = several && perOriginal;
  const chosen = split ? view.documents.map((_, i) => uploads[i] ?? null) : [uploads[0] ?? null];
  const ready = chosen.every((u) => u !== null);

  const act = (name: string, action: () => Promise<CaseView>, after?: () => void) =>
    run(
      name,
      async () => {
        props.onView(await action());
        after?.();
      },
      props.onFailed,
    );

  function attach() {
    const files = chosen as UploadedFile[];
    const body = {
      fileId: files[0]!.fileId,
      ...(files.length > 1 ? { moreFileIds: files.slice(1).map((f) => f.fileId) } : {}),
      ...(split ? { fileOriginals: files.map((_, i) => i) } : {}),
      broughtByCitizen: brought,
    };
    void act('scan', () => actOn(view.caseCode, 'scan', body), () => {
      setUploads([]);
      setBrought(false);
      setUploaderKey((k) => k + 1);
    });
  }

  const setUpload = (i: number) => (file: UploadedFile | null) => setUploads((old) => Object.assign([...old], { [i]: file }));
  const mismatches = view.scan ? scanPageMismatches(view.documents, view.scan.parts) : [];
  const mismatch = mismatches.length > 0 ? pageMismatchMessage(view.documents, mismatches) : null;
  const scannedPages = view.scan?.parts.every((p) => p.pages !== undefined) ? view.scan.parts.reduce((n, p) => n + (p.pages ?? 0), 0) : null;

  return (
    <section className="card cs-actions-card" aria-label={t('Xử lý tiếp nhận', 'Reception actions')}>
      <h2>{t('Xử lý tiếp nhận', 'Reception')}</h2>
      {view.initialScanError && !view.scan ? (
        <div className="problem" role="alert" data-testid="initial-scan-error">
          {t(`Bản quét gửi kèm khi tiếp nhận chưa đính kèm được: ${view.initialScanError.vi} Hãy đính kèm lại.`, `The scan sent with the reception could not be attached: ${view.initialScanError.en} Attach it again.`)}
        </div>
      ) : null}
      <div className="cs-attach">
        {several ? (
          <div className="cs-scan-mode" role="radiogroup" aria-label={t('Cách quét', 'How the scan is split')}>
            <label className="cs-checkbox">
              <input type="radio" name="scan-mode" checked={!perOriginal} onChange={() => setPerOriginal(false)} />
              {t('Một bản quét cho tất cả bản chính', 'One scan for all originals')}
            </label>
            <label className="cs-checkbox">
              <input type="radio" name="scan-mode" checked={perOriginal} onChange={() => setPerOriginal(true)} />
              {t('Bản quét riêng cho từng bản chính', 'A scan for each original')}
            </label>
          </div>
        ) : null}
        {split ? (
          view.documents.map((d, i) => (
            <ScanUpload key={`${uploaderKey}-${i}`} label={t(`Bản quét bản chính ${i + 1}: ${d.type} (${d.pages} trang)`, `Scan of original ${i + 1}: ${d.type} (${d.pages} pages)`)} onUploaded={setUpload(i)} preview={false} />
          ))
        ) : (
          <ScanUpload key={uploaderKey} label={view.scan ? t('Đính kèm bản quét khác (thay bản trước)', 'Attach another scan (replaces the earlier one)') : t('Đính kèm bản quét', 'Attach the scan')} onUploaded={setUpload(0)} />
        )}
        <label className="cs-checkbox">
          <input type="checkbox" checked={brought} onChange={(e) => setBrought(e.target.checked)} />
          {t('Bản quét do công dân mang đến, đã đối chiếu với bản chính', 'Brought by the citizen, compared with the original')}
        </label>
        <Button kind="secondary" busy={running === 'scan'} disabled={!ready || locked} onClick={attach}>
          {t('Lưu bản quét vào hồ sơ', 'Attach to the case')}
        </Button>
      </div>
      {mismatch ? (
        <div className="problem" role="alert" data-testid="page-mismatch">
          {t(mismatch.vi, mismatch.en)}
        </div>
      ) : scannedPages !== null ? (
        <p className="field-hint" data-testid="pages-match">
          {t(`Bản quét ${scannedPages} trang, khớp với bản chính đã khai.`, `The scan's ${scannedPages} pages match the originals declared.`)}
        </p>
      ) : null}
      <div className="cs-action-row">
        <Button busy={running === 'submit'} disabled={!view.scan || mismatch !== null || locked} onClick={() => void act('submit', () => actOn(view.caseCode, 'submit'))}>
          {t('Trình lãnh đạo ký', 'Submit for signature')}
        </Button>
        <Button kind="secondary" disabled={locked} onClick={() => props.onDialog('originals')}>
          {t('Sửa bản chính đã khai…', 'Correct the originals…')}
        </Button>
        <Button kind="secondary" disabled={locked} onClick={() => props.onDialog('complex')}>
          {view.complex ? t('Bỏ đánh dấu phức tạp…', 'Not complex…') : t('Đánh dấu hồ sơ phức tạp…', 'Mark complex…')}
        </Button>
        <Button kind="danger" disabled={locked} onClick={() => props.onDialog('refuse')}>
          {t('Từ chối chứng thực…', 'Refuse…')}
        </Button>
      </div>
      {!view.scan ? <p className="field-hint">{t('Cần đính kèm bản quét trước khi trình ký.', 'Attach the scan before submitting.')}</p> : null}
      <Problem problem={problem} />
    </section>
  );
}
