/** Who may change which part of the working calendar. */
import type { UnitRef } from '../../infra/calendarStore';
import { ApiError, forbiddenUnit } from '../errors';
import { requireUnitInScope, type Principal } from '../principal';
import type { AppContext } from '../context';
import type { Call } from '../route';

/**
 * The national list applies to every unit, so only an admin assigned to a root unit (a unit
 * without a parent, the top of an organisation tree) may change it. Returns that root unit, which
 * the audit entry is filed under.
 */
export async function requireNationalEditor(ctx: AppContext, p: Principal): Promise<UnitRef> {
  const roots: UnitRef[] = await ctx.db.query('select id, code, name from units where id = any($1::uuid[]) and parent_id is null order by code', [
    [...p.unitIds],
  ]);
  const root = roots[0];
  if (!root) {
    throw new ApiError(
      403,
      'NATIONAL_CALENDAR_FORBIDDEN',
      'Chỉ quản trị viên của đơn vị cấp cao nhất mới được sửa lịch nghỉ toàn quốc; hãy thêm ngày nghỉ cho đơn vị của bạn (ghi unitId).',
      'Only an administrator of a top-level unit may change the national calendar; add the day for your own unit (set unitId).',
    );
  }
  return root;
}

/** The unit, when it is in the caller's scope; the same 403 whether it is outside or missing. */
export async function unitInScope(ctx: AppContext, p: Principal, unitId: string): Promise<UnitRef> {
  requireUnitInScope(p, unitId);
  const rows: UnitRef[] = await ctx.db.query('select id, code, name from units where id = $1', [unitId]);
  const unit = rows[0];
  if (!unit) throw forbiddenUnit();
  return unit;
}

/**
 * The unit a change aims at, when it is in the caller's scope, filed as the audit entry's
 * target. Unless the call noted its details already, the unit's id is noted before the scope
 * check, so a refused attempt still says which unit it aimed at.
 */
export async function changedUnit(call: Call, unitId: string): Promise<UnitRef> {
  call.audit.details ??= { unitId };
  const unit = await unitInScope(call.ctx, call.principal!, unitId);
  call.audit.target = `unit:${unit.code}`;
  call.audit.unitId = unit.id;
  return unit;
}

/** "toàn quốc" or "đơn vị UBND xã Nùng Năng (000.15.43.H35)", for messages. */
export function sourceVi(unit: UnitRef | null): string {
  return unit ? `đơn vị ${unit.name} (${unit.code})` : 'toàn quốc';
}
