/**
 * Which cases a supervisor or an auditor watches: those of the units he handles cases for (his
 * units, everything below them, and the communes of the desks among them — api/cases/caseUnits.ts),
 * narrowed to one unit's subtree when he picks one (a desk stands for its commune).
 */
import type { AppContext } from '../context';
import { forbiddenUnit } from '../errors';
import type { Principal } from '../principal';
import { filterPath } from '../cases/caseList';

export async function watchedUnits(db: AppContext['db'], p: Principal, unitId?: string): Promise<string[]> {
  const units = p.caseUnits;
  if (unitId === undefined) return [...units];
  if (!units.has(unitId)) throw forbiddenUnit();
  const path = await filterPath(db, unitId);
  if (path === undefined) throw forbiddenUnit();
  const rows: Array<{ id: string }> = await db.query(`select id from units where id = any($1::uuid[]) and path like $2 || '%'`, [[...units], path]);
  return rows.map((r) => r.id);
}
