/** Step 2 at the desk: attach (another) scan, mark the case complex, submit it to the leader, or refuse it. */
import { useState } from 'react';
import { Button, Problem } from '../../components/ui';
import { useI18n } from '../../i18n';
import { actOn } from './caseActions';
import { ScanUpload } from './ScanUpload';
import type { CaseView, UploadedFile } from './types';

export function ReceptionActions(props: { view: CaseView; onView(view: CaseView): void; onRefuse(): void; onFailed(err: unknown): void }) {
  const { t } = useI18n();
  const { view } = props;
  const [upload, setUpload] = useState<UploadedFile | null>(null);
  const [brought, setBrought] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  // A new choice of file remounts the uploader, so an attached scan does not linger in it.
  const [uploaderKey, setUploaderKey] = useState(0);

  async function run(name: string, action: () => Promise<CaseView>) {
    setBusy(name);
    setProblem(null);
    try {
      props.onView(await action());
      return true;
    } catch (err) {
      setProblem(err);
      props.onFailed(err);
      return false;
    } finally {
      setBusy(null);
    }
  }

  async function attach() {
    if (!upload) return;
    if (await run('scan', () => actOn(view.caseCode, 'scan', { fileId: upload.fileId, broughtByCitizen: brought }))) {
      setUpload(null);
      setBrought(false);
      setUploaderKey((k) => k + 1);
    }
  }

  return (
    <section className="card cs-actions-card" aria-label={t('Xử lý tiếp nhận', 'Reception actions')}>
      <h2>{t('Xử lý tiếp nhận', 'Reception')}</h2>
      <div className="cs-attach">
        <ScanUpload key={uploaderKey} label={view.scan ? t('Đính kèm bản quét khác (thay bản trước)', 'Attach another scan (replaces the earlier one)') : t('Đính kèm bản quét', 'Attach the scan')} onUploaded={setUpload} />
        <label className="cs-checkbox">
          <input type="checkbox" checked={brought} onChange={(e) => setBrought(e.target.checked)} />
          {t('Bản quét do công dân mang đến, đã đối chiếu với bản chính', 'Brought by the citizen, compared with the original')}
        </label>
        <Button kind="secondary" busy={busy === 'scan'} disabled={!upload} onClick={() => void attach()}>
          {t('Lưu bản quét vào hồ sơ', 'Attach to the case')}
        </Button>
      </div>
      <div className="cs-action-row">
        <Button busy={busy === 'submit'} disabled={!view.scan} onClick={() => void run('submit', () => actOn(view.caseCode, 'submit'))}>
          {t('Trình lãnh đạo ký', 'Submit for signature')}
        </Button>
        <Button kind="secondary" busy={busy === 'complex'} onClick={() => void run('complex', () => actOn(view.caseCode, 'complex', { complex: !view.complex }))}>
          {view.complex ? t('Bỏ đánh dấu phức tạp', 'Not complex') : t('Đánh dấu hồ sơ phức tạp (16 giờ)', 'Mark complex (16 hours)')}
        </Button>
        <Button kind="danger" onClick={props.onRefuse}>
          {t('Từ chối chứng thực…', 'Refuse…')}
        </Button>
      </div>
      {!view.scan ? <p className="field-hint">{t('Cần đính kèm bản quét trước khi trình ký.', 'Attach the scan before submitting.')}</p> : null}
      <Problem problem={problem} />
    </section>
  );
}
