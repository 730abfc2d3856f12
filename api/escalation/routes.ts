/**
 * A unit's escalation ladder: who is told, how and when, as its cases' deadlines near and pass.
 *
 * Reading and changing both take CASE_SUPERVISE or USER_ADMIN with the unit in the caller's scope:
 * the supervisors run the ladders of the units they watch, the administrators those of the units
 * they administer. A changed ladder applies to cases received from then on (a case keeps the
 * ladder it was received with, so its history replays). Sub-units without a ladder of their own
 * follow it.
 */
import { z } from 'zod';
import { validateLadder } from '../../domain/escalation/ladder';
import { changedUnit, unitInScope } from '../calendar/access';
import { uuidOf } from '../calendar/inputs';
import type { AppContext } from '../context';
import { fieldProblem, invalidInput, parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { effectiveLadder, ownLadder } from './ladderStore';

const UnitParams = z.object({ unitId: uuidOf('mã đơn vị') });

export const LadderBody = z.object({
  rungs: z.array(z.unknown(), { error: 'thiếu danh sách bậc cảnh báo, hoặc không phải danh sách' }),
  headOfficerId: z.union([z.null(), uuidOf('mã cán bộ là thủ trưởng đơn vị')]).optional(),
});

interface OfficerOfUnit {
  id: string;
  fullName: string;
  leader: boolean;
}

/** Active officers assigned to the unit itself: who may be named its head. */
async function officersOf(ctx: AppContext, unitId: string): Promise<OfficerOfUnit[]> {
  const rows: Array<{ id: string; full_name: string; leader: boolean }> = await ctx.db.query(
    `select o.id, o.full_name, exists (select 1 from officer_rights r where r.officer_id = o.id and r.right_code = 'CERT_SIGN') as leader
       from officer_units ou join officers o on o.id = ou.officer_id and o.status = 'active'
      where ou.unit_id = $1
      order by o.full_name, o.id`,
    [unitId],
  );
  return rows.map((r) => ({ id: r.id, fullName: r.full_name, leader: r.leader }));
}

async function ladderView(ctx: AppContext, unit: { id: string; code: string; name: string }) {
  const own = await ownLadder(ctx.db, unit.id);
  const effective = await effectiveLadder(ctx.db, unit.id);
  const officers = await officersOf(ctx, unit.id);
  const headId = effective.headOfficerId;
  const named = headId ? (officers.find((o) => o.id === headId) ?? (await namedOfficer(ctx, headId))) : undefined;
  return {
    unit,
    /** The unit has a ladder of its own (else it follows `source`, or the default when that is null). */
    own: own !== undefined,
    source: effective.source,
    rungs: effective.rungs,
    headOfficer: named ? { id: named.id, fullName: named.fullName } : null,
    /** Who "the head of the unit" is for the rungs that tell the head. */
    heads: named ? [{ id: named.id, fullName: named.fullName }] : officers.filter((o) => o.leader).map((o) => ({ id: o.id, fullName: o.fullName })),
    officers,
    updatedAt: own?.updatedAt.toISOString() ?? null,
    updatedBy: own?.updatedBy ?? null,
  };
}

async function namedOfficer(ctx: AppContext, id: string): Promise<{ id: string; fullName: string } | undefined> {
  const rows: Array<{ id: string; full_name: string }> = await ctx.db.query(`select id, full_name from officers where id = $1 and status = 'active'`, [id]);
  return rows[0] && { id: rows[0].id, fullName: rows[0].full_name };
}

export const escalationRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/units/:unitId/escalation-ladder',
    access: { anyOf: ['CASE_SUPERVISE', 'USER_ADMIN'] },
    summary:
      "The escalation ladder that applies to a unit's cases: its own, else its nearest ancestor's (source), else the default (source null); the head of the unit and the unit's officers",
    input: { params: UnitParams },
    output: '{unit, own, source, rungs: [{id, trigger {kind budgetShare|afterDue, percent|workingMinutes}, scope step|overall, notify stepOfficers|supervisors|unitHead, channels [inApp|email]}], headOfficer, heads, officers, updatedAt, updatedBy}',
    handler: async ({ req, ctx, principal }) => {
      const { unitId } = parseInput(UnitParams, req.params);
      const unit = await unitInScope(ctx, principal!, unitId);
      return { body: await ladderView(ctx, unit) };
    },
  },
  {
    method: 'put',
    path: '/api/units/:unitId/escalation-ladder',
    access: { anyOf: ['CASE_SUPERVISE', 'USER_ADMIN'] },
    action: 'escalation.ladder.update',
    summary:
      "Sets a unit's own escalation ladder {rungs: [...] (at most 10), headOfficerId?: an officer of the unit, or null for its leaders}; it applies to cases received from now on",
    input: { params: UnitParams, body: LadderBody },
    output: 'The ladder as GET answers it',
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const { unitId } = parseInput(UnitParams, req.params);
      const unit = await changedUnit(call, unitId);
      const body = parseInput(LadderBody, req.body);
      const checked = validateLadder(body.rungs);
      if (!checked.ok) {
        throw invalidInput(checked.issues.map((i) => fieldProblem(i.path, i.vi, i.en)));
      }
      const headOfficerId = body.headOfficerId ?? null;
      if (headOfficerId && !(await officersOf(ctx, unit.id)).some((o) => o.id === headOfficerId)) {
        const problem = `thủ trưởng phải là cán bộ đang làm việc của ${unit.name}`;
        throw invalidInput([fieldProblem('headOfficerId', problem, 'the head must be an active officer of the unit')]);
      }
      const previous = await ctx.db.transaction(async (m) => {
        const old: Array<{ rungs: unknown; head_officer_id: string | null }> = await m.query('select rungs, head_officer_id from escalation_ladders where unit_id = $1 for update', [unit.id]);
        await m.query(
          `insert into escalation_ladders (unit_id, rungs, head_officer_id, updated_at, updated_by) values ($1, $2, $3, $4, $5)
           on conflict (unit_id) do update set rungs = excluded.rungs, head_officer_id = excluded.head_officer_id,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [unit.id, JSON.stringify(checked.rungs), headOfficerId, ctx.clock.now(), principal!.officerId],
        );
        return old[0] ? { rungs: old[0].rungs, headOfficerId: old[0].head_officer_id } : null;
      });
      call.audit.details = { unitId, rungs: checked.rungs, headOfficerId, previous };
      return { body: await ladderView(ctx, unit) };
    },
  },
];
