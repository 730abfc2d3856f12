/**
 * `npm run audit:replay -- --from 2026-11-01 --to 2026-11-30 [--type certification] [--unit <code>]`
 *
 * Replays the history of every workflow closed in the period (Hà Nội dates, both included; or ISO
 * instants) against the current workflow code and reports which are not deterministic. Reaches
 * Temporal as the API does: TEMPORAL_ADDRESS (TLS, API key, TEMPORAL_NAMESPACE) or ENGINE_PORT, else
 * the engine and namespace of the running `npm start` (its system.json), else 127.0.0.1:7233. A progress bar goes to stderr on a
 * terminal, a line per 10% otherwise; the summary goes to stdout.
 *
 * Exit code: 0 every history replayed deterministically; 1 some did not, or could not be fetched;
 * 2 wrong arguments or no connection.
 */
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import { CASE_WORKFLOW_TYPES, periodOf, replayClosedWorkflows, type BulkReplaySummary, type Period } from '../infra/replay';
import { connectClient, temporalTarget } from '../infra/temporalClient';
import { companionEnv } from './lib/systemFile';

export interface CliIO {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown; isTTY?: boolean };
}

export interface CliDeps {
  /** A client to use instead of connecting from the environment. */
  client?: Client;
  /** Code to replay against instead of the current workflows. */
  bundle?: WorkflowBundle;
  env?: NodeJS.ProcessEnv;
}

const USAGE = 'usage: npm run audit:replay -- --from YYYY-MM-DD --to YYYY-MM-DD [--type certification|citizenAccount|…] [--unit <unit code>]\n';

export async function main(argv: string[], io: CliIO = { out: process.stdout, err: process.stderr }, deps: CliDeps = {}): Promise<number> {
  let args: { from: string; to: string; type?: string; unit?: string };
  let period: Period;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, type: { type: 'string' }, unit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      io.out.write(USAGE);
      return 0;
    }
    if (!values.from || !values.to) throw new Error('--from and --to are required');
    args = { from: values.from, to: values.to, type: values.type, unit: values.unit };
    period = periodOf(args.from, args.to);
  } catch (err) {
    io.err.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }

  let client = deps.client;
  const owned = !client;
  if (!client) {
    // The caller's TEMPORAL_ADDRESS / ENGINE_PORT, else the running system's engine (system.json), else the default.
    const target = temporalTarget(companionEnv(deps.env ?? process.env));
    try {
      client = await connectClient(target);
      await client.workflowService.getSystemInfo({});
    } catch (err) {
      io.err.write(
        `cannot reach Temporal at ${target.address} (${target.embedded ? 'the embedded engine: is `npm start` running?' : 'TEMPORAL_ADDRESS'}): ${err instanceof Error ? err.message : String(err)}\n`,
      );
      await client?.connection.close().catch(() => undefined);
      return 2;
    }
  }

  const progress = progressReporter(io.err);
  try {
    const summary = await replayClosedWorkflows({
      client,
      query: { period, workflowType: args.type },
      unit: args.unit,
      bundle: deps.bundle,
      onProgress: progress.update,
    });
    progress.finish();
    io.out.write(formatSummary(summary, args));
    return summary.divergent.length > 0 || summary.unreadable.length > 0 ? 1 : 0;
  } finally {
    if (owned) await client.connection.close().catch(() => undefined);
  }
}

function progressReporter(err: CliIO['err']): { update(p: { done: number; total: number }): void; finish(): void } {
  const tty = err.isTTY === true;
  let lastTenth = 0;
  let drawn = false;
  return {
    update({ done, total }) {
      const share = total > 0 ? done / total : 1;
      if (tty) {
        const width = 30;
        const filled = Math.round(share * width);
        err.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${Math.floor(share * 100)}%`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        err.write(`replay: ${tenth * 10}% (${done}/${total})\n`);
      }
    },
    finish() {
      if (drawn) err.write('\n');
    },
  };
}

export function formatSummary(s: BulkReplaySummary, args: { from: string; to: string; type?: string; unit?: string }): string {
  const scope = [`closed ${args.from} .. ${args.to}`, args.type ? `type ${args.type}` : `types ${CASE_WORKFLOW_TYPES.join(', ')}`, args.unit ? `unit ${args.unit}` : undefined].filter(Boolean).join(', ');
  const lines = [
    `replay of workflow histories (${scope})`,
    `  histories replayed:  ${s.replayed}`,
    `  deterministic:       ${s.deterministic}`,
    `  non-deterministic:   ${s.divergent.length}`,
  ];
  for (const d of s.divergent) {
    const at = d.divergence.eventId !== undefined ? ` at event ${d.divergence.eventId}` : '';
    lines.push(`    ${d.label} (${d.workflowType}, ${d.workflowId}, run ${d.runId})${at}: ${d.divergence.message}`);
  }
  if (s.skipped > 0) lines.push(`  skipped (other units): ${s.skipped}`);
  if (s.unreadable.length > 0) {
    lines.push(`  unreadable:          ${s.unreadable.length}`);
    for (const u of s.unreadable) lines.push(`    ${u.workflowId} (run ${u.runId}): ${u.message}`);
  }
  lines.push(`  time:                ${(s.elapsedMs / 1000).toFixed(2)} s, ${s.historiesPerSecond.toFixed(1)} histories/s`);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(2);
    },
  );
}
