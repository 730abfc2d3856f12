/**
 * "Công chức không chọn được đơn vị" (seed 000 part B §3, seed 002 §2): an officer can only work at
 * the one-stop desk — and only then hold ACCOUNT_CREATE — when assigned to a unit named
 * "Bộ phận Một cửa…" or "Trung tâm Phục vụ hành chính công…". The two causes named by the seeds
 * are told apart: not assigned to such a unit, or assigned to a desk whose name does not say so.
 */
import { isOneStopUnitName, looksLikeMisnamedOneStop } from '../../domain/oneStop';
import { RIGHTS } from '../../domain/rights';
import { ApiError } from '../errors';
import type { UnitRef } from './officerView';

export type OneStopCause = { code: 'ONE_STOP_NOT_ASSIGNED' } | { code: 'ONE_STOP_MISNAMED'; unit: UnitRef };

const REQUIRED_NAMES_VI = '“Bộ phận Một cửa” hoặc “Trung tâm Phục vụ hành chính công”';
const REQUIRED_NAMES_EN = '"Bộ phận Một cửa" or "Trung tâm Phục vụ hành chính công"';

export function oneStopUnitsAmong<T extends UnitRef>(units: readonly T[]): T[] {
  return units.filter((u) => isOneStopUnitName(u.name));
}

/** Why none of these units is a one-stop unit, or undefined when one is. */
export function oneStopCause(units: readonly UnitRef[]): OneStopCause | undefined {
  if (oneStopUnitsAmong(units).length > 0) return undefined;
  const misnamed = units.find((u) => looksLikeMisnamedOneStop(u.name));
  if (misnamed) return { code: 'ONE_STOP_MISNAMED', unit: { id: misnamed.id, code: misnamed.code, name: misnamed.name } };
  return { code: 'ONE_STOP_NOT_ASSIGNED' };
}

function causeText(cause: OneStopCause, whoVi: string, whoEn: string): { vi: string; en: string } {
  if (cause.code === 'ONE_STOP_MISNAMED') {
    const u = cause.unit;
    return {
      vi:
        `Đơn vị “${u.name}” (${u.code}) chưa được đặt tên đúng theo yêu cầu: tên đơn vị phải chứa cụm từ ${REQUIRED_NAMES_VI} ` +
        '(không phân biệt chữ hoa, chữ thường). Đề nghị quản trị viên đổi tên đơn vị.',
      en: `Unit "${u.name}" (${u.code}) is misnamed: a one-stop unit's name must contain ${REQUIRED_NAMES_EN} (any letter case). Ask an administrator to rename it.`,
    };
  }
  return {
    vi: `${whoVi} chưa được gán vào đơn vị ${REQUIRED_NAMES_VI}. Đề nghị quản trị viên gán tài khoản vào Bộ phận Một cửa nơi công chức công tác.`,
    en: `${whoEn} is not assigned to a ${REQUIRED_NAMES_EN} unit. Ask an administrator to assign the account to the one-stop desk where the officer works.`,
  };
}

/** The 422 of GET /api/me/one-stop-units. */
export function selfOneStopError(cause: OneStopCause): ApiError {
  const t = causeText(cause, 'Tài khoản công chức', 'The officer account');
  return new ApiError(422, cause.code, t.vi, t.en, cause.code === 'ONE_STOP_MISNAMED' ? { unit: cause.unit } : undefined);
}

/** The 422 when ACCOUNT_CREATE would be held by an officer outside every one-stop unit. */
export function accountCreateRefusal(cause: OneStopCause, officerName: string): ApiError {
  const t = causeText(cause, `Công chức ${officerName}`, `Officer ${officerName}`);
  return new ApiError(
    422,
    cause.code,
    `Không thể cấp “${RIGHTS.ACCOUNT_CREATE}”: chỉ công chức thuộc Bộ phận Một cửa mới được cấp quyền này. ${t.vi}`,
    `ACCOUNT_CREATE can only be held by an officer of a one-stop unit. ${t.en}`,
    { right: 'ACCOUNT_CREATE', ...(cause.code === 'ONE_STOP_MISNAMED' ? { unit: cause.unit } : {}) },
  );
}
