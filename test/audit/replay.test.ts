/**
 * Replay verification on real histories: 100 certification cases run on the suite's engine with
 * the real workflow and activities — most refused or withdrawn at reception, some returned by the
 * leader, some signed and then withdrawn, some carried through signature and seal — then every
 * case closed in the period is fetched and replayed. Against the current code all 100 replay;
 * against a deliberately changed workflow (a pause before the leader's signature) exactly the
 * cases that reached the signature diverge, at their signCopy event. The bulk CLI prints the
 * counts and the rate.
 */
import { expect } from 'chai';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';
import { localActivityOf } from '../../api/audit/timeline';
import { periodOf, replayClosedWorkflows, replayHistory, type Period } from '../../infra/replay';
import { main } from '../../scripts/replayCases';
import { workflowBundle } from '../certification/world';
import { testEnv } from '../engine/harness';
import { startOffice, type CaseEnd, type Office } from './office';

const PLAN: Array<[CaseEnd, number]> = [
  ['refused', 60],
  ['withdrawn-at-reception', 15],
  ['returned-then-withdrawn', 10],
  ['signed-then-withdrawn', 5],
  ['completed', 10],
];

/** The workflow code with a timer inserted before the signCopy (local) activity. */
function changedBundle(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: [require.resolve('./fixtures/delaySignature')],
    logger: new DefaultLogger('WARN'),
  });
}

function captured(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => err.push(s), isTTY } }, out, err };
}

describe('audit: replay of closed case histories', function () {
  this.timeout(600_000);
  let office: Office;
  let period: Period;
  const ends = new Map<string, CaseEnd>();
  let changed: WorkflowBundle;

  before(async () => {
    office = await startOffice();
    const env = await testEnv();
    const from = (await env.currentTimeMs()) - 1;
    const queue = PLAN.flatMap(([end, n]) => Array.from({ length: n }, () => end));
    // Ten cases at a time: a busy but realistic office.
    while (queue.length > 0) {
      const batch = queue.splice(0, 10);
      const codes = await Promise.all(batch.map((end) => office.runCase(end)));
      codes.forEach((code, i) => ends.set(code, batch[i]!));
    }
    const to = (await env.currentTimeMs()) + 1000;
    period = { from: new Date(from), to: new Date(to) };
    changed = await changedBundle();
  });
  after(async () => office?.close());

  it('replays all 100 histories closed in the period deterministically against the current code', async () => {
    const progress: number[] = [];
    const summary = await replayClosedWorkflows({
      client: office.client,
      query: { period, workflowType: 'certification' },
      bundle: await workflowBundle(),
      onProgress: ({ done, total }) => {
        expect(total).to.equal(100);
        progress.push(done);
      },
    });
    expect(summary).to.include({ listed: 100, replayed: 100, deterministic: 100, skipped: 0 });
    expect(summary.divergent).to.deep.equal([]);
    expect(summary.unreadable).to.deep.equal([]);
    expect(progress).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(summary.historiesPerSecond).to.be.greaterThan(0);
  });

  it('lists by close time: a period that ends before the cases closed has none of them', async () => {
    const earlier = { from: new Date(period.from.getTime() - 86_400_000), to: period.from };
    const summary = await replayClosedWorkflows({ client: office.client, query: { period: earlier }, bundle: await workflowBundle() });
    expect(summary).to.include({ listed: 0, replayed: 0 });
    const other = await replayClosedWorkflows({ client: office.client, query: { period, workflowType: 'citizenAccount' }, bundle: await workflowBundle() });
    expect(other.listed).to.equal(0);
  });

  it('reports non-determinism against a changed workflow exactly for the cases that reached the signature, at their signCopy event', async () => {
    const summary = await replayClosedWorkflows({ client: office.client, query: { period, workflowType: 'certification' }, bundle: changed });
    const signed = [...ends].filter(([, end]) => end === 'signed-then-withdrawn' || end === 'completed').map(([code]) => code);
    expect(signed).to.have.length(15);
    expect(summary.replayed).to.equal(100);
    expect(summary.deterministic).to.equal(85);
    expect(summary.divergent.map((d) => d.label).sort()).to.deep.equal(signed.sort());
    for (const d of summary.divergent) {
      expect(d.divergence.kind).to.equal('nondeterminism');
      expect(d.divergence.message).to.match(/Nondeterminism/i);
      const history = await office.handle(d.label).fetchHistory();
      // Signed as an activity (cases before the local-activity patch) or as a local activity's marker.
      const signCopy = history.events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'signCopy' || localActivityOf(e)?.type === 'signCopy');
      expect(d.divergence.eventId, d.label).to.equal(Number(signCopy!.eventId));
    }
  });

  it('replays one case: deterministic on the current code, the divergent event on the changed one', async () => {
    const completed = [...ends].find(([, end]) => end === 'completed')![0];
    const refused = [...ends].find(([, end]) => end === 'refused')![0];
    const history = await office.handle(completed).fetchHistory();
    expect(await replayHistory(history, `certification-${completed}`, { bundle: await workflowBundle() })).to.deep.equal({ deterministic: true });
    const verdict = await replayHistory(history, `certification-${completed}`, { bundle: changed });
    expect(verdict.deterministic).to.equal(false);
    expect(verdict.divergence!.eventId).to.be.a('number');
    expect(await replayHistory(await office.handle(refused).fetchHistory(), `certification-${refused}`, { bundle: changed })).to.deep.equal({ deterministic: true });
  });

  it('the CLI prints the counts, the divergent cases and the rate, and exits 1 when a history diverges', async () => {
    const args = ['--from', period.from.toISOString(), '--to', period.to.toISOString(), '--type', 'certification'];
    const ok = captured();
    expect(await main(args, ok.io, { client: office.client, bundle: await workflowBundle() })).to.equal(0);
    const text = ok.out.join('');
    expect(text).to.match(/histories replayed:\s+100\n/);
    expect(text).to.match(/deterministic:\s+100\n/);
    expect(text).to.match(/non-deterministic:\s+0\n/);
    expect(text).to.match(/\d+\.\d histories\/s/);
    // Not a terminal: one plain line per tenth.
    expect(ok.err.join('').trim().split('\n')).to.deep.equal(Array.from({ length: 10 }, (_, i) => `replay: ${(i + 1) * 10}% (${(i + 1) * 10}/100)`));

    const bad = captured(true);
    expect(await main(args, bad.io, { client: office.client, bundle: changed })).to.equal(1);
    const report = bad.out.join('');
    expect(report).to.match(/non-deterministic:\s+15\n/);
    const signed = [...ends].filter(([, end]) => end === 'signed-then-withdrawn' || end === 'completed').map(([code]) => code);
    for (const code of signed) expect(report).to.contain(`    ${code} (certification, certification-${code}`);
    // A terminal gets a redrawn bar ending at 100%.
    expect(bad.err.join('')).to.match(/\r\[#{30}\] 100\/100 100%\n$/);
  });

  it('the CLI keeps only the unit asked for, and refuses a period it cannot read', async () => {
    const args = ['--from', period.from.toISOString(), '--to', period.to.toISOString()];
    const own = captured();
    expect(await main([...args, '--unit', '000.15.43.H35'], own.io, { client: office.client, bundle: await workflowBundle() })).to.equal(0);
    expect(own.out.join('')).to.match(/histories replayed:\s+100\n/);
    const other = captured();
    expect(await main([...args, '--unit', '000.16.43.H35'], other.io, { client: office.client, bundle: await workflowBundle() })).to.equal(0);
    expect(other.out.join('')).to.match(/histories replayed:\s+0\n[\s\S]*skipped \(other units\): 100\n/);
    const wrong = captured();
    expect(await main(['--from', '2026-11-30', '--to', '2026-11-01'], wrong.io, { client: office.client })).to.equal(2);
    expect(wrong.err.join('')).to.contain('the period ends before it starts');
  });

  it('reads a period of Hà Nội dates, both days included', () => {
    expect(periodOf('2026-11-01', '2026-11-30')).to.deep.equal({ from: new Date('2026-10-31T17:00:00Z'), to: new Date('2026-11-30T17:00:00Z') });
  });
});
