/**
 * Units' escalation ladders in the database (escalation_ladders, migration 019). A unit without a
 * ladder of its own follows its nearest ancestor's, else the built-in default: the same
 * inheritance as office hours.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_LADDER, validateLadder, type EscalationRung } from '../../domain/escalation/ladder';
import type { CaseLadder } from '../../workflows/certification/escalationTypes';

type Sql = Pick<EntityManager, 'query'> | DataSource;

export interface StoredLadder {
  unitId: string;
  rungs: EscalationRung[];
  headOfficerId: string | null;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface EffectiveLadder {
  rungs: EscalationRung[];
  /** The unit whose ladder applies (the unit itself or an ancestor); null = the default. */
  source: { unitId: string; code: string; name: string } | null;
  headOfficerId: string | null;
}

function defaultRungs(): EscalationRung[] {
  return DEFAULT_LADDER.map((r) => ({ ...r, trigger: { ...r.trigger }, channels: [...r.channels] }));
}

/** A stored ladder that no longer passes the rules (edited by hand) counts as the default. */
function cleanRungs(raw: unknown): EscalationRung[] | undefined {
  const checked = validateLadder(raw);
  return checked.ok ? checked.rungs : undefined;
}

export async function ownLadder(db: Sql, unitId: string): Promise<StoredLadder | undefined> {
  const rows: Array<{ unit_id: string; rungs: unknown; head_officer_id: string | null; updated_at: Date; updated_by: string | null }> = await db.query(
    'select unit_id, rungs, head_officer_id, updated_at, updated_by from escalation_ladders where unit_id = $1',
    [unitId],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { unitId: r.unit_id, rungs: cleanRungs(r.rungs) ?? defaultRungs(), headOfficerId: r.head_officer_id, updatedAt: r.updated_at, updatedBy: r.updated_by };
}

export async function effectiveLadder(db: Sql, unitId: string): Promise<EffectiveLadder> {
  const rows: Array<{ unit_id: string; code: string; name: string; rungs: unknown; head_officer_id: string | null }> = await db.query(
    `select l.unit_id, a.code, a.name, l.rungs, l.head_officer_id
       from units u
       join escalation_ladders l on u.path like '%/' || l.unit_id::text || '/%'
       join units a on a.id = l.unit_id
      where u.id = $1
      order by length(a.path) desc
      limit 1`,
    [unitId],
  );
  const r = rows[0];
  const rungs = r ? cleanRungs(r.rungs) : undefined;
  if (!r || !rungs) return { rungs: defaultRungs(), source: null, headOfficerId: null };
  return { rungs, source: { unitId: r.unit_id, code: r.code, name: r.name }, headOfficerId: r.head_officer_id };
}

/** The ladder a case received now in `unitId` keeps for its whole life. */
export async function loadCaseLadder(db: Sql, unitId: string): Promise<CaseLadder> {
  const l = await effectiveLadder(db, unitId);
  return { rungs: l.rungs, fromUnitId: l.source?.unitId ?? null };
}
