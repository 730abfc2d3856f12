/**
 * The SLA dashboard against a seeded set of cases with known outcomes, run through the real
 * certification workflow under time skipping on one case clock (Monday 30/11 – Wednesday
 * 02/12/2026), and read through HTTP with the API's clock set to Wednesday 11:30:
 *
 *   A  received Mon 08:00, submitted 08:30, signed 09:00, sealed 09:45        → completed on time
 *   B  received Mon 08:00, submitted 09:30, signed 10:00, sealed 10:30        → completed on time
 *   C  received Mon 10:30, submitted 14:00, left unsigned past 16:00 (step
 *      breach) and 17:00 (overall breach), signed Tue 08:30, sealed 09:00     → completed late
 *   D  received Mon 11:00, refused 11:20 (DAMAGED)                            → refused
 *   E  received Mon 11:00, submitted 11:30, withdrawn 13:30                   → withdrawn
 *   F  received Mon 15:30 (due Tue 17:00), extended 1 day at 16:00 (Wed 17:00), submitted
 *      Tue 10:00, signed 11:00, sealed Wed 08:30 (seal step late)           → completed on time
 *   H  received Tue 13:00, submitted 14:00, unsigned (due Tue 16:00)        → open, overdue
 *   G  received Wed 08:00 (reception due 12:00, warned 11:00)                 → open, at risk
 *   I  received Wed 11:00 (reception due 16:00)                               → open, on time
 *
 * Then the consistency check finds every case consistent, and flags exactly the cases whose
 * read-model rows were altered with SQL, naming the field.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import Long from 'long';
import type { google } from '@temporalio/proto';
import { createApp } from '../../api/app';
import { ManualClock } from '../../api/clock';
import { DEFAULT_AUTH_CONFIG, type AppContext } from '../../api/context';
import { hashToken } from '../../api/route';
import { REFUSAL_GROUNDS } from '../../domain/certification/refusalGrounds';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import { rewriteFromView } from '../../infra/readModel/caseReadModel';
import { attachScanUpdate, caseViewQuery, certificationWorkflowId, extendUpdate, refuseUpdate, sealUpdate, signUpdate, submitUpdate, withdrawUpdate } from '../../workflows/certification/messages';
import type { CaseStatus, CaseView } from '../../workflows/certification/types';
import { actor, at, key, local, receiveCase, startWorld, upload, type CaseHandle, type Officer, type World } from '../certification/world';
import { requireTimeSkipping } from '../engine/harness';

describe('supervision: the SLA dashboard of a seeded set of cases', function () {
  this.timeout(300_000);
  let world: World;
  let server: Server | undefined;
  let baseUrl = '';
  const clock = new ManualClock(new Date(at('2026-12-02 11:30')));
  const cases: Record<string, CaseHandle> = {};
  let offset = 0;
  /** The namespace's retention before the test lengthened it. */
  let retention: google.protobuf.IDuration | null | undefined;

  const now = async () => (await world.env.currentTimeMs()) + offset;
  const advanceTo = async (local: string) => {
    const gap = at(local) - (await now());
    if (gap > 0) await world.env.sleep(gap);
  };
  /** A case received now on the shared case clock. */
  const receive = async (name: string) => {
    const c = await receiveCase(world, '2026-11-30 08:00', { clockOffsetMs: offset, citizen: { fullName: `Công dân ${name}`, citizenId: '012090001234', birthDate: '1990-05-12', phone: '0987654321' } });
    cases[name] = c.handle;
  };
  const act = (o: Officer) => ({ actor: actor(o), idempotencyKey: key() });
  const view = (name: string) => cases[name].query<CaseView>('caseView');
  /** Waits (without moving the engine's clock) until the case reaches `status` and its projection is written. */
  const settled = async (name: string, status?: CaseStatus) => {
    for (let i = 0; i < 600; i++) {
      const v = await view(name);
      const rows: Array<{ version: number }> = await world.database.db.query('select version from certification_cases where case_code = $1', [v.caseCode]);
      if ((!status || v.status === status) && rows[0]?.version === v.version) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${name} did not settle${status ? ` as ${status}` : ''}`);
  };
  const code = (name: string) => cases[name].workflowId.replace(/^certification-/, '');

  async function token(officerId: string): Promise<string> {
    const t = randomBytes(32).toString('base64url');
    await world.database.db.query(`insert into sessions (token_hash, officer_id, stage, created_at, expires_at) values ($1, $2, 'active', $3, $4)`, [
      hashToken(t),
      officerId,
      clock.now(),
      new Date(clock.now().getTime() + 3_600_000),
    ]);
    return t;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function get(path: string, officerId: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${await token(officerId)}` } });
    return { status: res.status, body: await res.json() };
  }

  before(async function () {
    await requireTimeSkipping(this);
    world = await startWorld();
    // The scenario spans two and a half days of engine time; closed workflows must outlive it (the
    // engine's default retention is one day) for the consistency check to query them.
    const namespace = world.env.client.options.namespace;
    const service = world.env.connection.workflowService;
    retention = (await service.describeNamespace({ namespace })).config?.workflowExecutionRetentionTtl;
    await service.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(7 * 86_400) } } });
    const db = world.database.db;
    const ctx: AppContext = {
      db,
      clock,
      auth: DEFAULT_AUTH_CONFIG,
      sms: new LocalSmsSender(db, () => clock.now()),
      temporal: { client: world.env.client, taskQueue: world.taskQueue },
    };
    server = await new Promise<Server>((resolve) => {
      const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const { receiver, leader, sealer } = world.officers;
    const submit = async (name: string) => {
      await cases[name].executeUpdate(attachScanUpdate, { args: [{ ...act(receiver), scan: await upload(world) }] });
      await cases[name].executeUpdate(submitUpdate, { args: [act(receiver)] });
    };
    const sign = (name: string) => cases[name].executeUpdate(signUpdate, { args: [act(leader)] });
    const seal = async (name: string) => {
      await cases[name].executeUpdate(sealUpdate, { args: [act(sealer)] });
      await settled(name, 'completed');
    };

    offset = at('2026-11-30 08:00') - (await world.env.currentTimeMs());
    await receive('A');
    await receive('B');
    await advanceTo('2026-11-30 08:30');
    await submit('A');
    await advanceTo('2026-11-30 09:00');
    await sign('A');
    await advanceTo('2026-11-30 09:30');
    await submit('B');
    await advanceTo('2026-11-30 09:45');
    await seal('A');
    await advanceTo('2026-11-30 10:00');
    await sign('B');
    await advanceTo('2026-11-30 10:30');
    await seal('B');
    await receive('C');
    await advanceTo('2026-11-30 11:00');
    await receive('D');
    await receive('E');
    await advanceTo('2026-11-30 11:20');
    await cases.D.executeUpdate(refuseUpdate, { args: [{ ...act(receiver), ground: 'DAMAGED', note: 'Bản chính rách mất góc phải' }] });
    await advanceTo('2026-11-30 11:30');
    await submit('E');
    await advanceTo('2026-11-30 13:30');
    await cases.E.executeUpdate(withdrawUpdate, { args: [{ ...act(receiver), reason: 'Công dân không cần bản sao nữa' }] });
    await advanceTo('2026-11-30 14:00');
    await submit('C');
    await advanceTo('2026-11-30 15:30');
    await receive('F');
    await advanceTo('2026-11-30 16:00');
    await cases.F.executeUpdate(extendUpdate, { args: [{ ...act(receiver), workingDays: 1, reason: 'Chờ xác minh bản chính' }] });
    await advanceTo('2026-12-01 08:30');
    await sign('C');
    await advanceTo('2026-12-01 09:00');
    await seal('C');
    await advanceTo('2026-12-01 10:00');
    await submit('F');
    await advanceTo('2026-12-01 11:00');
    await sign('F');
    await advanceTo('2026-12-01 13:00');
    await receive('H');
    await advanceTo('2026-12-01 14:00');
    await submit('H');
    await advanceTo('2026-12-02 08:00');
    await receive('G');
    await advanceTo('2026-12-02 08:30');
    await seal('F');
    await advanceTo('2026-12-02 11:00');
    await receive('I');
    await advanceTo('2026-12-02 11:30');
    for (const name of Object.keys(cases)) await settled(name);
  });

  after(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    if (world && retention) {
      await world.env.connection.workflowService.updateNamespace({ namespace: world.env.client.options.namespace, config: { workflowExecutionRetentionTtl: retention } });
    }
    await world?.close();
  });

  it('has run the cases to their known outcomes', async () => {
    const outcome = async (name: string) => {
      const v = await view(name);
      return [v.status, v.breaches.map((b) => `${b.scope} ${b.step}`).join(', ')];
    };
    expect(await outcome('A')).to.deep.equal(['completed', '']);
    expect(await outcome('C')).to.deep.equal(['completed', 'step sign, overall sign']);
    expect(await outcome('D')).to.deep.equal(['refused', '']);
    expect(await outcome('E')).to.deep.equal(['withdrawn', '']);
    expect(await outcome('F')).to.deep.equal(['completed', 'step seal']);
    expect(await outcome('H')).to.deep.equal(['signing', 'step sign, overall sign']);
    expect(await outcome('G')).to.deep.equal(['receiving', '']);
  });

  it('counts open cases by step and state, and lists the overdue and at-risk ones by working time left', async () => {
    const res = await get('/api/supervision/dashboard?from=2026-11-30&to=2026-12-02', world.officers.supervisor.id);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const d = res.body;
    expect(d.generatedAt).to.equal(new Date(at('2026-12-02 11:30')).toISOString());
    expect(d.open).to.deep.equal({ total: 3, byStep: { receive: 2, sign: 1, seal: 0, deliver: 0 }, byState: { onTime: 1, atRisk: 1, overdue: 1 } });
    // H: due Tue 16:00; since then Tue 16:00–17:00 and Wed 08:00–11:30 = 4 h 30 min of office time. G: due 12:00, 30 min left.
    expect(d.atRisk.map((r: { caseCode: string; state: string; remainingWorkingMinutes: number; step: string }) => [r.caseCode, r.state, r.remainingWorkingMinutes, r.step])).to.deep.equal([
      [code('H'), 'overdue', -270, 'sign'],
      [code('G'), 'atRisk', 30, 'receive'],
    ]);
    expect(d.atRisk[0]).to.deep.include({ citizenName: 'Công dân H', unit: { id: world.org.communeA, name: 'UBND xã Nùng Năng' } });
    // The case clock runs a few milliseconds behind the instants the test aims at.
    expect(local(d.atRisk[0].dueAt)).to.equal('2026-12-01 16:00');
  });

  it('gives on-time rates per unit and per officer, and working time per step against its budget', async () => {
    const { body: d } = await get('/api/supervision/dashboard?from=2026-11-30&to=2026-12-02', world.officers.supervisor.id);
    expect(d.totals).to.deep.equal({ received: 9, completed: 4, onTime: 3, late: 1, refused: 1, withdrawn: 1, rate: 0.75 });
    expect(d.onTime.byUnit).to.deep.equal([
      { unitId: world.org.communeB, name: 'UBND xã Bản Bo', completed: 0, onTime: 0, late: 0, rate: null },
      { unitId: world.org.communeA, name: 'UBND xã Nùng Năng', completed: 4, onTime: 3, late: 1, rate: 0.75 },
    ]);
    const { receiver, leader, sealer } = world.officers;
    // Steps the officer ended himself (E's withdrawal is not one); C's signature and F's seal were late.
    expect(d.onTime.byOfficer).to.deep.equal([
      { officerId: receiver.id, name: receiver.fullName, steps: 7, onTime: 7, late: 0, rate: 1 },
      { officerId: leader.id, name: leader.fullName, steps: 4, onTime: 3, late: 1, rate: 0.75 },
      { officerId: sealer.id, name: sealer.fullName, steps: 4, onTime: 3, late: 1, rate: 0.75 },
    ]);
    // Reception: A 30, B 90, C 150 (10:30–12:00, 13:00–14:00), D 20, E 30, F 210 (Mon 15:30–17:00, Tue 08:00–10:00), H 60 → 590 / 7.
    // Signature: A 30, B 30, C 210 (Mon 14:00–17:00, Tue 08:00–08:30), F 60 → 330 / 4.
    // Seal: A 45, B 30, C 30, F 330 (Tue 11:00–12:00, 13:00–17:00, Wed 08:00–08:30) → 435 / 4.
    expect(d.stepTimes).to.deep.equal([
      { step: 'receive', budgetMinutes: 240, steps: 7, cases: 7, late: 0, avgWorkingMinutes: 84.3 },
      { step: 'sign', budgetMinutes: 120, steps: 4, cases: 4, late: 1, avgWorkingMinutes: 82.5 },
      { step: 'seal', budgetMinutes: 120, steps: 4, cases: 4, late: 1, avgWorkingMinutes: 108.8 },
    ]);
  });

  it('draws the trend per day and per week, refusals by ground and extensions', async () => {
    const { body: d } = await get('/api/supervision/dashboard?from=2026-11-30&to=2026-12-02&granularity=day', world.officers.supervisor.id);
    expect(d.period).to.deep.equal({ from: '2026-11-30', to: '2026-12-02', granularity: 'day' });
    expect(d.trend).to.deep.equal([
      { period: '2026-11-30', from: '2026-11-30', to: '2026-11-30', received: 6, completed: 2, onTime: 2, late: 0, refused: 1, withdrawn: 1 },
      { period: '2026-12-01', from: '2026-12-01', to: '2026-12-01', received: 1, completed: 1, onTime: 0, late: 1, refused: 0, withdrawn: 0 },
      { period: '2026-12-02', from: '2026-12-02', to: '2026-12-02', received: 2, completed: 1, onTime: 1, late: 0, refused: 0, withdrawn: 0 },
    ]);
    expect(d.refusalsByGround[0]).to.deep.equal({ ground: 'DAMAGED', text: REFUSAL_GROUNDS.DAMAGED, count: 1 });
    expect(d.refusalsByGround.slice(1).map((r: { count: number }) => r.count)).to.deep.equal([0, 0, 0, 0, 0]);
    expect(d.extensions).to.deep.equal({ cases: 1, count: 1, days: 1 });

    const { body: w } = await get('/api/supervision/dashboard?from=2026-11-23&to=2026-12-06&granularity=week', world.officers.supervisor.id);
    expect(w.trend).to.deep.equal([
      { period: '2026-11-23', from: '2026-11-23', to: '2026-11-29', received: 0, completed: 0, onTime: 0, late: 0, refused: 0, withdrawn: 0 },
      { period: '2026-11-30', from: '2026-11-30', to: '2026-12-06', received: 9, completed: 4, onTime: 3, late: 1, refused: 1, withdrawn: 1 },
    ]);
    // A period that ends before F was sealed counts F as open, C as the only completion of Tuesday.
    const { body: t } = await get('/api/supervision/dashboard?from=2026-12-01&to=2026-12-01', world.officers.supervisor.id);
    expect(t.totals).to.deep.equal({ received: 1, completed: 1, onTime: 0, late: 1, refused: 0, withdrawn: 0, rate: 0 });
    expect(t.extensions).to.deep.equal({ cases: 0, count: 0, days: 0 });
  });

  it('shows a supervisor only his units, and explains refused queries in Vietnamese', async () => {
    const { otherSupervisor, outsider, supervisor } = world.officers;
    const other = await get('/api/supervision/dashboard?from=2026-11-30&to=2026-12-02', otherSupervisor.id);
    expect(other.status).to.equal(200);
    expect(other.body.open.total).to.equal(0);
    expect(other.body.totals.received).to.equal(0);
    expect(other.body.onTime.byUnit.map((u: { name: string }) => u.name)).to.deep.equal(['UBND xã Bản Bo']);
    const outside = await get(`/api/supervision/dashboard?unitId=${world.org.communeA}`, otherSupervisor.id);
    expect(outside.status).to.equal(403);
    expect(outside.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
    // The desk stands for its commune.
    const desk = await get(`/api/supervision/dashboard?unitId=${world.org.deskA}&from=2026-11-30&to=2026-12-02`, supervisor.id);
    expect(desk.body.totals.received).to.equal(9);
    expect(desk.body.onTime.byUnit.map((u: { name: string }) => u.name)).to.deep.equal(['UBND xã Nùng Năng']);
    expect((await get('/api/supervision/dashboard', outsider.id)).status).to.equal(403);

    const tooLong = await get('/api/supervision/dashboard?from=2024-01-01&to=2026-12-02', supervisor.id);
    expect(tooLong.status).to.equal(400);
    expect(tooLong.body.error.details.fields.map((f: { field: string; label: string; problem: string }) => ({ field: f.field, label: f.label, problem: f.problem }))).to.deep.equal([{ field: 'to', label: 'Đến ngày', problem: 'khoảng thời gian dài tối đa 2 năm (731 ngày), đang chọn 1067 ngày' }]);
    const backwards = await get('/api/supervision/dashboard?from=2026-12-02&to=2026-11-30', supervisor.id);
    expect(backwards.body.error.details.fields[0]).to.deep.include({ field: 'to', label: 'Đến ngày', problem: 'đến ngày không được trước từ ngày' });
    const badDay = await get('/api/supervision/dashboard?from=2026-02-30&granularity=month', supervisor.id);
    expect(badDay.status).to.equal(400);
    expect(badDay.body.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['from', 'granularity']);
    expect(badDay.body.error.message).to.match(/^Dữ liệu không hợp lệ — Từ ngày: từ ngày "2026-02-30" không hợp lệ/);
    expect(badDay.body.error.messageEn).to.match(/^Invalid input — From: "2026-02-30" is not a real date/);
    // Without dates: the last 30 days up to the API's today.
    expect((await get('/api/supervision/dashboard', supervisor.id)).body.period).to.deep.equal({ from: '2026-11-03', to: '2026-12-02', granularity: 'day' });
  });

  it('finds the read model consistent with the workflows, and flags exactly the rows altered behind their back', async () => {
    const { supervisor } = world.officers;
    const clean = await get('/api/supervision/consistency?closedWithinDays=7', supervisor.id);
    expect(clean.status, JSON.stringify(clean.body)).to.equal(200);
    expect(clean.body).to.deep.include({ checked: 9, consistent: 9, mismatches: [], pending: [], unreachable: [] });

    const db = world.database.db;
    await db.query(`update case_steps set late = true where case_code = $1 and step = 'sign'`, [code('B')]);
    await db.query(`update certification_cases set on_time = false where case_code = $1`, [code('F')]);
    try {
      const flagged = await get('/api/supervision/consistency?closedWithinDays=7', supervisor.id);
      expect(flagged.body).to.deep.include({ checked: 9, consistent: 7, pending: [], unreachable: [] });
      expect(flagged.body.mismatches).to.deep.equal(
        [
          { caseCode: code('B'), differences: ['steps[1].late: true ≠ false'] },
          { caseCode: code('F'), differences: ['onTime: false ≠ true'] },
        ].sort((a, b) => a.caseCode.localeCompare(b.caseCode)),
      );
      // The dashboard counts what the read model says: the altered rows move its figures.
      const { body: d } = await get('/api/supervision/dashboard?from=2026-11-30&to=2026-12-02', supervisor.id);
      expect(d.totals).to.include({ onTime: 2, late: 2 });
      expect(d.onTime.byOfficer[1]).to.include({ onTime: 2, late: 2 });
      // A supervisor of another commune checks nothing of these.
      expect((await get('/api/supervision/consistency', world.officers.otherSupervisor.id)).body).to.deep.include({ checked: 0, consistent: 0 });
      // Closed cases count only within the window: on Wednesday with 0 days, the three open ones.
      expect((await get('/api/supervision/consistency?closedWithinDays=0', supervisor.id)).body).to.deep.include({ checked: 3, consistent: 3 });
      // By default the last day: F, sealed this morning, and the open ones.
      expect((await get('/api/supervision/consistency', supervisor.id)).body).to.deep.include({ checked: 4, consistent: 3, closedWithinDays: 1 });
      const audited: Array<{ details: { checked: number; mismatches: string[] } }> = await db.query(
        `select details from audit_log where action = 'supervision.consistency-check' and actor_id = $1 order by seq`,
        [supervisor.id],
      );
      expect(audited.map((a) => a.details.mismatches.length)).to.deep.equal([0, 2, 0, 1]);
      // The operator's repair (npm run check:read-model -- --repair) rewrites both from their workflows' views.
      for (const c of [code('B'), code('F')]) {
        const view = await world.env.client.workflow.getHandle(certificationWorkflowId(c)).query(caseViewQuery);
        await rewriteFromView(db, view.unit.id, view);
      }
      expect((await get('/api/supervision/consistency?closedWithinDays=7', supervisor.id)).body).to.deep.include({ checked: 9, consistent: 9, mismatches: [] });
    } finally {
      await db.query(`update case_steps set late = false where case_code = $1 and step = 'sign'`, [code('B')]);
      await db.query(`update certification_cases set on_time = true where case_code = $1`, [code('F')]);
    }
  });
});
