/**
 * `npm run workflow:reset -- (<workflowId> | --case <case code>) --reason "<why>" [--to first|last|<eventId>]
 * [--run <runId>] [--reapply all|signals|none]`: resets a workflow after a bad deploy (see
 * infra/workflowReset.ts). `--to` defaults to `last` (the last completed workflow task), `--reapply`
 * to `all` (signals and updates received after the reset point are delivered again). The reset is
 * written to the audit trail (action `workflow.reset`, actor: the operating-system user) when a
 * database is known, and a certification case's row in the case list is rewritten from the new
 * run. Uses Temporal as configured (TEMPORAL_ADDRESS… or ENGINE_PORT), else the engine and
 * namespace of the running system (.data/system.json); DATABASE_URL, else the running system's
 * database.
 */
import * as os from 'node:os';
import { appendAudit } from '../api/audit/auditLog';
import { openDatabase } from '../db/dataSource';
import { connectClient, temporalTarget } from '../infra/temporalClient';
import { parseResetTarget, REAPPLY_CHOICES, resetWorkflow, type ReapplyChoice, type ResetTarget } from '../infra/workflowReset';
import { projectResetCase } from '../infra/readModel/resetCaseProjection';
import { caseCodeOfWorkflowId, certificationWorkflowId } from '../workflows/certification/messages';
import { companionDatabaseUrl, companionEnv } from './lib/systemFile';

const USAGE = 'usage: npm run workflow:reset -- (<workflowId> | --case <case code>) --reason "<why>" [--to first|last|<eventId>] [--run <runId>] [--reapply all|signals|none]';

interface Args {
  workflowId: string;
  caseCode?: string;
  runId?: string;
  to: ResetTarget;
  reason: string;
  reapply: ReapplyChoice;
}

function parseArgs(argv: string[]): Args {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
    options[a.slice(2)] = value;
  }
  const caseCode = options.case;
  const workflowId = caseCode ? certificationWorkflowId(caseCode) : positional[0];
  if (!workflowId) throw new Error(USAGE);
  const to = parseResetTarget(options.to ?? 'last');
  if (to === undefined) throw new Error(`--to must be first, last or an event id\n${USAGE}`);
  const reapply = (options.reapply ?? 'all') as ReapplyChoice;
  if (!REAPPLY_CHOICES.includes(reapply)) throw new Error(`--reapply must be one of ${REAPPLY_CHOICES.join(', ')}\n${USAGE}`);
  const reason = options.reason?.trim();
  if (!reason) throw new Error(`--reason is required: it is recorded on the terminated run and in the audit trail\n${USAGE}`);
  return { workflowId, caseCode, runId: options.run, to, reason, reapply };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const env = companionEnv();
  const client = await connectClient(temporalTarget(env));
  try {
    const outcome = await resetWorkflow(client, args);
    console.log(`${outcome.workflowId}: run ${outcome.previousRunId} reset at event ${outcome.eventId}; new run ${outcome.runId}`);
    const url = companionDatabaseUrl(env);
    if (!url) {
      console.warn('no database known (DATABASE_URL or a running system): the reset is not in the audit trail');
      return 0;
    }
    const db = await openDatabase(url, 2);
    try {
      await appendAudit(db, {
        at: new Date(),
        actorId: null,
        actorName: `${os.userInfo().username}@${os.hostname()} (npm run workflow:reset)`,
        unitId: null,
        action: 'workflow.reset',
        target: args.caseCode ? `case:${args.caseCode}` : `workflow:${args.workflowId}`,
        outcome: 'success',
        status: null,
        details: { ...outcome, to: args.to, reapply: args.reapply, reason: args.reason },
        ip: null,
      });
      const caseCode = args.caseCode ?? caseCodeOfWorkflowId(args.workflowId);
      if (caseCode) {
        try {
          await projectResetCase(db, client, caseCode, outcome.runId);
          console.log(`case ${caseCode}: the case list shows the new run`);
        } catch (err) {
          console.warn(`case ${caseCode}: the new run did not answer (${err instanceof Error ? err.message : String(err)}); npm run check:read-model -- --repair rewrites the row once it does`);
        }
      }
    } finally {
      await db.destroy();
    }
    return 0;
  } finally {
    await client.connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
