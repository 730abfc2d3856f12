/**
 * The unit tree as each officer sees it (his units and everything below), the units an
 * administrator adds or renames — a misnamed one-stop desk is fixed by renaming it — and the
 * one-stop units an officer may pick when creating citizen accounts.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isOneStopUnitName, looksLikeMisnamedOneStop } from '../../domain/oneStop';
import { RIGHTS } from '../../domain/rights';
import type { UnitLevel } from '../../entities/unit';
import { ApiError, parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { officerUnits, type Queryable, unitInScope } from './access';
import { personName, required, uuidOf } from './inputs';
import { oneStopCause, oneStopUnitsAmong, selfOneStopError } from './oneStopRule';

const LEVELS = ['province', 'district', 'commune', 'office'] as const satisfies readonly UnitLevel[];
const LEVEL_VI: Record<UnitLevel, string> = { province: 'cấp tỉnh', district: 'cấp huyện', commune: 'cấp xã', office: 'cơ quan/bộ phận' };

/** "000.15.43.H35": the administrative-unit identifier, optionally followed by ".NN" for a desk inside it. */
const UNIT_CODE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}(\.\d{2})?$/;

const CreateUnitBody = z.object(
  {
    code: z
      .string({ error: required('thiếu mã định danh đơn vị', 'mã định danh phải là chuỗi ký tự') })
      .trim()
      .toUpperCase()
      .regex(UNIT_CODE, { error: 'mã định danh phải có dạng 000.15.43.H35 (có thể thêm .01 cho bộ phận trực thuộc)' }),
    name: personName('tên đơn vị'),
    level: z.enum(LEVELS, { error: 'cấp đơn vị phải là province (tỉnh), district (huyện), commune (xã) hoặc office (cơ quan/bộ phận)' }),
    parentId: uuidOf('đơn vị cấp trên'),
  },
  { error: 'nội dung gửi lên phải là một đối tượng JSON' },
);

const RenameUnitBody = z.object({ name: personName('tên đơn vị') }, { error: 'nội dung gửi lên phải là {"name": "…"}' });
const UnitParams = z.object({ id: uuidOf('mã đơn vị') });

interface UnitListRow {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  parentId: string | null;
}

function describeUnit(u: UnitListRow) {
  return { ...u, oneStop: isOneStopUnitName(u.name), misnamedOneStop: looksLikeMisnamedOneStop(u.name) };
}

async function loadUnit(db: Queryable, id: string) {
  const rows: UnitListRow[] = await db.query('select id, code, name, level, parent_id as "parentId" from units where id = $1', [id]);
  return describeUnit(rows[0]);
}

export const unitRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/units',
    access: 'authenticated',
    summary: 'The units of the caller’s scope as a flat list in tree order (parents first, siblings by code): {id, code, name, level, parentId, oneStop, misnamedOneStop}',
    handler: async ({ ctx, principal }) => {
      // Tree order with siblings by code; the stored path orders siblings by their (random) ids.
      const rows: UnitListRow[] = await ctx.db.query(
        `with recursive tree as (
           select id, array[code] as sort_key from units where parent_id is null
           union all
           select u.id, t.sort_key || u.code from units u join tree t on u.parent_id = t.id
         )
         select u.id, u.code, u.name, u.level, u.parent_id as "parentId"
         from units u join tree t on t.id = u.id where u.id = any($1::uuid[]) order by t.sort_key`,
        [[...principal!.scope]],
      );
      return { body: { items: rows.map(describeUnit) } };
    },
  },
  {
    method: 'post',
    path: '/api/admin/units',
    access: { right: 'USER_ADMIN' },
    action: 'admin.units.create',
    summary: 'Adds a unit below a unit of the caller’s scope {code (e.g. 000.15.43.H35 or 000.15.43.H35.01), name, level, parentId}',
    input: { body: CreateUnitBody },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const body = parseInput(CreateUnitBody, req.body);
      call.audit.target = `unit:${body.code}`;
      call.audit.unitId = body.parentId;
      call.audit.details = { code: body.code, name: body.name, level: body.level, parentId: body.parentId };
      const parent = await unitInScope(ctx.db, principal!, body.parentId);
      if (LEVELS.indexOf(body.level) <= LEVELS.indexOf(parent.level)) {
        throw new ApiError(
          422,
          'UNIT_LEVEL_ORDER',
          `Đơn vị ${LEVEL_VI[body.level]} không thể trực thuộc ${parent.name} (${LEVEL_VI[parent.level]}).`,
          `A ${body.level} unit cannot be placed under a ${parent.level} unit.`,
        );
      }
      const id = randomUUID();
      const rows: Array<{ id: string }> = await ctx.db.query(
        `insert into units (id, code, name, level, parent_id, path) values ($1, $2, $3, $4, $5, $6)
         on conflict (code) do nothing returning id`,
        [id, body.code, body.name, body.level, parent.id, `${parent.path}${id}/`],
      );
      if (rows.length === 0) {
        throw new ApiError(409, 'DUPLICATE_UNIT_CODE', `Mã định danh ${body.code} đã được dùng cho một đơn vị khác.`, `Unit code ${body.code} is already in use.`, {
          field: 'code',
        });
      }
      call.audit.unitId = id;
      return { status: 201, body: await loadUnit(ctx.db, id) };
    },
  },
  {
    method: 'patch',
    path: '/api/admin/units/:id',
    access: { right: 'USER_ADMIN' },
    action: 'admin.units.rename',
    summary:
      'Renames a unit of the caller’s scope {name} (e.g. a one-stop desk whose name lacks "Bộ phận Một cửa"); refused when officers holding ACCOUNT_CREATE would be left without a one-stop unit',
    input: { params: UnitParams, body: RenameUnitBody },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const { id } = parseInput(UnitParams, req.params);
      const body = parseInput(RenameUnitBody, req.body);
      call.audit.unitId = id;
      call.audit.details = { name: body.name };
      const unit = await unitInScope(ctx.db, principal!, id);
      call.audit.target = `unit:${unit.code}`;
      call.audit.details = { from: unit.name, to: body.name };
      await ctx.db.transaction(async (m) => {
        // Grants of ACCOUNT_CREATE and unit removals read the names FOR SHARE, so they wait for this rename.
        await m.query('select 1 from units where id = $1 for update', [id]);
        if (isOneStopUnitName(unit.name) && !isOneStopUnitName(body.name)) {
          const holders: Array<{ id: string; full_name: string }> = await m.query(
            `select o.id, o.full_name from officers o
             join officer_units ou on ou.officer_id = o.id and ou.unit_id = $1
             join officer_rights r on r.officer_id = o.id and r.right_code = 'ACCOUNT_CREATE'
             order by o.full_name`,
            [id],
          );
          const stranded: string[] = [];
          for (const h of holders) {
            const others = (await officerUnits(m, h.id)).filter((u) => u.id !== id);
            if (oneStopCause(others)) stranded.push(h.full_name);
          }
          if (stranded.length > 0) {
            throw new ApiError(
              422,
              'ONE_STOP_REQUIRED_BY_RIGHT',
              `Không thể đổi tên: sau khi đổi, “${body.name}” không còn là Bộ phận Một cửa, trong khi ${stranded.join(', ')} đang giữ “${RIGHTS.ACCOUNT_CREATE}” chỉ nhờ đơn vị này. ` +
                'Hãy thu hồi quyền đó trước, hoặc giữ cụm từ “Bộ phận Một cửa” / “Trung tâm Phục vụ hành chính công” trong tên.',
              'After the rename this unit is no longer a one-stop unit, and officers holding ACCOUNT_CREATE would be left without one.',
              { officers: stranded },
            );
          }
        }
        await m.query('update units set name = $2 where id = $1', [id, body.name]);
      });
      return { body: await loadUnit(ctx.db, id) };
    },
  },
  {
    method: 'get',
    path: '/api/me/one-stop-units',
    access: 'authenticated',
    summary:
      'The one-stop units among the caller’s units (to pick when creating citizen accounts); 422 ONE_STOP_NOT_ASSIGNED or ONE_STOP_MISNAMED (naming the unit) when there is none',
    handler: async ({ ctx, principal }) => {
      const units = await officerUnits(ctx.db, principal!.officerId);
      const cause = oneStopCause(units);
      if (cause) throw selfOneStopError(cause);
      return { body: { items: oneStopUnitsAmong(units).map((u) => ({ id: u.id, code: u.code, name: u.name })) } };
    },
  },
];
