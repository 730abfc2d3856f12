/**
 * Uploading a scan and reading it back. The upload is the file's raw bytes as the request body
 * (Content-Type application/octet-stream or the file's own type), its name URL-encoded in
 * X-File-Name; what it is — PDF, JPEG or PNG — is decided by its content (infra/fileContent.ts).
 * A file is visible to the officers who uploaded it and to officers whose scope covers a unit of
 * one of its uploaders; to anyone else it answers 404, as if missing.
 */
import { z } from 'zod';
import { ACCEPTED_TYPES, EXTENSION, fileEmpty, fileTooLarge } from '../../infra/fileContent';
import { cleanFileName } from '../../infra/uploads/fileName';
import { ApiError, notFound, parseInput } from '../errors';
import type { Call, Reply, RouteSpec } from '../route';
import type { PutMeta, StoredType } from '../../infra/fileStore';
import { canSeeFile, filesOf } from './store';

const FileParams = z.object({ id: z.uuid({ error: 'mã tệp không hợp lệ (phải là mã UUID)' }) });

const MAX_NAME = 255;

/** The X-File-Name header: URL-encoded UTF-8, reduced to a plain file name (no folders, no control or text-direction characters). */
export function fileNameFrom(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header.trim());
  } catch {
    throw new ApiError(
      400,
      'INVALID_FILE_NAME',
      'Tên tệp (tiêu đề X-File-Name) phải được mã hóa URL theo UTF-8, ví dụ encodeURIComponent("Bản sao CCCD.pdf").',
      'X-File-Name must be URL-encoded UTF-8.',
    );
  }
  const name = cleanFileName(decoded);
  if (name.length > MAX_NAME) {
    throw new ApiError(400, 'INVALID_FILE_NAME', `Tên tệp dài tối đa ${MAX_NAME} ký tự.`, `File names are at most ${MAX_NAME} characters.`);
  }
  return name === '' ? null : name;
}

function notBytes(contentType: string | undefined): ApiError {
  const hint = /multipart\/form-data/i.test(contentType ?? '')
    ? 'Gửi nội dung tệp trực tiếp làm thân yêu cầu (không dùng multipart/form-data), '
    : 'Gửi nội dung tệp trực tiếp làm thân yêu cầu, ';
  return new ApiError(
    415,
    'UNSUPPORTED_FILE_TYPE',
    `${hint}với Content-Type application/octet-stream hoặc đúng loại tệp; tên tệp đặt trong tiêu đề X-File-Name. Chỉ nhận PDF, JPEG hoặc PNG.`,
    'Send the file bytes as the request body (application/octet-stream or the file type), its name in X-File-Name.',
    { accepted: ACCEPTED_TYPES },
  );
}

/**
 * Stores the raw bytes of an upload under the given content rule and answers 201 with the file's
 * description; a refused file leaves nothing behind (the rule runs before anything is written).
 */
export async function receiveUpload(call: Call, rule: Pick<PutMeta<StoredType>, 'check' | 'maxBytes'>): Promise<Reply> {
  const { req, ctx, principal } = call;
  const body: unknown = req.body;
  const contentType = req.header('content-type');
  // A form upload or a JSON wrapper would be refused by content anyway; say how to send it instead.
  if ((body !== undefined && !Buffer.isBuffer(body)) || /^multipart\//i.test(contentType ?? '')) throw notBytes(contentType);
  if (body === undefined || body.length === 0) throw fileEmpty();
  const originalName = fileNameFrom(req.header('x-file-name'));
  call.audit.details = { originalName, bytes: body.length };
  const stored = await filesOf(ctx).put<StoredType>(body, { uploadedBy: principal!.officerId, originalName, ...rule });
  call.audit.target = `file:${stored.fileId}`;
  call.audit.details = { sha256: stored.sha256, mimeType: stored.mimeType, bytes: stored.bytes, pages: stored.pages, originalName, alreadyStored: stored.alreadyStored };
  return {
    status: 201,
    body: {
      fileId: stored.fileId,
      sha256: stored.sha256,
      mimeType: stored.mimeType,
      bytes: stored.bytes,
      pages: stored.pages,
      originalName: stored.originalName,
      alreadyStored: stored.alreadyStored,
    },
  };
}

export const fileRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/files',
    access: { right: 'CERT_CREATE' },
    action: 'files.upload',
    summary:
      'Uploads a scan: the raw bytes as the body, the name URL-encoded in X-File-Name. PDF, JPEG or PNG by content; at most UPLOAD_MAX_MB (413 beyond); a PDF must be complete (ends with %%EOF)',
    output: '201 {fileId, sha256, mimeType, bytes, pages (PDF pages, null when unknown or an image), originalName, alreadyStored}; the same bytes again give the same fileId',
    rawBody: { maxBytes: (ctx) => filesOf(ctx).maxBytes, tooLarge: (max) => fileTooLarge(max), contentTypes: [...ACCEPTED_TYPES, 'application/octet-stream'] },
    handler: (call) => receiveUpload(call, {}),
  },
  {
    method: 'get',
    path: '/api/files/:id',
    access: { anyOf: ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'AUDIT'] },
    // Scans show citizens' documents: who looked at which one is kept in the audit trail.
    action: 'files.read',
    summary: 'Sends an uploaded scan with its stored type (shown inline); visible to its uploaders and to officers whose units cover an uploader’s unit',
    output: 'The file’s bytes (application/pdf, image/jpeg or image/png), ETag = its SHA-256',
    input: { params: FileParams },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const { id } = parseInput(FileParams, req.params);
      call.audit.target = `file:${id}`;
      const store = filesOf(ctx);
      const info = await store.info(id);
      if (!info || !(await canSeeFile(ctx, principal!, id))) throw notFound('tệp', 'File');
      const path = (await store.path(id))!;
      return {
        stream: { contentType: info.mimeType, filename: info.originalName ?? `${info.fileId}.${EXTENSION[info.mimeType]}`, path, inline: true },
        headers: { ETag: `"${info.sha256}"`, 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' },
      };
    },
  },
];
