/** The officer behind a request: rights, assigned units and every unit below them (their scope). */
import type { DataSource } from 'typeorm';
import { isRight, RIGHTS, type Right } from '../domain/rights';
import { forbiddenRight, forbiddenUnit } from './errors';

export interface Principal {
  officerId: string;
  username: string;
  fullName: string;
  sessionId: string;
  rights: ReadonlySet<Right>;
  /** Units the officer is assigned to. */
  unitIds: readonly string[];
  /** Assigned units and all their descendants. */
  scope: ReadonlySet<string>;
}

export async function loadPrincipal(db: DataSource, officerId: string, sessionId: string): Promise<Principal | undefined> {
  const officers: Array<{ username: string; full_name: string; status: string }> = await db.query(
    'select username, full_name, status from officers where id = $1',
    [officerId],
  );
  const o = officers[0];
  if (!o || o.status !== 'active') return undefined;
  const rights: Array<{ right_code: string }> = await db.query('select right_code from officer_rights where officer_id = $1', [officerId]);
  const units: Array<{ unit_id: string }> = await db.query('select unit_id from officer_units where officer_id = $1', [officerId]);
  const scope: Array<{ id: string }> = await db.query(
    `select distinct d.id from officer_units ou join units u on u.id = ou.unit_id join units d on d.path like u.path || '%'
     where ou.officer_id = $1`,
    [officerId],
  );
  return {
    officerId,
    username: o.username,
    fullName: o.full_name,
    sessionId,
    rights: new Set(rights.map((r) => r.right_code).filter(isRight)),
    unitIds: units.map((u) => u.unit_id),
    scope: new Set(scope.map((s) => s.id)),
  };
}

export function requireRight(p: Principal, right: Right): void {
  if (!p.rights.has(right)) throw forbiddenRight(right, RIGHTS[right]);
}

/** Refuses a unit outside the officer's scope, with the same answer whether or not it exists. */
export function requireUnitInScope(p: Principal, unitId: string): void {
  if (!p.scope.has(unitId)) throw forbiddenUnit();
}
