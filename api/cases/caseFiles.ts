/**
 * Uploaded files a case refers to (its scan, a written agreement): they must have been uploaded
 * through POST /api/files and be visible to the officer — uploaded by him, or by an officer of a
 * unit in his scope — exactly as GET /api/files/:id decides.
 */
import type { ScanRef } from '../../workflows/certification/types';
import type { AppContext } from '../context';
import { ApiError, fieldProblem } from '../errors';
import { fieldLabel } from '../fieldLabels';
import { isAcceptedType } from '../../infra/fileContent';
import { canSeeFile, filesOf } from '../files/store';
import type { Principal } from '../principal';

function fileMissing(field: string, fileId: string): ApiError {
  const label = fieldLabel(field);
  return new ApiError(
    422,
    'FILE_NOT_FOUND',
    `Không tìm thấy tệp "${label.vi}" trong các tệp bạn được xem; hãy chọn và tải tệp lên lại.`,
    `File ${fileId} (${label.en}) is not among the files you may see; upload it with POST /api/files first.`,
    { fields: [fieldProblem(field, 'không tìm thấy tệp đã tải lên', 'no such uploaded file')] },
  );
}

/** The scan as the workflow needs it: id, hash, type and size as the upload found them. */
export async function scanRefOf(ctx: AppContext, p: Principal, fileId: string, field: string): Promise<ScanRef> {
  const info = await filesOf(ctx).info(fileId);
  if (!info || !(await canSeeFile(ctx, p, fileId))) throw fileMissing(field, fileId);
  if (!isAcceptedType(info.mimeType)) {
    throw new ApiError(
      422,
      'SCAN_UNSUPPORTED_TYPE',
      `Tệp "${fieldLabel(field).vi}" là tài liệu Word, không phải bản quét: bản quét của bản chính phải là PDF, JPEG hoặc PNG.`,
      `File ${fileId} (${fieldLabel(field).en}) is a Word document; the scan of an original must be PDF, JPEG or PNG.`,
      { fields: [fieldProblem(field, 'bản quét phải là PDF, JPEG hoặc PNG', 'a scan must be PDF, JPEG or PNG')] },
    );
  }
  return { fileId: info.fileId, sha256: info.sha256, mimeType: info.mimeType, bytes: info.bytes, ...(info.pages ? { pages: info.pages } : {}) };
}

/** A reference to an attached document (e.g. the requester's written agreement): `file:<id>`. */
export async function fileReferenceOf(ctx: AppContext, p: Principal, fileId: string, field: string): Promise<string> {
  const info = await filesOf(ctx).info(fileId);
  if (!info || !(await canSeeFile(ctx, p, fileId))) throw fileMissing(field, fileId);
  return `file:${info.fileId}`;
}
