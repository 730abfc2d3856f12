/**
 * What an administrator may touch: units in his scope (his units and everything below them) and
 * officers assigned to at least one such unit. An officer outside that scope is answered with the
 * same 404 as one that does not exist, so the API does not reveal who works elsewhere.
 */
import type { EntityManager } from 'typeorm';
import type { UnitLevel } from '../../entities/unit';
import { forbiddenUnit, notFound } from '../errors';
import { requireUnitInScope, type Principal } from '../principal';

/** A DataSource or the EntityManager of a transaction. */
export type Queryable = Pick<EntityManager, 'query'>;

export interface UnitRow {
  id: string;
  code: string;
  name: string;
  level: UnitLevel;
  parent_id: string | null;
  path: string;
}

export interface OfficerRow {
  id: string;
  username: string;
  full_name: string;
  status: 'active' | 'inactive';
}

/** The unit, when it is in the caller's scope; the same 403 whether it is outside or missing. */
export async function unitInScope(db: Queryable, p: Principal, unitId: string): Promise<UnitRow> {
  requireUnitInScope(p, unitId);
  const rows: UnitRow[] = await db.query('select id, code, name, level, parent_id, path from units where id = $1', [unitId]);
  const unit = rows[0];
  if (!unit) throw forbiddenUnit();
  return unit;
}

export const officerNotFound = () => notFound('người dùng', 'Officer');

/**
 * The officer, when he is assigned to a unit in the caller's scope. With `lock`, the row is locked
 * for the rest of the transaction, so concurrent changes to one officer's units and rights run one
 * after the other and cannot together break a rule (e.g. both removing "the other" unit).
 */
export async function visibleOfficer(db: Queryable, p: Principal, officerId: string, lock = false): Promise<OfficerRow> {
  const rows: OfficerRow[] = await db.query(
    `select o.id, o.username, o.full_name, o.status from officers o
     where o.id = $1 and exists (select 1 from officer_units ou where ou.officer_id = o.id and ou.unit_id = any($2::uuid[]))
     ${lock ? 'for update of o' : ''}`,
    [officerId, [...p.scope]],
  );
  const officer = rows[0];
  if (!officer) throw officerNotFound();
  return officer;
}

/** The officer's units, by code; with `lock`, their names cannot change until the transaction ends. */
export async function officerUnits(db: Queryable, officerId: string, lock = false): Promise<UnitRow[]> {
  return db.query(
    `select u.id, u.code, u.name, u.level, u.parent_id, u.path from officer_units ou join units u on u.id = ou.unit_id
     where ou.officer_id = $1 order by u.code ${lock ? 'for share of u' : ''}`,
    [officerId],
  );
}

/** The unit an audit entry about an officer is filed under: his first unit inside the caller's scope. */
export async function auditUnitOfOfficer(db: Queryable, p: Principal, officerId: string): Promise<string | null> {
  const units = await officerUnits(db, officerId);
  return units.find((u) => p.scope.has(u.id))?.id ?? null;
}
