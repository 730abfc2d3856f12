/**
 * "File đính kèm": several files chosen at once (or dropped), each sent on its own to
 * POST /api/support/attachments with its progress bar; a file the API refuses (a renamed one is
 * recognised by its content) shows the API's words next to it and is left out of the request.
 */
import { useId, useRef, useState, type DragEvent } from 'react';
import { api, ApiProblem } from '../../api';
import { useI18n } from '../../i18n';
import type { StoredAttachment } from './types';

export interface AttachmentRow {
  key: string;
  name: string;
  bytes: number;
  progress: number;
  stored?: StoredAttachment;
  problem?: unknown;
}

let counter = 0;

/** The seed's order of the accepted types ("Chỉ nhận file .jpg, .mp3, .mp4, …"). */
const SEED_ORDER = ['jpg', 'mp3', 'mp4', 'png', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'txt'];
const order = (ext: string) => {
  const i = SEED_ORDER.indexOf(ext.replace(/^\./, ''));
  return i < 0 ? SEED_ORDER.length : i;
};

export function AttachmentsField(props: {
  rows: AttachmentRow[];
  setRows(update: (rows: AttachmentRow[]) => AttachmentRow[]): void;
  extensions: string[];
  maxFiles: number;
  maxBytes: number;
  error?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const { setRows } = props;
  const patch = (key: string, change: Partial<AttachmentRow>) => setRows((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  async function send(key: string, file: File) {
    try {
      const stored = await api<StoredAttachment>('POST', '/api/support/attachments', { file: { data: file, name: file.name }, onProgress: (f) => patch(key, { progress: f }) });
      patch(key, { progress: 1, stored });
    } catch (err) {
      patch(key, { problem: err });
    }
  }

  function choose(files: FileList | null) {
    if (!files) return;
    const added = [...files].map((file) => ({ file, row: { key: `a${++counter}`, name: file.name, bytes: file.size, progress: 0 } as AttachmentRow }));
    setRows((rows) => [...rows, ...added.map((a) => a.row)]);
    for (const a of added) void send(a.row.key, a.file);
  }

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    choose(e.dataTransfer.files);
  };
  const accepted = [...props.extensions].sort((a, b) => order(a) - order(b)).map((x) => (x.startsWith('.') ? x : `.${x}`));
  const kept = props.rows.filter((r) => !r.problem).length;
  return (
    <div className={`field sp-attachments${props.error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {t('File đính kèm', 'Attachments')}
      </label>
      <div
        className={`file-picker sp-drop${dragging ? ' is-dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <input
          ref={input}
          id={id}
          name="attachments"
          type="file"
          multiple
          className="file-picker-native"
          tabIndex={-1}
          accept={accepted.join(',')}
          onChange={(e) => {
            choose(e.target.files);
            e.target.value = '';
          }}
        />
        <button type="button" className="btn btn-secondary file-picker-button" onClick={() => input.current?.click()} disabled={kept >= props.maxFiles}>
          {t('Chọn tệp…', 'Choose files…')}
        </button>
        <span className="field-hint">{t(`Có thể chọn nhiều tệp cùng lúc, hoặc kéo thả vào đây (tối đa ${props.maxFiles} tệp, mỗi tệp ${Math.round(props.maxBytes / 1048576)} MB).`, `Several files at once, or drop them here (at most ${props.maxFiles} files of ${Math.round(props.maxBytes / 1048576)} MB each).`)}</span>
      </div>
      <span className="sp-accept">{t(`Chỉ nhận file ${accepted.join(', ')}`, `Only ${accepted.join(', ')} files`)}</span>
      {props.rows.length > 0 ? (
        <ul className="sp-files" data-testid="attachments">
          {props.rows.map((r) => (
            <li key={r.key} className={r.problem ? 'sp-file-refused' : r.stored ? 'sp-file-stored' : ''} data-file-name={r.name}>
              <span className="sp-file-name">{r.name}</span>
              <span className="sp-file-size">{Math.max(1, Math.ceil(r.bytes / 1024))} KB</span>
              {r.problem ? (
                <span className="field-error" role="alert">
                  {r.problem instanceof ApiProblem ? t(r.problem.vi, r.problem.en) : t('Không tải được tệp lên.', 'The upload failed.')}
                </span>
              ) : r.stored ? (
                <span className="acc-attached">{t('Đã tải lên', 'Uploaded')}</span>
              ) : (
                <span className="cs-upload-progress">
                  <progress max={1} value={r.progress} aria-label={t(`Tiến độ tải lên ${r.name}`, `Upload progress of ${r.name}`)} />
                  <span>{Math.round(r.progress * 100)}%</span>
                </span>
              )}
              <button type="button" className="acc-link-button" onClick={() => setRows((rows) => rows.filter((x) => x.key !== r.key))} aria-label={t(`Bỏ tệp ${r.name}`, `Remove ${r.name}`)}>
                {t('Bỏ', 'Remove')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {props.error ? (
        <span className="field-error" role="alert">
          {props.error}
        </span>
      ) : null}
    </div>
  );
}
