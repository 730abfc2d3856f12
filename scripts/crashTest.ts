/**
 * `npm run crash-test`: the whole system through `npm start` itself (scripts/run.ts, in a fresh
 * DATA_DIR on free ports), with cases in flight at mixed steps, loses nothing when its parts die.
 *
 * The officers of the demo commune drive CRASH_CASES (default 100) certification cases through the
 * REST API — reception with a scan and a fee receipt, submission, the leader's signature, the seal
 * and the delivery by e-mail and SMS — while the test SIGKILLs, in turn, the worker (in the middle
 * of CRASH_DELIVERIES (default 40) seals sent at once), the engine and PostgreSQL, each with a batch
 * of requests under way. Requests that get no answer are sent again with the same idempotency
 * key, as the web UI does. Nothing is done by hand: the supervisor starts each part again.
 *
 * Then it checks: every case completed, every scan and every certified copy on disk with its
 * bytes, the number register unique and without gaps, one e-mail per case in the embedded SMTP
 * server's store, no SMS twice, the audit chain intact (`npm run audit:verify`) and the read model
 * consistent (`npm run check:read-model`) — both found through the system file, without being
 * told any address — and prints the figures. Exit 0 when everything holds, 1 otherwise.
 * KEEP_CRASH_DATA=1 keeps the data directory for a look afterwards.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { DEMO_PASSWORD } from '../db/seed/demo';
import { textPagesPdf } from '../infra/pdf/simplePdf';
import type { CaseView } from '../workflows/certification/types';
import { verifyOutcome, type DrivenCase } from './lib/crashChecks';
import { OfficerClient, type Answer } from './lib/officerClient';
import { readSystemFile } from './lib/systemFile';
import { inParallel, scriptedCitizen, startSystem, stopSystem, type System } from './lib/systemUnderTest';

const CASES = Number(process.env.CRASH_CASES || 100);
const DELIVERIES = Math.min(Number(process.env.CRASH_DELIVERIES || 40), CASES);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RANK: Record<string, number> = { receiving: 0, signing: 1, sealing: 2, delivering: 3, completed: 4 };
const AFTER: Record<string, number> = { submit: 1, sign: 2, seal: 3 };

/** SIGKILLs the part's process and measures how long until the supervisor has it running again and /health?deep=1 is green. */
async function crash(sys: System, part: 'worker' | 'engine' | 'postgres', inFlight: () => string): Promise<{ part: string; backMs: number; healthyMs: number }> {
  const env = { DATA_DIR: sys.dataDir };
  const pid = readSystemFile(env)?.processes?.[part];
  if (!pid) throw new Error(`no ${part} pid in the system file`);
  console.log(`- killing ${part} (pid ${pid}) with ${inFlight()}`);
  const t0 = Date.now();
  process.kill(pid, 'SIGKILL');
  let backMs = 0;
  for (;;) {
    await sleep(200);
    const now = readSystemFile(env)?.processes?.[part];
    if (!backMs && now && now !== pid) backMs = Date.now() - t0;
    if (backMs) {
      const res = await fetch(`${sys.api}/health?deep=1`, { signal: AbortSignal.timeout(6_000) }).catch(() => undefined);
      if (res?.status === 200) return { part, backMs, healthyMs: Date.now() - t0 };
    }
    if (Date.now() - t0 > 180_000) throw new Error(`${part} did not come back within 3 minutes`);
  }
}

/** The system under test, stopped on any way out (a failed run must not leave it behind). */
let running: System | undefined;

async function main(): Promise<number> {
  const t0 = Date.now();
  console.log(`crash test: ${CASES} cases, ${DELIVERIES} seals at once; starting npm start (scripts/run.ts) in a fresh data directory…`);
  const sys = await startSystem('crash-test');
  running = sys;
  const [receiver, leader, sealer] = await Promise.all(['lan.tn', 'hung.lv', 'mai.pt'].map((u) => OfficerClient.login(sys.api, u, DEMO_PASSWORD)));
  const me = await receiver!.send<{ units: Array<{ id: string; oneStop: boolean }> }>('GET', '/api/auth/me');
  const desk = (me.units.find((u) => u.oneStop) ?? me.units[0])!;
  const cases: DrivenCase[] = [];
  const status = new Map<string, string>();
  const byStep = () => {
    const counts: Record<string, number> = {};
    for (const s of status.values()) counts[s] = (counts[s] ?? 0) + 1;
    return Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ');
  };

  const receive = async (i: number) => {
    const scan = textPagesPdf([['GIAY KHAI SINH - BAN CHINH', `Ban quet cua ho so thu ${i}`, `${sys.dataDir}`]]);
    const file = await receiver!.send<{ fileId: string }>('POST', '/api/files', { raw: scan }, [201]);
    const body = { unitId: desk.id, citizen: scriptedCitizen(i), documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 }], scanFileId: file.fileId };
    const view = await receiver!.send<CaseView>('POST', '/api/cases', { body }, [201]);
    await receiver!.send('POST', `/api/cases/${encodeURIComponent(view.caseCode)}/fee-receipt`, { body: { method: 'cash' }, onRefused: async (a) => a.status === 409 }, [201]);
    cases[i] = { code: view.caseCode, scanFileId: file.fileId, scanSha256: createHash('sha256').update(scan).digest('hex'), ...scriptedCitizen(i) };
    status.set(view.caseCode, view.status);
  };
  const officerFor: Record<string, OfficerClient> = { submit: receiver!, sign: leader!, seal: sealer! };
  const act = async (i: number, action: 'submit' | 'sign' | 'seal') => {
    const code = cases[i]!.code;
    const url = `/api/cases/${encodeURIComponent(code)}`;
    // Refused because the step is done already (its first answer was lost with a dying part): fine.
    const onRefused = async (a: Answer<unknown>) => {
      const view = await officerFor[action]!.send<CaseView>('GET', url);
      return (RANK[view.status] ?? -1) >= AFTER[action]! ? true : a.status >= 500 ? 'retry' : false;
    };
    const view = await officerFor[action]!.send<CaseView>('POST', `${url}/${action}`, { body: {}, onRefused });
    status.set(code, view.status ?? status.get(code)!);
  };
  /** Every third case needs one more working day before it goes to the leader: the citizen is told by SMS (and e-mail). */
  const submit = async (i: number) => {
    if (i % 3 === 0) {
      const url = `/api/cases/${encodeURIComponent(cases[i]!.code)}`;
      const onRefused = async () => ((await receiver!.send<CaseView>('GET', url)).extensions.length > 0 ? true : 'retry' as const);
      await receiver!.send('POST', `${url}/extend`, { body: { workingDays: 1, reason: 'Bản chính cần đối chiếu thêm với sổ gốc' }, onRefused });
      cases[i]!.extended = true;
    }
    await act(i, 'submit');
  };
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, Math.min(to, CASES) - from) }, (_, k) => from + k);
  const share = (f: number) => Math.round(CASES * f);

  console.log(`- receiving ${CASES} cases (scan, case, fee receipt)…`);
  await inParallel(range(0, CASES), 6, receive);
  await inParallel(range(0, share(0.7)), 6, submit);
  await inParallel(range(0, share(0.55)), 6, (i) => act(i, 'sign'));
  const crashes = [];

  // 1. The worker dies while the deliveries of DELIVERIES seals sent at once are under way.
  const burst = Promise.all(range(0, DELIVERIES).map((i) => act(i, 'seal')));
  await sleep(1_500);
  crashes.push(await crash(sys, 'worker', () => `${DELIVERIES} seals just sent; cases at ${byStep()}`));
  await burst;

  // 2. The engine dies while cases move at every step.
  const second = Promise.all([
    inParallel(range(DELIVERIES, share(0.55)), 4, (i) => act(i, 'seal')),
    inParallel(range(share(0.55), share(0.7)), 4, (i) => act(i, 'sign')),
    inParallel(range(share(0.7), share(0.85)), 4, submit),
  ]);
  await sleep(1_500);
  crashes.push(await crash(sys, 'engine', () => `requests under way; cases at ${byStep()}`));
  await second;

  // 3. PostgreSQL dies while every remaining case is driven to its seal.
  const rest = inParallel(range(share(0.55), CASES), 8, async (i) => {
    for (const action of ['submit', 'sign', 'seal'] as const) {
      if ((RANK[status.get(cases[i]!.code)!] ?? 0) < AFTER[action]!) await (action === 'submit' ? submit(i) : act(i, action));
    }
  });
  await sleep(2_000);
  crashes.push(await crash(sys, 'postgres', () => `cases at ${byStep()}`));
  await rest;

  console.log('- waiting for every case to be delivered…');
  const deadline = Date.now() + 600_000;
  for (const c of cases) {
    for (;;) {
      const view = await sealer!.send<CaseView & { result?: { path: string } }>('GET', `/api/cases/${encodeURIComponent(c.code)}`);
      status.set(c.code, view.status);
      if (view.status === 'completed' || Date.now() > deadline) {
        c.view = view;
        break;
      }
      await sleep(500);
    }
  }
  const driveSeconds = (Date.now() - t0) / 1000;
  const outcome = await verifyOutcome(sys.dataDir, cases);
  console.log('');
  console.log(`crash test through npm start, ${driveSeconds.toFixed(0)} s:`);
  for (const c of crashes) console.log(`  ${c.part.padEnd(8)} killed: running again after ${(c.backMs / 1000).toFixed(1)} s, /health?deep=1 green after ${(c.healthyMs / 1000).toFixed(1)} s`);
  console.log(`  requests sent again after no answer or a 5xx: ${OfficerClient.retries}`);
  for (const line of outcome.lines) console.log(`  ${line}`);
  console.log(outcome.ok ? 'PASS' : 'FAIL');

  const code = await stopSystem(sys);
  running = undefined;
  if (process.env.KEEP_CRASH_DATA !== '1' && outcome.ok) fs.rmSync(sys.dataDir, { recursive: true, force: true });
  else console.log(`data kept in ${sys.dataDir}`);
  return outcome.ok && code === 0 ? 0 : 1;
}

process.once('SIGINT', () => void (running ? stopSystem(running) : Promise.resolve()).then(() => process.exit(130)));

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    if (running) {
      console.error(`data kept in ${running.dataDir}; last output:\n${running.output().slice(-3000)}`);
      await stopSystem(running);
    }
    process.exit(1);
  },
);
