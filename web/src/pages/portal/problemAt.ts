/**
 * Where an API refusal belongs on a form. The API names a field in three ways — a list of
 * {field, problem} for invalid input, a list of field names (duplicates), or one `field` (a broken
 * rule) — and some refusals concern one field by their nature (a wrong captcha, a wrong code);
 * each is shown beside that field, and only what concerns no field of the form goes to the banner.
 */
import { ApiProblem } from '../../api';

type Translate = (vi: string, en: string) => string;

/** Codes whose refusal is about one field of the form, by that field's name. */
export type CodeFields = Readonly<Record<string, string>>;

export interface Placement {
  /** The message to show beside this field, if the refusal concerns it. */
  at(field: string): string | undefined;
  /** The refusal when no field of the form shows it (for the banner), else null. */
  banner: unknown;
}

function messageAt(problem: ApiProblem, field: string, t: Translate, codes: CodeFields): string | undefined {
  const own = problem.fieldProblem(field);
  if (own) return own;
  const listed = problem.details?.fields;
  if (Array.isArray(listed) && listed.some((f) => f === field)) return t(problem.vi, problem.en);
  if (codes[problem.code] !== undefined) return codes[problem.code] === field ? t(problem.vi, problem.en) : undefined;
  if (problem.details?.field === field) return t(problem.vi, problem.en);
  return undefined;
}

export function place(problem: unknown, fields: readonly string[], t: Translate, codes: CodeFields = {}): Placement {
  if (!(problem instanceof ApiProblem)) return { at: () => undefined, banner: problem };
  const shown = fields.some((f) => messageAt(problem, f, t, codes) !== undefined);
  return { at: (field) => (fields.includes(field) ? messageAt(problem, field, t, codes) : undefined), banner: shown ? null : problem };
}

/** The portal's refusals that always concern one field. */
export const PORTAL_CODE_FIELDS: CodeFields = {
  CAPTCHA_INVALID: 'captcha',
  OTP_INVALID: 'code',
  OTP_EXPIRED: 'code',
  OTP_RESEND_TOO_SOON: 'code',
  OTP_SEND_LIMIT: 'code',
  PASSWORD_WEAK: 'password',
  PASSWORD_MISMATCH: 'passwordConfirm',
  PASSWORD_UNCHANGED: 'password',
  WRONG_PASSWORD: 'currentPassword',
  INVALID_CREDENTIALS: 'password',
  OTP_LOCKED: 'code',
  SOCIAL_INSURANCE_NOT_MATCHED: 'socialInsuranceNumber',
};
