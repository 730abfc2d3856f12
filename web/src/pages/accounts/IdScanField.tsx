/**
 * The scan of both sides of the ID card: one .doc, .docx or .pdf file of at most 5 MB, uploaded as
 * soon as it is chosen, with its progress; the API decides by content and its refusal is shown
 * here, next to the field. A file over 5 MB is refused before it is sent, in the API's own words,
 * so a slow line does not carry it for nothing.
 */
import { useState } from 'react';
import { api, ApiProblem } from '../../api';
import { FilePicker } from '../../components/FilePicker';
import { Field } from '../../components/ui';
import { useI18n } from '../../i18n';
import { PaperclipIcon } from './icons';
import type { UploadedScan } from './types';

export const ID_SCAN_MAX_BYTES = 5 * 1024 * 1024;

/** The API's own words (infra/idScanContent.ts), said before a slow line carries the file for nothing. */
const tooLarge = (bytes: number) => {
  const mb = (locale: string) => (bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 });
  // Just over the limit rounds to the limit itself: "5 MB, at most 5 MB" would puzzle the officer.
  const [vi, en] = mb('vi-VN') === '5' ? ['hơn 5', 'over 5'] : [mb('vi-VN'), mb('en-GB')];
  return new ApiProblem(
    413,
    'FILE_TOO_LARGE',
    `Tệp bản quét CCCD/CMND quá lớn (${vi} MB): dung lượng tối đa cho phép là 5 MB. Hãy quét lại với độ phân giải thấp hơn (ví dụ 200 dpi) hoặc nén tệp, vẫn giữ hai mặt thẻ trong một tệp.`,
    `The ID scan is too large (${en} MB); at most 5 MB is accepted. Scan it again at a lower resolution (e.g. 200 dpi) or compress it, keeping both sides of the card in one file.`,
    undefined,
  );
};

export function IdScanField(props: { value: UploadedScan | null; onChange: (scan: UploadedScan | null) => void; error?: string }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [name, setName] = useState<string | null>(null);

  async function choose(file: File | undefined) {
    props.onChange(null);
    setProblem(null);
    setName(file?.name ?? null);
    if (!file) return;
    if (file.size > ID_SCAN_MAX_BYTES) {
      setProblem(tooLarge(file.size));
      return;
    }
    setProgress(0);
    try {
      const scan = await api<UploadedScan>('POST', '/api/citizen-accounts/id-scans', { file: { data: file, name: file.name }, onProgress: setProgress });
      props.onChange({ ...scan, originalName: scan.originalName ?? file.name });
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : new ApiProblem(0, 'UPLOAD', 'Không tải được tệp lên, vui lòng thử lại.', 'The upload failed; try again.', undefined));
    } finally {
      setProgress(null);
    }
  }

  const error = problem ? t(problem.vi, problem.en) : props.error;
  return (
    <Field
      label={t('Đính kèm CCCD/CMND', 'ID card scan')}
      required
      error={error}
      hint={t('Đề nghị đính kèm 1 file định dạng file doc, docx, pdf gồm 2 mặt CCCD/CMND', 'Attach 1 file (doc, docx or pdf) with both sides of the ID card')}
    >
      <FilePicker
        name="idScan"
        accept=".doc,.docx,.pdf,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        onChoose={(file) => void choose(file)}
      />
      {progress !== null ? (
        <span className="acc-progress">
          <progress max={1} value={progress} aria-label={t('Tiến độ tải lên', 'Upload progress')} /> {Math.round(progress * 100)}%
        </span>
      ) : null}
      {props.value ? (
        <span className="acc-attached" data-testid="id-scan-attached">
          <PaperclipIcon /> {t('File đính kèm', 'Attached')}: {props.value.originalName ?? name} ({(props.value.bytes / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 0 })} KB
          {props.value.pages ? t(`, ${props.value.pages} trang`, `, ${props.value.pages} pages`) : ''})
        </span>
      ) : null}
    </Field>
  );
}
