/**
 * The unit a report is about and the communes it adds up. Cases belong to communes, so a report
 * on a district or a province has one line per commune below it; a commune's one-stop desk stands
 * for its commune, as it does for the register.
 */
import type { AppContext } from '../context';
import { ApiError, forbiddenUnit } from '../errors';
import type { Principal } from '../principal';

type Db = AppContext['db'];

export interface ReportUnit {
  id: string;
  code: string;
  name: string;
}

export interface ReportScope {
  unit: ReportUnit & { level: string };
  /** The unit above it, named in the heading of the printed report. */
  parent: ReportUnit | null;
  /** Communes of the unit's subtree (the unit itself when it is one), by code. */
  communes: ReportUnit[];
}

interface UnitRow {
  id: string;
  code: string;
  name: string;
  level: string;
  path: string;
  parent_id: string | null;
}

async function unitById(db: Db, id: string): Promise<UnitRow | undefined> {
  const rows: UnitRow[] = await db.query('select id, code, name, level, path, parent_id from units where id = $1', [id]);
  return rows[0];
}

function ref(u: UnitRow): ReportUnit {
  return { id: u.id, code: u.code, name: u.name };
}

/** 403 for a unit outside the caller's units (as for a missing one); 422 when no commune lies below it. */
export async function reportScopeOf(db: Db, p: Principal, unitId: string): Promise<ReportScope> {
  const allowed = p.caseUnits;
  if (!allowed.has(unitId)) throw forbiddenUnit();
  let unit = await unitById(db, unitId);
  if (!unit) throw forbiddenUnit();
  if (unit.level === 'office' && unit.parent_id !== null) {
    const parent = await unitById(db, unit.parent_id);
    if (parent?.level === 'commune') unit = parent;
  }
  const communes: UnitRow[] = await db.query(
    `select id, code, name, level, path, parent_id from units where level = 'commune' and path like $1 || '%' order by code`,
    [unit.path],
  );
  if (communes.length === 0) {
    throw new ApiError(
      422,
      'REPORT_NO_COMMUNE',
      `${unit.name} (${unit.code}) không có xã, phường nào trực thuộc: hồ sơ chứng thực được tính theo UBND cấp xã, hãy chọn xã hoặc đơn vị cấp trên của xã.`,
      `${unit.code} has no commune below it; certification cases are counted per commune.`,
      { field: 'unitId' },
    );
  }
  const parent = unit.parent_id === null ? undefined : await unitById(db, unit.parent_id);
  return { unit: { ...ref(unit), level: unit.level }, parent: parent ? ref(parent) : null, communes: communes.map(ref) };
}
