/**
 * Adding an officer ("THÊM MỚI", seed 000 part B step 1) and changing his name, contact or status.
 * Deactivating an officer ends his sessions at once and ends the signing delegations he gave or
 * received, so nothing he could do before keeps working after.
 */
import { z } from 'zod';
import { formatLocalDate } from '../../domain/calendar';
import { hashPassword, checkPasswordRule } from '../../infra/passwords';
import { ApiError, fieldProblem, invalidInput, parseInput } from '../errors';
import type { Principal } from '../principal';
import type { RouteSpec } from '../route';
import { auditUnitOfOfficer, type Queryable, unitInScope, type UnitRow, visibleOfficer } from './access';
import { revokeOpenDelegations } from './delegations';
import { citizenIdField, emailField, IdParams, jobTitleField, mobileField, personName, required, rightField, usernameField, uuidOf } from './inputs';
import { loadOfficerView } from './officerView';
import { accountCreateRefusal, oneStopCause } from './oneStopRule';

const passwordField = z
  .string({ error: required('thiếu mật khẩu', 'mật khẩu phải là chuỗi ký tự') })
  .max(200, { error: 'mật khẩu dài tối đa 200 ký tự' })
  .superRefine((value, ctx) => {
    try {
      checkPasswordRule(value);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.vi, params: { en: err.en } });
    }
  });

const createUserBody = (referenceYear: number) =>
  z.object(
    {
      username: usernameField,
      fullName: personName('họ và tên'),
      citizenId: citizenIdField(referenceYear),
      phone: mobileField.nullable().optional(),
      email: emailField.nullable().optional(),
      jobTitle: jobTitleField.nullable().optional(),
      password: passwordField,
      unitIds: z
        .array(uuidOf('mã đơn vị'), { error: required('thiếu danh sách đơn vị', 'danh sách đơn vị phải là một mảng mã đơn vị') })
        .min(1, { error: 'phải gán người dùng vào ít nhất một đơn vị' })
        .max(50, { error: 'gán tối đa 50 đơn vị mỗi lần' })
        .transform((ids) => [...new Set(ids)]),
      rights: z
        .array(rightField, { error: 'danh sách quyền phải là một mảng mã quyền' })
        .default([])
        .transform((rs) => [...new Set(rs)]),
    },
    { error: 'nội dung gửi lên phải là một đối tượng JSON' },
  );

const PatchUserBody = z
  .object(
    {
      fullName: personName('họ và tên').optional(),
      phone: mobileField.nullable().optional(),
      email: emailField.nullable().optional(),
      jobTitle: jobTitleField.nullable().optional(),
      status: z.enum(['active', 'inactive'], { error: 'trạng thái phải là active (hoạt động) hoặc inactive (ngừng hoạt động)' }).optional(),
    },
    { error: 'nội dung gửi lên phải là một đối tượng JSON' },
  )
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    error: 'không có thông tin nào để sửa: hãy sửa họ và tên, số điện thoại, email, chức danh hoặc trạng thái',
  });

/** Which of the two unique identities is taken (409), saying whether the holder is visible to the caller. */
async function duplicateError(db: Queryable, p: Principal, username: string, citizenId: string): Promise<ApiError | undefined> {
  const rows: Array<{ id: string; username: string; citizen_id: string; status: string; visible: boolean }> = await db.query(
    `select o.id, o.username, o.citizen_id, o.status,
            exists (select 1 from officer_units ou where ou.officer_id = o.id and ou.unit_id = any($3::uuid[])) as visible
     from officers o where o.username = $1 or o.citizen_id = $2`,
    [username, citizenId, [...p.scope]],
  );
  const byName = rows.find((r) => r.username === username);
  const byId = rows.find((r) => r.citizen_id === citizenId);
  const fields = [...(byName ? ['username'] : []), ...(byId ? ['citizenId'] : [])];
  const existing = byName ?? byId;
  if (!existing) return undefined;
  // Only an officer the caller may see is pointed at; elsewhere the number is simply taken.
  const pointer = existing.visible ? { existingOfficerId: existing.id, existingStatus: existing.status } : {};
  const inactiveHint = existing.visible && existing.status === 'inactive' ? ' Tài khoản đó đang ngừng hoạt động: hãy kích hoạt lại thay vì tạo mới.' : '';
  if (byName) {
    return new ApiError(409, 'DUPLICATE_USERNAME', `Tên đăng nhập “${username}” đã được sử dụng.${inactiveHint}`, `Username "${username}" is already taken.`, {
      fields,
      ...pointer,
    });
  }
  return new ApiError(
    409,
    'DUPLICATE_CITIZEN_ID',
    `Số CCCD ${citizenId} đã có tài khoản người dùng, không tạo thêm tài khoản thứ hai.${inactiveHint}`,
    `Citizen ID ${citizenId} already has an officer account.`,
    { fields, ...pointer },
  );
}

/** While logins need a code by SMS (OTP_REQUIRED), an officer without a phone could not log in: he is not created so, nor left so. */
const phoneNeededForCodes = () =>
  invalidInput([
    fieldProblem(
      'phone',
      'cần số điện thoại di động để người dùng nhận mã OTP khi đăng nhập',
      'a mobile phone is needed: the officer receives the login code on it',
    ),
  ]);

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

export const userWriteRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/admin/users',
    access: { right: 'USER_ADMIN' },
    action: 'admin.users.create',
    summary:
      'Adds an officer {username, fullName, citizenId (12-digit CCCD), phone (required while OTP_REQUIRED), email?, jobTitle?, password, unitIds (≥ 1, in scope), rights[]}; ACCOUNT_CREATE needs a one-stop unit among unitIds',
    // The reference year only matters when a CCCD is checked, not for the documented shape.
    input: { body: createUserBody(0) },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const p = principal!;
      const now = ctx.clock.now();
      const body = parseInput(createUserBody(Number(formatLocalDate(now.getTime()).slice(0, 4))), req.body);
      call.audit.details = { username: body.username, unitIds: body.unitIds, rights: body.rights };
      call.audit.unitId = body.unitIds[0];
      if (ctx.auth.otpRequired && !body.phone) throw phoneNeededForCodes();
      const units: UnitRow[] = [];
      for (const unitId of body.unitIds) units.push(await unitInScope(ctx.db, p, unitId));
      if (body.rights.includes('ACCOUNT_CREATE')) {
        const cause = oneStopCause(units);
        if (cause) throw accountCreateRefusal(cause, body.fullName);
      }
      const duplicate = await duplicateError(ctx.db, p, body.username, body.citizenId);
      if (duplicate) throw duplicate;
      const passwordHash = await hashPassword(body.password);
      let id: string;
      try {
        id = await ctx.db.transaction(async (m) => {
          const rows: Array<{ id: string }> = await m.query(
            `insert into officers (username, full_name, citizen_id, phone, email, job_title, status, password_hash, password_changed_at, created_at, created_by)
             values ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $8, $9) returning id`,
            [body.username, body.fullName, body.citizenId, body.phone ?? null, body.email ?? null, body.jobTitle ?? null, passwordHash, now, p.officerId],
          );
          const officerId = rows[0].id;
          await m.query(
            `insert into officer_units (officer_id, unit_id, assigned_at, assigned_by) select $1, unnest($2::uuid[]), $3, $4`,
            [officerId, body.unitIds, now, p.officerId],
          );
          if (body.rights.length > 0) {
            await m.query(
              `insert into officer_rights (officer_id, right_code, granted_at, granted_by) select $1, unnest($2::text[]), $3, $4`,
              [officerId, body.rights, now, p.officerId],
            );
          }
          return officerId;
        });
      } catch (err) {
        // Another administrator created the same username or ID number a moment ago.
        if (isUniqueViolation(err)) throw (await duplicateError(ctx.db, p, body.username, body.citizenId)) ?? err;
        throw err;
      }
      call.audit.target = `officer:${id}`;
      return { status: 201, body: await loadOfficerView(ctx.db, id) };
    },
  },
  {
    method: 'patch',
    path: '/api/admin/users/:id',
    access: { right: 'USER_ADMIN' },
    action: 'admin.users.update',
    summary:
      'Changes an officer of the caller’s units {fullName?, phone? (null clears, not while OTP_REQUIRED), email? (null clears), jobTitle? (chức danh; null clears), status?: active|inactive}; deactivating ends his sessions and the signing delegations he gave or received',
    input: { params: IdParams, body: PatchUserBody },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const p = principal!;
      const { id } = parseInput(IdParams, req.params);
      call.audit.target = `officer:${id}`;
      const body = parseInput(PatchUserBody, req.body);
      const fields = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined);
      call.audit.details = { fields, ...(body.status ? { status: body.status } : {}) };
      if (ctx.auth.otpRequired && body.phone === null) throw phoneNeededForCodes();
      const now = ctx.clock.now();
      const outcome = await ctx.db.transaction(async (m) => {
        const before = await visibleOfficer(m, p, id, true);
        if (body.status === 'inactive' && id === p.officerId) {
          throw new ApiError(
            422,
            'CANNOT_DEACTIVATE_SELF',
            'Bạn không thể tự ngừng hoạt động tài khoản của mình; hãy nhờ một quản trị viên khác.',
            'You cannot deactivate your own account; ask another administrator.',
          );
        }
        const sets: string[] = [];
        const params: unknown[] = [id];
        const set = (column: string, value: unknown) => {
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        };
        if (body.fullName !== undefined) set('full_name', body.fullName);
        if (body.phone !== undefined) set('phone', body.phone);
        if (body.email !== undefined) set('email', body.email);
        if (body.jobTitle !== undefined) set('job_title', body.jobTitle);
        if (body.status !== undefined) set('status', body.status);
        await m.query(`update officers set ${sets.join(', ')} where id = $1`, params);
        const deactivated = before.status === 'active' && body.status === 'inactive';
        if (!deactivated) return { previousStatus: before.status, sessionsEnded: 0, delegationsRevoked: 0 };
        const ended: Array<{ n: number }> = await m.query(
          'with e as (update sessions set ended_at = $2 where officer_id = $1 and ended_at is null returning 1) select count(*)::int as n from e',
          [id, now],
        );
        const revoked = await revokeOpenDelegations(m, { officerId: id, direction: 'both' }, p.officerId, now);
        return { previousStatus: before.status, sessionsEnded: ended[0].n, delegationsRevoked: revoked };
      });
      call.audit.unitId = await auditUnitOfOfficer(ctx.db, p, id);
      const { previousStatus, ...effects } = outcome;
      call.audit.details = { fields, ...(body.status ? { status: { from: previousStatus, to: body.status } } : {}), ...effects };
      return { body: await loadOfficerView(ctx.db, id) };
    },
  },
];
