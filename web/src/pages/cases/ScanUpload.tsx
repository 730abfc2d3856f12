/**
 * Choosing a scan (or any paper to attach): it is shown at once from the officer's own disk, sent
 * to POST /api/files with a progress bar, and handed back as the stored file once the API took it.
 */
import { useEffect, useId, useState } from 'react';
import { api, ApiProblem } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { useI18n } from '../../i18n';
import { FilePreview } from './FilePreview';
import type { UploadedFile } from './types';

export function ScanUpload(props: {
  label: string;
  onUploaded(file: UploadedFile | null): void;
  /** A problem the form has with this file (e.g. the API named the field). */
  error?: string;
  hint?: string;
  preview?: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const [local, setLocal] = useState<{ url: string; type: string; name: string } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [stored, setStored] = useState<UploadedFile | null>(null);
  const [problem, setProblem] = useState<unknown>(null);

  useEffect(() => () => (local ? URL.revokeObjectURL(local.url) : undefined), [local]);

  async function choose(file: File | undefined) {
    setProblem(null);
    setStored(null);
    props.onUploaded(null);
    if (!file) {
      setLocal(null);
      return;
    }
    setLocal({ url: URL.createObjectURL(file), type: file.type, name: file.name });
    setProgress(0);
    try {
      const up = await api<UploadedFile>('POST', '/api/files', { file: { data: file, name: file.name }, onProgress: setProgress });
      setProgress(1);
      setStored(up);
      props.onUploaded(up);
    } catch (err) {
      setProgress(null);
      setProblem(err);
    }
  }

  const uploadError = problem instanceof ApiProblem ? t(problem.vi, problem.en) : problem ? t('Không tải được tệp lên.', 'The upload failed.') : undefined;
  const error = uploadError ?? props.error;
  return (
    <div className={`field cs-upload${error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {props.label}
      </label>
      <FilePicker id={id} accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" onChoose={(file) => void choose(file)} />
      {progress !== null ? (
        <div className="cs-upload-progress">
          <progress max={1} value={progress} aria-label={t('Tiến độ tải lên', 'Upload progress')} />
          <span>{stored ? t('Đã tải lên', 'Uploaded') : `${Math.round(progress * 100)}%`}</span>
        </div>
      ) : null}
      {stored ? (
        <span className="field-hint" data-testid="upload-done">
          {t(`Đã lưu ${stored.originalName ?? ''} — ${Math.ceil(stored.bytes / 1024)} KB${stored.pages ? `, ${stored.pages} trang` : ''}`, `Stored ${stored.originalName ?? ''} — ${Math.ceil(stored.bytes / 1024)} KB${stored.pages ? `, ${stored.pages} pages` : ''}`)}
        </span>
      ) : props.hint && !error ? (
        <span className="field-hint">{props.hint}</span>
      ) : null}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
      {local && props.preview !== false ? <FilePreview url={local.url} mimeType={local.type || 'application/pdf'} title={t(`Xem trước ${local.name}`, `Preview of ${local.name}`)} height={360} /> : null}
    </div>
  );
}
