/**
 * Uploaded scans, stored by content: the bytes go to FILES_DIR/<ab>/<cd>/<sha256> (written to a
 * temporary name, synced, then renamed, so a reader never sees half a file), and one row per
 * distinct content in uploaded_files. Storing the same bytes again gives the same file id.
 * Type, size and completeness are checked on the bytes (infra/fileContent.ts), and a PDF or image
 * is read as a well-formed document within memory and time bounds (infra/uploads), before
 * anything is written.
 */
import type { SupportAttachmentType } from './supportAttachmentContent';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Clock } from '../api/clock';
import { type AcceptedType, checkFileContent, type CheckedContent } from './fileContent';
import { inspectUpload, isInspected } from './uploads/inspect';
import { inspectionLimitsFromEnv, type InspectionLimits } from './uploads/limits';

/**
 * Word documents are accepted only where a check allows them (the ID-card scan of an account
 * request); the other kinds only as attachments of a support request.
 */
export type StoredType = AcceptedType | 'application/msword' | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' | SupportAttachmentType;

/** Decides from the bytes what a file is, or refuses it; nothing is stored before it answers. */
export type ContentCheck<T extends StoredType = StoredType> = (data: Buffer, maxBytes: number, originalName?: string | null) => Omit<CheckedContent, 'mimeType'> & { mimeType: T };

export interface FileStoreConfig {
  /** Where the bytes live. */
  dir: string;
  /** Largest accepted file. */
  maxBytes: number;
  /** Bounds on reading a PDF or image before it is accepted (infra/uploads); by default from the environment. */
  inspection?: InspectionLimits;
}

export const DEFAULT_FILES_DIR = resolve(__dirname, '..', '.data', 'files');
export const DEFAULT_UPLOAD_MAX_MB = 20;

/** FILES_DIR (default <DATA_DIR>/files, <project>/.data/files without DATA_DIR) and UPLOAD_MAX_MB (default 20). */
export function fileStoreConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FileStoreConfig {
  const mb = env.UPLOAD_MAX_MB;
  const maxMb = mb === undefined || mb === '' ? DEFAULT_UPLOAD_MAX_MB : Number(mb);
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new Error(`UPLOAD_MAX_MB must be a positive number of megabytes, got ${mb}`);
  // The files live with the rest of the system's data unless placed elsewhere.
  const dir = env.FILES_DIR || (env.DATA_DIR ? resolve(env.DATA_DIR, 'files') : DEFAULT_FILES_DIR);
  return { dir: resolve(dir), maxBytes: Math.floor(maxMb * 1024 * 1024), inspection: inspectionLimitsFromEnv(env) };
}

export interface StoredFile<T extends StoredType = StoredType> {
  fileId: string;
  sha256: string;
  mimeType: T;
  bytes: number;
  /** Pages of a PDF when they could be counted; null for images. */
  pages: number | null;
  /** The name of the first upload of this content, when it had one. */
  originalName: string | null;
  uploadedBy: string;
  uploadedAt: Date;
}

export interface PutMeta<T extends StoredType = AcceptedType> {
  uploadedBy: string;
  originalName?: string | null;
  /** The content rule and size limit; by default a scan of an original (PDF, JPEG, PNG) up to maxBytes. */
  check?: ContentCheck<T>;
  maxBytes?: number;
}

interface FileRow {
  id: string;
  sha256: string;
  mime_type: StoredType;
  bytes: string;
  pages: number | null;
  original_name: string | null;
  uploaded_by: string;
  uploaded_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toStored = (r: FileRow): StoredFile => ({
  fileId: r.id,
  sha256: r.sha256,
  mimeType: r.mime_type,
  bytes: Number(r.bytes),
  pages: r.pages,
  originalName: r.original_name,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
});

const SELECT = 'select id, sha256, mime_type, bytes::text as bytes, pages, original_name, uploaded_by, uploaded_at from uploaded_files';

export class FileStore {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    readonly config: FileStoreConfig,
  ) {}

  get maxBytes(): number {
    return this.config.maxBytes;
  }

  /**
   * Checks and stores the bytes; the same content again answers the existing file (alreadyStored)
   * and only remembers one more uploader.
   */
  async put<T extends StoredType = AcceptedType>(data: Buffer, meta: PutMeta<T>): Promise<StoredFile<T> & { alreadyStored: boolean }> {
    const check = meta.check ?? (checkFileContent as ContentCheck<AcceptedType> as ContentCheck<T>);
    const checked = check(data, meta.maxBytes ?? this.maxBytes, meta.originalName);
    const { mimeType } = checked;
    // The cheap checks above look at the bytes; this one reads the document, in its own bounded thread.
    const pages = isInspected(mimeType) ? (await inspectUpload(data, mimeType, this.config.inspection)).pages : checked.pages;
    const sha256 = createHash('sha256').update(data).digest('hex');
    // Bytes first: a row never points at a file that is not there.
    await this.writeOnce(this.pathOf(sha256), data);
    const now = this.clock.now();
    const params = [sha256, mimeType, data.length, pages, meta.originalName ?? null, meta.uploadedBy, now];
    // One statement: the row (new, or the one these bytes already have) and its uploader. A row
    // another upload of the same bytes committed while this statement ran is not visible to it:
    // then the row is read again in a statement of its own.
    const [stored]: Array<FileRow & { inserted: boolean }> = await this.db.query(
      `with inserted as (
         insert into uploaded_files (sha256, mime_type, bytes, pages, original_name, uploaded_by, uploaded_at)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (sha256) do nothing
         returning id, sha256, mime_type, bytes::text as bytes, pages, original_name, uploaded_by, uploaded_at
       ), file as (
         select *, true as inserted from inserted
         union all
         select id, sha256, mime_type, bytes::text as bytes, pages, original_name, uploaded_by, uploaded_at, false from uploaded_files where sha256 = $1
       ), uploader as (
         insert into uploaded_file_uploaders (file_id, officer_id, original_name, first_uploaded_at) select id, $6, $5, $7 from file
         on conflict (file_id, officer_id) do nothing
       )
       select * from file`,
      params,
    );
    const row = stored ?? (await this.rememberUploader(sha256, meta.uploadedBy, meta.originalName ?? null, now));
    // The row's type is the one just checked: the same bytes always sniff the same.
    return { ...(toStored(row) as StoredFile<T>), mimeType, alreadyStored: !stored?.inserted };
  }

  private async rememberUploader(sha256: string, uploadedBy: string, originalName: string | null, now: Date): Promise<FileRow> {
    const rows: FileRow[] = await this.db.query(`${SELECT} where sha256 = $1`, [sha256]);
    const row = rows[0];
    if (!row) throw new Error(`uploaded file ${sha256} vanished while being stored`);
    await this.db.query(
      `insert into uploaded_file_uploaders (file_id, officer_id, original_name, first_uploaded_at) values ($1, $2, $3, $4)
       on conflict (file_id, officer_id) do nothing`,
      [row.id, uploadedBy, originalName, now],
    );
    return row;
  }

  /** The file's description, or undefined for an unknown (or malformed) id. */
  async info(fileId: string): Promise<StoredFile | undefined> {
    if (!UUID.test(fileId)) return undefined;
    const rows: FileRow[] = await this.db.query(`${SELECT} where id = $1`, [fileId]);
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** Description and bytes; the bytes are checked against their hash, so a damaged store is noticed. */
  async get(fileId: string): Promise<(StoredFile & { data: Buffer }) | undefined> {
    const info = await this.info(fileId);
    if (!info) return undefined;
    const data = await readFile(this.pathOf(info.sha256));
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== info.sha256) throw new Error(`stored file ${fileId} is damaged: sha256 ${actual}, expected ${info.sha256}`);
    return { ...info, data };
  }

  /** Where the bytes of a file are on disk, or undefined for an unknown id. */
  async path(fileId: string): Promise<string | undefined> {
    const info = await this.info(fileId);
    return info ? this.pathOf(info.sha256) : undefined;
  }

  private pathOf(sha256: string): string {
    return join(this.config.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  private async writeOnce(target: string, data: Buffer): Promise<void> {
    const existing = await stat(target).catch(() => undefined);
    if (existing?.size === data.length) return;
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const temp = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Two uploads of the same bytes may race here; both rename identical content onto the same name.
    await rename(temp, target).catch(async (err: unknown) => {
      await unlink(temp).catch(() => undefined);
      throw err;
    });
  }
}
