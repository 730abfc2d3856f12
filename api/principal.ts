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
  /** The scope plus the communes of the one-stop desks in it: whose certification cases the officer handles (api/cases/caseUnits.ts). */
  caseUnits: ReadonlySet<string>;
}

interface PrincipalRow {
  session_id: string;
  officer_id: string;
  username: string;
  full_name: string;
  status: string;
  rights: string[];
  unit_ids: string[];
  scope: string[];
  desk_communes: string[];
}

/** An officer with rights, units, scope and case units in one statement; `from` names the officer `o` and gives `session_id`. */
async function principalWhere(db: DataSource, from: string, params: unknown[]): Promise<Principal | undefined> {
  // The desks' communes are read from the scope the inner select found, not from a second walk of the units.
  const rows: PrincipalRow[] = await db.query(
    `select p.*,
       array(select distinct c.id::text from units d join units c on c.id = d.parent_id
             where d.id = any(p.scope::uuid[]) and d.level = 'office' and c.level = 'commune') as desk_communes
     from (select session_id, o.id as officer_id, o.username, o.full_name, o.status,
             array(select right_code::text from officer_rights where officer_id = o.id) as rights,
             array(select unit_id::text from officer_units where officer_id = o.id) as unit_ids,
             array(select distinct d.id::text from officer_units ou join units u on u.id = ou.unit_id join units d on d.path like u.path || '%'
                   where ou.officer_id = o.id) as scope
           ${from}) p`,
    params,
  );
  const r = rows[0];
  if (!r || r.status !== 'active') return undefined;
  return {
    officerId: r.officer_id,
    username: r.username,
    fullName: r.full_name,
    sessionId: r.session_id,
    rights: new Set(r.rights.filter(isRight)),
    unitIds: r.unit_ids,
    scope: new Set(r.scope),
    caseUnits: new Set([...r.scope, ...r.desk_communes]),
  };
}

/** The officer as a principal of the given session, or undefined when not active. */
export function loadPrincipal(db: DataSource, officerId: string, sessionId: string): Promise<Principal | undefined> {
  return principalWhere(db, 'from (select $2::text as session_id) s, officers o where o.id = $1', [officerId, sessionId]);
}

/** The officer of a live, fully logged-in session — what every authenticated request asks, in one statement. */
export function principalOfSession(db: DataSource, tokenHash: string, now: Date): Promise<Principal | undefined> {
  return principalWhere(
    db,
    `from (select id::text as session_id, officer_id from sessions
           where token_hash = $1 and stage = 'active' and ended_at is null and expires_at > $2) s join officers o on o.id = s.officer_id`,
    [tokenHash, now],
  );
}

export function requireRight(p: Principal, right: Right): void {
  if (!p.rights.has(right)) throw forbiddenRight(right, RIGHTS[right]);
}

/** Refuses a unit outside the officer's scope, with the same answer whether or not it exists. */
export function requireUnitInScope(p: Principal, unitId: string): void {
  if (!p.scope.has(unitId)) throw forbiddenUnit();
}
