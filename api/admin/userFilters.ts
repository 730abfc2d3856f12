/**
 * The officer search shared by the list and the export: name (without regard to letter case or
 * diacritics, so "nguyen van a" finds "Nguyễn Văn A"), phone, ID number, status and unit, always
 * limited to officers assigned to a unit in the administrator's scope.
 */
import { z } from 'zod';
import { normalizeCitizenId } from '../../domain/citizenId';
import { normalizeVietnameseMobile } from '../../domain/phone';
import { requireUnitInScope, type Principal } from '../principal';
import { optionalQuery, uuidOf } from './inputs';
import { foldForSearch } from '../../domain/foldForSearch';

export type StatusFilter = 'active' | 'inactive' | 'all';

export const UserFilterQuery = z.object({
  name: optionalQuery(z.string({ error: 'tên phải là một chuỗi' }).max(200, { error: 'tên dài tối đa 200 ký tự' })),
  phone: optionalQuery(z.string({ error: 'số điện thoại phải là một chuỗi' }).max(30, { error: 'số điện thoại dài tối đa 30 ký tự' })),
  citizenId: optionalQuery(z.string({ error: 'số CMND/CCCD phải là một chuỗi' }).max(30, { error: 'số CMND/CCCD dài tối đa 30 ký tự' })),
  status: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['active', 'inactive', 'all'], { error: 'trạng thái phải là active (hoạt động), inactive (ngừng hoạt động) hoặc all (tất cả)' }).default('active'),
  ),
  unitId: optionalQuery(uuidOf('mã đơn vị')),
});

export type UserFilters = z.infer<typeof UserFilterQuery>;

/**
 * The same folding in SQL (names may have been stored in NFD by older imports). Only the ASCII
 * lower() is needed once the marks are gone and đ is replaced, so the database locale does not matter.
 */
const FOLDED_NAME = `lower(regexp_replace(translate(regexp_replace(normalize(o.full_name, NFD), '[\\u0300-\\u036f]', '', 'g'), 'đĐ', 'dd'), '\\s+', ' ', 'g'))`;

export const ORDER_BY_NAME = `${FOLDED_NAME}, o.username`;

function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface FilterSql {
  /** A condition on `officers o`. */
  where: string;
  params: unknown[];
}

/** Refuses a unit filter outside the caller's scope (403), before any query runs. */
export function checkFilterScope(p: Principal, f: UserFilters): void {
  if (f.unitId) requireUnitInScope(p, f.unitId);
}

export function filterSql(p: Principal, f: UserFilters, status: StatusFilter): FilterSql {
  const params: unknown[] = [[...p.scope]];
  const where = ['exists (select 1 from officer_units ou where ou.officer_id = o.id and ou.unit_id = any($1::uuid[]))'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (f.unitId) {
    add(
      `exists (select 1 from officer_units ou join units u on u.id = ou.unit_id
               where ou.officer_id = o.id and u.path like (select s.path from units s where s.id = ?) || '%')`,
      f.unitId,
    );
  }
  const name = f.name === undefined ? '' : foldForSearch(f.name);
  if (name) add(`${FOLDED_NAME} like ?`, likeContains(name));
  if (f.phone !== undefined && f.phone.trim() !== '') {
    // A full number is compared in its stored form (0xxxxxxxxx, whether typed as +84… or 0…); a fragment as digits.
    const mobile = normalizeVietnameseMobile(f.phone);
    const digits = mobile.ok ? mobile.normalized : f.phone.replace(/\D/g, '');
    if (digits) add('o.phone like ?', likeContains(digits));
    else where.push('false');
  }
  if (f.citizenId !== undefined) {
    const id = normalizeCitizenId(f.citizenId);
    if (id) add('o.citizen_id like ?', likeContains(id));
  }
  if (status !== 'all') add('o.status = ?', status);
  return { where: where.join(' and '), params };
}
