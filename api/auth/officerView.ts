/** The logged-in officer as the UI needs it: identity, rights and assigned units. */
import type { DataSource, EntityManager } from 'typeorm';
import { isOneStopUnitName } from '../../domain/oneStop';
import { isRight, type Right } from '../../domain/rights';

export interface OfficerUnitView {
  id: string;
  code: string;
  name: string;
  level: string;
  /** A one-stop desk (Bộ phận một cửa), where citizen accounts may be created. */
  oneStop: boolean;
}

export interface OfficerView {
  id: string;
  username: string;
  fullName: string;
  /** The officer's own phone: printed on the papers he hands out (the account request form). */
  phone: string | null;
  rights: Right[];
  units: OfficerUnitView[];
}

export async function loadOfficerView(db: DataSource | EntityManager, officerId: string): Promise<OfficerView | undefined> {
  const officers: Array<{ username: string; full_name: string; phone: string | null }> = await db.query('select username, full_name, phone from officers where id = $1', [officerId]);
  const o = officers[0];
  if (!o) return undefined;
  const rights: Array<{ right_code: string }> = await db.query('select right_code from officer_rights where officer_id = $1 order by right_code', [officerId]);
  const units: Array<{ id: string; code: string; name: string; level: string }> = await db.query(
    `select u.id, u.code, u.name, u.level from officer_units ou join units u on u.id = ou.unit_id where ou.officer_id = $1 order by u.code`,
    [officerId],
  );
  return {
    id: officerId,
    username: o.username,
    fullName: o.full_name,
    phone: o.phone,
    rights: rights.map((r) => r.right_code).filter(isRight),
    units: units.map((u) => ({ id: u.id, code: u.code, name: u.name, level: u.level, oneStop: isOneStopUnitName(u.name) })),
  };
}
