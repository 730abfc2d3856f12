/**
 * Searching officers (seed 000 part B step 1, "Quản lý người dùng"). When the default search among
 * active officers finds nobody but inactive officers match, the answer says so and lists them: the
 * seed tells administrators to retry with the status "Không kích hoạt" in that case.
 */
import { parseInput } from '../errors';
import type { Principal } from '../principal';
import type { RouteSpec } from '../route';
import { type Queryable, visibleOfficer } from './access';
import { IdParams, pageField, pageSizeField } from './inputs';
import { loadOfficerViews, loadOfficerView, type OfficerView } from './officerView';
import { checkFilterScope, filterSql, ORDER_BY_NAME, type StatusFilter, UserFilterQuery, type UserFilters } from './userFilters';

const SearchQuery = UserFilterQuery.extend({ page: pageField, pageSize: pageSizeField(100, 20) });

export interface OfficerPage {
  items: OfficerView[];
  total: number;
}

export async function countOfficers(db: Queryable, p: Principal, f: UserFilters, status: StatusFilter): Promise<number> {
  const { where, params } = filterSql(p, f, status);
  const counted: Array<{ n: number }> = await db.query(`select count(*)::int as n from officers o where ${where}`, params);
  return counted[0].n;
}

/** One page of matching officers, ordered by name; `limit` undefined means all of them. */
export async function searchOfficers(
  db: Queryable,
  p: Principal,
  f: UserFilters,
  status: StatusFilter,
  window: { limit?: number; offset: number },
): Promise<OfficerPage> {
  const total = await countOfficers(db, p, f, status);
  const { where, params } = filterSql(p, f, status);
  if (total === 0 || window.offset >= total) return { items: [], total };
  const limit = window.limit === undefined ? '' : `limit ${window.limit}`;
  const ids: Array<{ id: string }> = await db.query(`select o.id from officers o where ${where} order by ${ORDER_BY_NAME} ${limit} offset ${window.offset}`, params);
  return { items: await loadOfficerViews(db, ids.map((r) => r.id)), total };
}

export const userSearchRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/admin/users',
    access: { right: 'USER_ADMIN' },
    summary:
      'Officers of the caller’s units: ?name (any case, with or without diacritics) &phone &citizenId &status=active|inactive|all (default active) &unitId (with its sub-units) &page &pageSize (≤ 100); when no active officer matches but inactive ones do, a notice and those officers',
    input: { query: SearchQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(SearchQuery, req.query);
      checkFilterScope(principal!, q);
      const window = { limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
      const found = await searchOfficers(ctx.db, principal!, q, q.status, window);
      const body = { items: found.items, total: found.total, page: q.page, pageSize: q.pageSize };
      if (found.total > 0 || q.status !== 'active') return { body };
      const inactive = await searchOfficers(ctx.db, principal!, q, 'inactive', { limit: q.pageSize, offset: 0 });
      if (inactive.total === 0) return { body };
      return {
        body: {
          ...body,
          notice: {
            code: 'ONLY_INACTIVE_MATCH',
            message: `Không tìm thấy người dùng đang hoạt động phù hợp. Có ${inactive.total} người dùng đã ngừng hoạt động phù hợp với điều kiện tìm kiếm.`,
            messageEn: `No active officer matches. ${inactive.total} inactive officer(s) match the search.`,
          },
          inactiveTotal: inactive.total,
          inactiveMatches: inactive.items,
        },
      };
    },
  },
  {
    method: 'get',
    path: '/api/admin/users/:id',
    access: { right: 'USER_ADMIN' },
    summary: 'One officer of the caller’s units, with all his units and rights',
    input: { params: IdParams },
    handler: async ({ req, ctx, principal }) => {
      const { id } = parseInput(IdParams, req.params);
      await visibleOfficer(ctx.db, principal!, id);
      return { body: await loadOfficerView(ctx.db, id) };
    },
  },
];
