/**
 * Which unit a case belongs to, and whose cases an officer handles.
 *
 * A certification case belongs to a commune: its book numbers the copy, its calendar counts the
 * deadlines, its seal closes it. The commune's one-stop desk (an office directly under it)
 * receives on the commune's behalf, so a case received "at the desk" is the commune's case, and
 * an officer of the desk handles the commune's cases as well as the units of his own scope
 * (`Principal.caseUnits`, read with the principal).
 */
import { ApiError, forbiddenUnit } from '../errors';
import type { AppContext } from '../context';

type Db = AppContext['db'];

export interface CaseUnit {
  id: string;
  code: string;
  name: string;
  path: string;
}


interface UnitRow {
  id: string;
  code: string;
  name: string;
  level: string;
  path: string;
  parent_id: string | null;
  parent_code: string | null;
  parent_name: string | null;
  parent_level: string | null;
  parent_path: string | null;
}

/**
 * The commune whose cases `unitId` stands for: the commune itself, or the commune of a desk.
 * Undefined when the unit does not exist; 422 for a province, a district or another office.
 */
export async function communeOf(db: Db, unitId: string): Promise<CaseUnit | undefined> {
  const rows: UnitRow[] = await db.query(
    `select u.id, u.code, u.name, u.level, u.path, p.id as parent_id, p.code as parent_code, p.name as parent_name,
            p.level as parent_level, p.path as parent_path
     from units u left join units p on p.id = u.parent_id where u.id = $1`,
    [unitId],
  );
  const u = rows[0];
  if (!u) return undefined;
  if (u.level === 'commune') return { id: u.id, code: u.code, name: u.name, path: u.path };
  if (u.level === 'office' && u.parent_level === 'commune') {
    return { id: u.parent_id!, code: u.parent_code!, name: u.parent_name!, path: u.parent_path! };
  }
  throw new ApiError(
    422,
    'CASE_UNIT_NOT_COMMUNE',
    `${u.name} (${u.code}) không phải UBND cấp xã hay bộ phận một cửa của xã: hồ sơ chứng thực được tiếp nhận và đánh số tại UBND xã, phường.`,
    `${u.code} is neither a commune nor a commune's one-stop desk; certification cases belong to a commune.`,
    { field: 'unitId' },
  );
}

/** The commune of a unit the officer handles cases for; 403 when outside, as when missing. */
export async function communeInScope(db: Db, units: ReadonlySet<string>, unitId: string): Promise<CaseUnit> {
  if (!units.has(unitId)) throw forbiddenUnit();
  const commune = await communeOf(db, unitId);
  if (!commune) throw forbiddenUnit();
  return commune;
}
