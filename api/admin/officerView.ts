/** How an officer is shown to administrators: identity, contact, status, all his units and rights. */
import { isRight, RIGHT_CODES, type Right } from '../../domain/rights';
import type { Queryable } from './access';

export interface UnitRef {
  id: string;
  code: string;
  name: string;
}

export interface OfficerView {
  id: string;
  username: string;
  fullName: string;
  citizenId: string;
  phone: string | null;
  email: string | null;
  jobTitle: string | null;
  status: 'active' | 'inactive';
  units: UnitRef[];
  rights: Right[];
}

interface Row {
  id: string;
  username: string;
  full_name: string;
  citizen_id: string;
  phone: string | null;
  email: string | null;
  job_title: string | null;
  status: 'active' | 'inactive';
  units: UnitRef[];
  rights: string[];
}

/** The officers with these ids, in the order given (ids that do not exist are skipped). */
export async function loadOfficerViews(db: Queryable, ids: readonly string[]): Promise<OfficerView[]> {
  if (ids.length === 0) return [];
  const rows: Row[] = await db.query(
    `select o.id, o.username, o.full_name, o.citizen_id, o.phone, o.email, o.job_title, o.status,
            coalesce((select json_agg(json_build_object('id', u.id, 'code', u.code, 'name', u.name) order by u.code)
                      from officer_units ou join units u on u.id = ou.unit_id where ou.officer_id = o.id), '[]'::json) as units,
            coalesce((select json_agg(r.right_code) from officer_rights r where r.officer_id = o.id), '[]'::json) as rights
     from officers o where o.id = any($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        username: r.username,
        fullName: r.full_name,
        citizenId: r.citizen_id,
        phone: r.phone,
        email: r.email,
        jobTitle: r.job_title,
        status: r.status,
        units: r.units,
        // In the order of the rights table, as the administration screen groups them.
        rights: RIGHT_CODES.filter((code) => r.rights.filter(isRight).includes(code)),
      },
    ];
  });
}

export async function loadOfficerView(db: Queryable, id: string): Promise<OfficerView> {
  const [view] = await loadOfficerViews(db, [id]);
  if (!view) throw new Error(`officer ${id} vanished`);
  return view;
}
