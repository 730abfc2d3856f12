/**
 * Assigning an officer to units ("Gán người dùng vào đơn vị", seed 000 part B step 2) and granting
 * rights ("Gán quyền người dùng", step 3). Each change is idempotent: assigning a unit or granting
 * a right the officer already has answers 200 with `changed: false`.
 *
 * Rules kept on every change: an officer keeps at least one unit; ACCOUNT_CREATE is only held by
 * an officer of a one-stop unit; an administrator cannot take USER_ADMIN from himself, and
 * nobody grants a right to himself — signing, sealing and auditing above all, which must come
 * from another administrator (separation of duties). Refusals are audited like grants.
 */
import { z } from 'zod';
import { isOneStopUnitName } from '../../domain/oneStop';
import { RIGHTS, type Right } from '../../domain/rights';
import { ApiError, parseInput } from '../errors';
import type { Call, Reply, RouteSpec } from '../route';
import { auditUnitOfOfficer, officerUnits, unitInScope, visibleOfficer } from './access';
import { revokeOpenDelegations } from './delegations';
import { IdParams, rightField, uuidOf } from './inputs';
import { loadOfficerView } from './officerView';
import { accountCreateRefusal, oneStopCause } from './oneStopRule';

const UnitParams = z.object({ unitId: uuidOf('mã đơn vị') });
const RightParams = z.object({ right: rightField });
const UnitBody = z.object({ unitId: uuidOf('mã đơn vị') }, { error: 'nội dung gửi lên phải là {"unitId": "…"}' });
const RightBody = z.object({ right: rightField }, { error: 'nội dung gửi lên phải là {"right": "…"}' });

/** Rights whose holder signs, seals or checks the others' work: never self-granted. */
export const SEPARATED_RIGHTS: readonly Right[] = ['CERT_SIGN', 'CERT_SEAL', 'AUDIT'];

const selfGrantRefused = (right: Right) =>
  new ApiError(
    403,
    'SELF_GRANT_FORBIDDEN',
    SEPARATED_RIGHTS.includes(right)
      ? `Bạn không thể tự cấp quyền “${RIGHTS[right]}” cho chính mình: quyền ký, đóng dấu và kiểm tra phải do một quản trị viên khác cấp để bảo đảm phân tách trách nhiệm. Hãy nhờ một quản trị viên khác.`
      : `Bạn không thể tự cấp quyền “${RIGHTS[right]}” cho chính mình; hãy nhờ một quản trị viên khác.`,
    `You cannot grant yourself ${right}; ask another administrator.`,
    { right },
  );

async function answer(call: Call, officerId: string, changed: boolean, created: boolean): Promise<Reply> {
  call.audit.details = { ...call.audit.details, changed };
  return { status: changed && created ? 201 : 200, body: { changed, user: await loadOfficerView(call.ctx.db, officerId) } };
}

async function assignUnit(call: Call): Promise<Reply> {
  const { req, ctx, principal } = call;
  const p = principal!;
  const { id } = parseInput(IdParams, req.params);
  call.audit.target = `officer:${id}`;
  const { unitId } = parseInput(UnitBody, req.body);
  call.audit.unitId = unitId;
  call.audit.details = { unitId };
  const changed = await ctx.db.transaction(async (m) => {
    await visibleOfficer(m, p, id, true);
    await unitInScope(m, p, unitId);
    const rows: Array<{ officer_id: string }> = await m.query(
      `insert into officer_units (officer_id, unit_id, assigned_at, assigned_by) values ($1, $2, $3, $4)
       on conflict do nothing returning officer_id`,
      [id, unitId, ctx.clock.now(), p.officerId],
    );
    return rows.length > 0;
  });
  return answer(call, id, changed, true);
}

async function removeUnit(call: Call): Promise<Reply> {
  const { req, ctx, principal } = call;
  const p = principal!;
  const { id } = parseInput(IdParams, req.params);
  call.audit.target = `officer:${id}`;
  const { unitId } = parseInput(UnitParams, req.params);
  call.audit.unitId = unitId;
  call.audit.details = { unitId };
  const changed = await ctx.db.transaction(async (m) => {
    const officer = await visibleOfficer(m, p, id, true);
    const unit = await unitInScope(m, p, unitId);
    const units = await officerUnits(m, id, true);
    if (!units.some((u) => u.id === unitId)) return false;
    if (units.length === 1) {
      throw new ApiError(
        422,
        'LAST_UNIT',
        `Không thể gỡ ${unit.name}: đây là đơn vị duy nhất của ${officer.full_name}. Hãy gán đơn vị mới trước, hoặc ngừng hoạt động tài khoản.`,
        'This is the officer’s only unit; assign another unit first, or deactivate the account.',
      );
    }
    const remaining = units.filter((u) => u.id !== unitId);
    const rights: Array<{ right_code: string }> = await m.query(`select right_code from officer_rights where officer_id = $1 and right_code = 'ACCOUNT_CREATE'`, [id]);
    if (rights.length > 0 && isOneStopUnitName(unit.name) && oneStopCause(remaining)) {
      throw new ApiError(
        422,
        'ONE_STOP_REQUIRED_BY_RIGHT',
        `Không thể gỡ ${unit.name}: đây là Bộ phận Một cửa duy nhất của ${officer.full_name}, người đang giữ “${RIGHTS.ACCOUNT_CREATE}”. ` +
          'Hãy thu hồi quyền này trước, rồi gỡ đơn vị.',
        'This is the only one-stop unit of an officer holding ACCOUNT_CREATE; revoke that right first.',
        { right: 'ACCOUNT_CREATE' },
      );
    }
    await m.query('delete from officer_units where officer_id = $1 and unit_id = $2', [id, unitId]);
    return true;
  });
  return answer(call, id, changed, false);
}

async function grantRight(call: Call): Promise<Reply> {
  const { req, ctx, principal } = call;
  const p = principal!;
  const { id } = parseInput(IdParams, req.params);
  call.audit.target = `officer:${id}`;
  const { right } = parseInput(RightBody, req.body);
  call.audit.details = { right };
  call.audit.unitId = await auditUnitOfOfficer(ctx.db, p, id);
  if (id === p.officerId) {
    call.audit.details = { right, reason: 'self-grant' };
    throw selfGrantRefused(right);
  }
  const changed = await ctx.db.transaction(async (m) => {
    const officer = await visibleOfficer(m, p, id, true);
    const held: unknown[] = await m.query('select 1 from officer_rights where officer_id = $1 and right_code = $2', [id, right]);
    if (held.length > 0) return false;
    if (right === 'ACCOUNT_CREATE') {
      const cause = oneStopCause(await officerUnits(m, id, true));
      if (cause) throw accountCreateRefusal(cause, officer.full_name);
    }
    await m.query('insert into officer_rights (officer_id, right_code, granted_at, granted_by) values ($1, $2, $3, $4)', [id, right, ctx.clock.now(), p.officerId]);
    return true;
  });
  return answer(call, id, changed, true);
}

async function revokeRight(call: Call): Promise<Reply> {
  const { req, ctx, principal } = call;
  const p = principal!;
  const { id } = parseInput(IdParams, req.params);
  call.audit.target = `officer:${id}`;
  const { right } = parseInput(RightParams, req.params);
  call.audit.details = { right };
  if (right === 'USER_ADMIN' && id === p.officerId) {
    throw new ApiError(
      422,
      'CANNOT_REVOKE_OWN_ADMIN',
      `Bạn không thể tự thu hồi “${RIGHTS.USER_ADMIN}” của mình; hãy nhờ một quản trị viên khác.`,
      'You cannot revoke your own USER_ADMIN right; ask another administrator.',
    );
  }
  call.audit.unitId = await auditUnitOfOfficer(ctx.db, p, id);
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (m) => {
    await visibleOfficer(m, p, id, true);
    const removed: Array<{ n: number }> = await m.query(
      'with r as (delete from officer_rights where officer_id = $1 and right_code = $2 returning 1) select count(*)::int as n from r',
      [id, right],
    );
    if (removed[0].n === 0) return { changed: false, delegationsRevoked: 0 };
    // A leader who may no longer sign cannot keep others signing in his name.
    const delegationsRevoked = right === 'CERT_SIGN' ? await revokeOpenDelegations(m, { officerId: id, direction: 'from' }, p.officerId, now) : 0;
    return { changed: true, delegationsRevoked };
  });
  if (result.delegationsRevoked > 0) call.audit.details = { right, delegationsRevoked: result.delegationsRevoked };
  return answer(call, id, result.changed, false);
}

export const assignmentRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/admin/users/:id/units',
    access: { right: 'USER_ADMIN' },
    action: 'admin.users.unit.assign',
    summary: 'Assigns an officer of the caller’s units to another unit of the caller’s scope {unitId}; 201 when added, 200 when already assigned',
    input: { params: IdParams, body: UnitBody },
    handler: assignUnit,
  },
  {
    method: 'delete',
    path: '/api/admin/users/:id/units/:unitId',
    access: { right: 'USER_ADMIN' },
    action: 'admin.users.unit.remove',
    summary: 'Removes an officer from a unit of the caller’s scope; not his last unit, nor the last one-stop unit while he holds ACCOUNT_CREATE',
    input: { params: IdParams.extend(UnitParams.shape) },
    handler: removeUnit,
  },
  {
    method: 'post',
    path: '/api/admin/users/:id/rights',
    access: { right: 'USER_ADMIN' },
    action: 'admin.users.right.grant',
    summary:
      'Grants a right {right}; never to the caller himself (403 SELF_GRANT_FORBIDDEN); ACCOUNT_CREATE only to an officer of a one-stop unit; 201 when granted, 200 when already held',
    input: { params: IdParams, body: RightBody },
    handler: grantRight,
  },
  {
    method: 'delete',
    path: '/api/admin/users/:id/rights/:right',
    access: { right: 'USER_ADMIN' },
    action: 'admin.users.right.revoke',
    summary: 'Revokes a right (not the caller’s own USER_ADMIN); revoking CERT_SIGN also ends the signing delegations the officer gave',
    input: { params: IdParams.extend(RightParams.shape) },
    handler: revokeRight,
  },
];
