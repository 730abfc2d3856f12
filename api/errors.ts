/**
 * Errors the API answers with. Every refusal carries a stable `code`, a Vietnamese message an
 * officer can act on, and the English beside it. Anything else is a 500 with no internals.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { DomainError } from '../domain/messages';
import { englishProblem } from './englishProblem';
import { fieldLabel } from './fieldLabels';

export class ApiError extends Error {
  /** Response headers of the refusal, e.g. Retry-After on a 429. */
  headers?: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    readonly vi: string,
    readonly en: string,
    readonly details?: unknown,
  ) {
    super(`${vi} / ${en}`);
  }
}

export const unauthenticated = () =>
  new ApiError(401, 'UNAUTHENTICATED', 'Bạn chưa đăng nhập hoặc phiên làm việc đã hết hạn.', 'You are not logged in, or the session has expired.');

export const forbiddenRight = (right: string, rightName: string) =>
  new ApiError(403, 'RIGHT_REQUIRED', `Bạn không có quyền "${rightName}" (${right}).`, `You do not hold the right ${right}.`, { right });

export const forbiddenUnit = () =>
  new ApiError(403, 'UNIT_OUT_OF_SCOPE', 'Đơn vị này không thuộc phạm vi của bạn.', 'This unit is outside your units.');

export const notFound = (whatVi: string, whatEn: string) => new ApiError(404, 'NOT_FOUND', `Không tìm thấy ${whatVi}.`, `${whatEn} not found.`);

/** One field's problem: its machine path (the web app places the message by it), what the screen calls it, and the problem in both languages. */
export interface FieldProblem {
  field: string;
  label: string;
  labelEn: string;
  problem: string;
  problemEn: string;
}

/** A field's problem, named as the screen names the field. */
export function fieldProblem(field: string, problem: string, problemEn: string): FieldProblem {
  const label = fieldLabel(field);
  return { field, label: label.vi, labelEn: label.en, problem, problemEn };
}

/** 400 INVALID_INPUT listing each field by its label: "Dữ liệu không hợp lệ — Ngày sinh: …". */
export function invalidInput(fields: readonly FieldProblem[], extra?: Record<string, unknown>): ApiError {
  const vi = fields.map((f) => `${f.label}: ${f.problem}`).join('; ');
  const en = fields.map((f) => `${f.labelEn}: ${f.problemEn}`).join('; ');
  return new ApiError(400, 'INVALID_INPUT', `Dữ liệu không hợp lệ — ${vi}`, `Invalid input — ${en}`, { fields, ...extra });
}

/** The problems of a zod failure, field by field (the schemas word them in Vietnamese; English comes from the issue itself). */
export function validationError(error: z.ZodError): ApiError {
  return invalidInput(error.issues.map((i) => fieldProblem(i.path.join('.') || '(body)', i.message, englishProblem(i))));
}

export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  // With the input on each issue, "missing" and "of the wrong type" read differently in English.
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw validationError(r.error);
  return r.data;
}

export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'ROUTE_NOT_FOUND', `Không có chức năng ${req.method} ${req.path}.`, `No endpoint ${req.method} ${req.path}.`));
};

export function errorBody(err: ApiError): { error: { code: string; message: string; messageEn: string; details?: unknown } } {
  return { error: { code: err.code, message: err.vi, messageEn: err.en, ...(err.details !== undefined ? { details: err.details } : {}) } };
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof DomainError) return new ApiError(422, err.code, err.messages.vi, err.messages.en);
  if (err instanceof z.ZodError) return validationError(err);
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (e?.type === 'entity.parse.failed') return new ApiError(400, 'MALFORMED_JSON', 'Nội dung gửi lên không phải JSON hợp lệ.', 'The request body is not valid JSON.');
  if (e?.type === 'entity.too.large') return new ApiError(413, 'BODY_TOO_LARGE', 'Nội dung gửi lên quá lớn.', 'The request body is too large.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new ApiError(
      415,
      'UNSUPPORTED_ENCODING',
      'Nội dung gửi lên dùng kiểu mã hóa không được hỗ trợ: hãy gửi JSON mã UTF-8, không nén hoặc nén gzip.',
      'The body uses an unsupported encoding: send UTF-8 JSON, plain or gzip-compressed.',
    );
  }
  // The body parser's and the router's own refusals (a body that does not inflate, an address
  // whose %-escapes do not decode) are the caller's, whatever they are called.
  const status = e?.status ?? e?.statusCode;
  if ((typeof status === 'number' && status >= 400 && status < 500) || err instanceof URIError) {
    return new ApiError(
      typeof status === 'number' && status >= 400 && status < 500 ? status : 400,
      'MALFORMED_REQUEST',
      'Yêu cầu gửi lên không đọc được (địa chỉ hoặc nội dung bị hỏng); hãy kiểm tra và gửi lại.',
      'The request could not be read (a damaged address or body); check it and send it again.',
    );
  }
  return new ApiError(500, 'INTERNAL', 'Hệ thống gặp lỗi, vui lòng thử lại sau.', 'Internal error, please try again later.');
}

export function errorHandler(log: (err: unknown) => void = (err) => console.error(err)): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) log(err);
    res.status(apiError.status).json(errorBody(apiError));
  };
}
