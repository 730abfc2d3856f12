/**
 * Text PostgreSQL cannot store, refused at the door: a NUL character (text and jsonb refuse it) or
 * a lone UTF-16 surrogate (no character at all; the driver would store U+FFFD instead, silently
 * changing what was sent), anywhere in a JSON body or a query string — and bodies nested deeper
 * than any form of ours. Refusing them here means no handler, workflow or projection ever meets
 * them half way through its work.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../errors';

export const MAX_BODY_DEPTH = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface TextProblem {
  /** Where, as a field path ("citizen.fullName", "documents.0.type"); '(body)' for the body itself. */
  field: string;
  kind: 'nul' | 'surrogate' | 'depth';
}

/** The first problem in `value`, walked without recursion so no nesting can overflow the stack. */
export function findUnstorableText(value: unknown): TextProblem | undefined {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    const field = path.join('.') || '(body)';
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { field, kind: 'nul' };
      if (LONE_SURROGATE.test(v)) return { field, kind: 'surrogate' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_BODY_DEPTH) return { field, kind: 'depth' };
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (k.includes('\u0000') || LONE_SURROGATE.test(k)) return { field: [...path, '(tên trường)'].join('.'), kind: k.includes('\u0000') ? 'nul' : 'surrogate' };
      stack.push({ value: child, path: [...path, k] });
    }
  }
  return undefined;
}

export function unstorableTextRefusal(p: TextProblem): ApiError {
  const what =
    p.kind === 'nul'
      ? { vi: 'có ký tự rỗng (NUL), không lưu được', en: 'contains a NUL character, which cannot be stored' }
      : p.kind === 'surrogate'
        ? { vi: 'có ký tự Unicode hỏng (nửa cặp thay thế), không lưu được', en: 'contains a broken Unicode character (a lone surrogate), which cannot be stored' }
        : { vi: `lồng nhau quá ${MAX_BODY_DEPTH} tầng`, en: `is nested deeper than ${MAX_BODY_DEPTH} levels` };
  return new ApiError(400, 'INVALID_TEXT', `Dữ liệu gửi lên ${what.vi}: hãy gõ lại hoặc dán lại nội dung đó.`, `The data sent ${what.en}: type or paste it again.`, {
    fields: [{ field: p.field, problem: what.vi }],
  });
}

/** After the JSON parser: refuses a body or query string holding unstorable text. */
export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  const problem = findUnstorableText(req.body) ?? findUnstorableText(req.query);
  next(problem ? unstorableTextRefusal(problem) : undefined);
};
