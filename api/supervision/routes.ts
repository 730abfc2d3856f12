/**
 * Supervision of certification deadlines: the SLA dashboard (CASE_SUPERVISE) and the check that
 * its read model agrees with the workflows (CASE_SUPERVISE or AUDIT), both over the cases of the
 * caller's units, or of one unit's subtree.
 *
 * The screen refreshes the dashboard by polling it (every 15 s while visible): the officer's
 * token travels in the Authorization header, which EventSource cannot send, and a poll costs a
 * handful of indexed aggregate queries.
 */
import { parseInput } from '../errors';
import { engineOf } from '../cases/engine';
import type { RouteSpec } from '../route';
import { casesToCheck, checkReadModel } from './consistency';
import { supervisionDashboard } from './dashboard';
import { ConsistencyQuery, DashboardQuery, DEFAULT_CLOSED_WITHIN_DAYS, MAX_PERIOD_DAYS, periodOf } from './inputs';
import { watchedUnits } from './scope';

const DAY_MS = 86_400_000;

export const supervisionRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/supervision/dashboard',
    access: { right: 'CASE_SUPERVISE' },
    summary: `The SLA dashboard of the caller’s units ?unitId (one unit’s subtree; a desk stands for its commune) &from &to (Hà Nội dates YYYY-MM-DD, both included; default the last 30 days; at most ${MAX_PERIOD_DAYS} days) &granularity=day|week: open cases by step and by state (on time, at risk, overdue) now, the at-risk and overdue list by working time left, on-time rates per unit and per officer, average working minutes per step against its budget, the trend per day or week, refusals by ground, extensions, and the support requests (filed, done on time, late, open)`,
    output:
      '{generatedAt, period {from, to, granularity}, open {total, byStep {receive, sign, seal, deliver}, byState {onTime, atRisk, overdue}}, atRisk [{caseCode, unit {id, name}, status, step, citizenName, dueAt, stepDueAt, overallDueAt, remainingWorkingMinutes, state atRisk|overdue}], totals {received, completed, onTime, late, refused, withdrawn, rate}, onTime {byUnit [{unitId, name, completed, onTime, late, rate}], byOfficer [{officerId, name, steps, onTime, late, rate}]}, stepTimes [{step, budgetMinutes, steps, cases, late, avgWorkingMinutes}], trend [{period, from, to, received, completed, onTime, late, refused, withdrawn}], refusalsByGround [{ground, text, count}], extensions {cases, count, days}, support {received, done, doneOnTime, closedLate, open, openLate}}',
    input: { query: DashboardQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(DashboardQuery, req.query);
      const now = ctx.clock.now();
      const period = periodOf(q, now);
      const units = await watchedUnits(ctx.db, principal!, q.unitId);
      return { body: await supervisionDashboard(ctx.db, units, period, now) };
    },
  },
  {
    method: 'get',
    path: '/api/supervision/consistency',
    access: { anyOf: ['CASE_SUPERVISE', 'AUDIT'] },
    // Who checked the read model, and what was found, belongs in the audit trail.
    action: 'supervision.consistency-check',
    summary: `Compares the dashboard’s read model with the workflows’ own state, for the open cases of the caller’s units ?unitId and those closed in the last ?closedWithinDays (default ${DEFAULT_CLOSED_WITHIN_DAYS}, at most 90): every field that differs, per case`,
    output: '{checkedAt, closedWithinDays, checked, consistent, mismatches [{caseCode, differences ["field: stored ≠ workflow"]}], pending [{caseCode, workflowVersion, storedVersion}], unreachable [{caseCode, reason}]}',
    input: { query: ConsistencyQuery },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const q = parseInput(ConsistencyQuery, req.query);
      const { client } = engineOf(ctx);
      const now = ctx.clock.now();
      const closedWithinDays = q.closedWithinDays ?? DEFAULT_CLOSED_WITHIN_DAYS;
      const units = await watchedUnits(ctx.db, principal!, q.unitId);
      const codes = await casesToCheck(ctx.db, units, new Date(now.getTime() - closedWithinDays * DAY_MS), client);
      const report = await checkReadModel(ctx.db, client, codes);
      if (q.unitId) call.audit.unitId = q.unitId;
      call.audit.details = {
        checked: report.checked,
        mismatches: report.mismatches.map((m) => m.caseCode),
        pending: report.pending.length,
        unreachable: report.unreachable.length,
      };
      return { body: { checkedAt: now.toISOString(), closedWithinDays, ...report } };
    },
  },
];
