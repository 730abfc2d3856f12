/**
 * The escalation ladder under time skipping: every rung fires once at its working instant of the
 * commune's calendar (the instants below are worked out by hand from office hours 08:00–12:00,
 * 13:00–17:00), reaches whom it names, leaves one in-app notice per officer and one e-mail per
 * officer with an address however often its activity runs, and is recorded on the case; breaches
 * are still recorded and a late case still gets its apology slip. A returned case and an extended
 * deadline re-arm the rungs. A case received without a ladder keeps the fixed warnings
 * (test/certification/deadlines.test.ts).
 */
import { expect } from 'chai';
import { DEFAULT_LADDER, type EscalationRung } from '../../domain/escalation/ladder';
import { escalationKey } from '../../activities/certification/escalation';
import { createEscalationActivities } from '../../activities/certification/escalation';
import { attachScanUpdate, extendUpdate, returnToOfficerUpdate, submitUpdate } from '../../workflows/certification/messages';
import type { EscalationView } from '../../workflows/certification/escalationTypes';
import type { CaseView } from '../../workflows/certification/types';
import { requireTimeSkipping } from '../engine/harness';
import { actor, key, local, receiveCase, replay, startWorld, upload, type TestCase, type World } from '../certification/world';

const fired = (list: EscalationView[]) => list.map((e) => `${e.rungId} ${e.scope} ${e.step} ${local(e.at)} → ${e.recipients.map((r) => r.fullName).join(', ')}`);

describe('escalation ladder: rungs on the workflow clock', function () {
  this.timeout(180_000);
  let world: World;

  before(async () => {
    world = await startWorld();
    const { receiver, supervisor } = world.officers;
    // The leader has no e-mail address: he gets the in-app notice only.
    await world.database.db.query(`update officers set email = 'hoa.lt@nungnang.gov.vn' where id = $1`, [receiver.id]);
    await world.database.db.query(`update officers set email = 'giam.nv@tamduong.gov.vn' where id = $1`, [supervisor.id]);
  });
  after(async () => world?.close());
  beforeEach(async function () {
    await requireTimeSkipping(this);
  });

  const db = () => world.database.db;
  const withLadder = (rungs: readonly EscalationRung[], fromUnitId: string | null = null) => ({ escalationLadder: { rungs: rungs.map((r) => ({ ...r })), fromUnitId } });

  /** Advances to just before `instant` (nothing new), then just after it (exactly one more escalation). */
  async function firesAt(c: TestCase, instant: string, before: string, after: string): Promise<CaseView> {
    await c.advanceTo(before);
    const count = (await c.view()).escalations.length;
    await c.advanceTo(after);
    const v = await c.view();
    expect(v.escalations.length, `one rung at ${instant}`).to.equal(count + 1);
    const last = v.escalations[v.escalations.length - 1];
    expect(local(last.at)).to.equal(instant);
    expect(Date.parse(last.firedAt) - Date.parse(last.at)).to.be.within(0, 5_000);
    return v;
  }

  it('default ladder, received Monday 07/12/2026 15:30: officer at 75% the next morning, supervisor at each breach, the leaders an hour later', async () => {
    const { receiver, supervisor, leader } = world.officers;
    const c = await receiveCase(world, '2026-12-07 15:30', withLadder(DEFAULT_LADDER));
    const v0 = await c.view();
    // Step 2: 1 h 30 on Monday and 2 h 30 on Tuesday = Tuesday 10:30; overall: received after 15:00 → Tuesday 17:00.
    expect(local(v0.currentStep!.dueAt)).to.equal('2026-12-08 10:30');
    expect(local(v0.overallDueAt)).to.equal('2026-12-08 17:00');

    // Three working hours: 1 h 30 on Monday, 1 h 30 on Tuesday morning.
    await firesAt(c, '2026-12-08 09:30', '2026-12-08 09:29', '2026-12-08 09:31');
    await firesAt(c, '2026-12-08 10:30', '2026-12-08 10:29', '2026-12-08 10:31');
    await firesAt(c, '2026-12-08 11:30', '2026-12-08 11:29', '2026-12-08 11:31');
    await firesAt(c, '2026-12-08 17:00', '2026-12-08 16:59', '2026-12-08 17:01');
    // The overall breach at closing time: its hour is Wednesday's first.
    const v = await firesAt(c, '2026-12-09 09:00', '2026-12-09 08:59', '2026-12-09 09:01');
    await c.advanceTo('2026-12-11 17:00');
    const last = await c.view();
    expect(last.escalations).to.have.length(5);

    expect(fired(v.escalations)).to.deep.equal([
      `canh-bao-75 step receive 2026-12-08 09:30 → ${receiver.fullName}`,
      `qua-han-buoc step receive 2026-12-08 10:30 → ${supervisor.fullName}`,
      `truong-don-vi-buoc step receive 2026-12-08 11:30 → ${leader.fullName}`,
      `qua-han-chung overall receive 2026-12-08 17:00 → ${supervisor.fullName}`,
      `truong-don-vi-chung overall receive 2026-12-09 09:00 → ${leader.fullName}`,
    ]);
    expect(v.escalations[0].recipients).to.deep.equal([{ officerId: receiver.id, fullName: receiver.fullName, inApp: true, email: 'sent' }]);
    expect(v.escalations[2].recipients).to.deep.equal([{ officerId: leader.id, fullName: leader.fullName, inApp: true, email: 'no_address' }]);
    // The ladder replaces the fixed warnings; the breaches and the apology slip stay.
    expect(v.warnings).to.deep.equal([]);
    expect(v.breaches.map((b) => `${b.scope} ${local(b.at)}`)).to.deep.equal(['step 2026-12-08 10:30', 'overall 2026-12-08 17:00']);
    expect(v.steps[0].late).to.equal(true);
    expect(v.apologySlips.map((s) => local(s.missedDueAt))).to.deep.equal(['2026-12-08 17:00']);
    expect(world.notifications.filter((n) => n.input.caseCode === c.caseCode)).to.deep.equal([]);

    const notices: Array<{ officer_id: string; title: string; body: string; created_at: Date }> = await db().query(
      'select officer_id, title, body, created_at from officer_notifications where case_code = $1 order by created_at, officer_id',
      [c.caseCode],
    );
    expect(notices.map((n) => [n.officer_id, n.title])).to.deep.equal([
      [receiver.id, `Hồ sơ ${c.caseCode} sắp đến hạn bước tiếp nhận, trình ký (bước 2)`],
      [supervisor.id, `Hồ sơ ${c.caseCode} đã quá hạn bước tiếp nhận, trình ký (bước 2)`],
      [leader.id, `Hồ sơ ${c.caseCode} đã quá hạn bước tiếp nhận, trình ký (bước 2)`],
      [supervisor.id, `Hồ sơ ${c.caseCode} đã quá hạn trả kết quả`],
      [leader.id, `Hồ sơ ${c.caseCode} đã quá hạn trả kết quả`],
    ]);
    expect(notices[0].body).to.include(`[UBND xã Nùng Năng] Hồ sơ chứng thực ${c.caseCode} (Giàng A Páo) sắp đến hạn bước tiếp nhận, trình ký (bước 2): 10:30 ngày 08/12/2026.`);
    const mails: Array<{ to_address: string; subject: string; status: string; attempts: number }> = await db().query(
      // The citizen's apology for the missed deadline goes through the same outbox; officers' e-mails are these.
      `select to_address, subject, status, attempts from mail_outbox where case_code = $1 and to_address <> 'pao@example.vn' order by seq`,
      [c.caseCode],
    );
    expect(mails).to.deep.equal([
      { to_address: 'hoa.lt@nungnang.gov.vn', subject: `Hồ sơ ${c.caseCode} sắp đến hạn bước tiếp nhận, trình ký (bước 2)`, status: 'sent', attempts: 1 },
      { to_address: 'giam.nv@tamduong.gov.vn', subject: `Hồ sơ ${c.caseCode} đã quá hạn bước tiếp nhận, trình ký (bước 2)`, status: 'sent', attempts: 1 },
      { to_address: 'giam.nv@tamduong.gov.vn', subject: `Hồ sơ ${c.caseCode} đã quá hạn trả kết quả`, status: 'sent', attempts: 1 },
    ]);
    const received: Array<{ n: number }> = await db().query(`select count(*)::int as n from mail_messages where subject like $1`, [`Hồ sơ ${c.caseCode} %`]);
    expect(received[0].n).to.equal(3);
    const apology: Array<{ subject: string }> = await db().query(`select subject from mail_outbox where case_code = $1 and to_address = 'pao@example.vn'`, [c.caseCode]);
    expect(apology.map((m) => m.subject)).to.deep.equal(['[UBND xã Nùng Năng] Xin lỗi vì trả kết quả chậm — hẹn lại 17:00 ngày 09/12/2026']);
    // The default ladder also texts the supervisors at each breach; the leader has no phone on record.
    expect(v.escalations[1].recipients).to.deep.equal([{ officerId: supervisor.id, fullName: supervisor.fullName, inApp: true, email: 'sent', sms: 'sent' }]);
    const texts: Array<{ to_phone: string; body: string }> = await db().query(
      `select to_phone, body from sms_outbox where purpose = 'case_deadline' and body like $1 order by seq`,
      [`%${c.caseCode}%`],
    );
    expect(texts).to.deep.equal([
      { to_phone: '0912000201', body: `[UBND xã Nùng Năng] Hồ sơ chứng thực ${c.caseCode} (Giàng A Páo) đã quá hạn bước tiếp nhận, trình ký (bước 2): 10:30 ngày 08/12/2026.` },
      { to_phone: '0912000201', body: `[UBND xã Nùng Năng] Hồ sơ chứng thực ${c.caseCode} (Giàng A Páo) đã quá hạn trả kết quả: 17:00 ngày 08/12/2026.` },
    ]);

    const events: Array<{ seq: number; kind: string; data: { rung?: { id: string }; recipients?: Array<{ officerId: string }>; scope: string } }> = await db().query(
      `select seq, kind, data from certification_case_events where case_code = $1 and (kind = 'escalation' or kind like 'deadline.%') order by seq`,
      [c.caseCode],
    );
    expect(events.map((e) => (e.kind === 'escalation' ? `escalation ${e.data.rung!.id}` : `${e.kind} ${e.data.scope}`))).to.deep.equal([
      'escalation canh-bao-75',
      'deadline.breach step',
      'escalation qua-han-buoc',
      'escalation truong-don-vi-buoc',
      'deadline.breach overall',
      'escalation qua-han-chung',
      'escalation truong-don-vi-chung',
    ]);
    expect(events[0].data.recipients!.map((r) => r.officerId)).to.deep.equal([receiver.id]);

    // The activity run again (a retry after a lost answer) writes and sends nothing more.
    const escalation = createEscalationActivities({ db: db(), mail: world.services.mail });
    const first = v.escalations[0];
    await db().query(`delete from certification_case_events where case_code = $1 and seq = $2`, [c.caseCode, events[0].seq]);
    const again = await escalation.escalate({
      caseCode: c.caseCode,
      unit: v.unit,
      eventSeq: events[0].seq,
      alarmId: `step0:rung:canh-bao-75@${Date.parse(first.at)}`,
      rung: DEFAULT_LADDER[0],
      step: 'receive',
      stepRight: 'CERT_CREATE',
      ladderUnitId: null,
      at: first.at,
      dueAt: first.dueAt,
      firedAt: first.firedAt,
      citizenName: 'Giàng A Páo',
    });
    expect(again.recipients).to.deep.equal(first.recipients);
    expect(await db().query('select count(*)::int as n from officer_notifications where case_code = $1', [c.caseCode])).to.deep.equal([{ n: 5 }]);
    expect(await db().query('select count(*)::int as n, max(attempts) as a from mail_outbox where case_code = $1', [c.caseCode])).to.deep.equal([{ n: 4, a: 1 }]);
    expect(await db().query('select 1 from officer_notifications where dedupe_key = $1', [escalationKey(c.caseCode, `step0:rung:canh-bao-75@${Date.parse(first.at)}`, receiver.id)])).to.have.length(1);
    await replay(c.handle);
  });

  it("a unit's own ladder, received Monday 07/12/2026 11:45: 50% of the step, supervisors by e-mail only, the named head an hour after a 16:45 breach", async () => {
    const { receiver, supervisor, sealer } = world.officers;
    // The commune names its head (here the clerk who seals); the ladder row is where the head comes from.
    await db().query(
      `insert into escalation_ladders (unit_id, rungs, head_officer_id, updated_at) values ($1, '[]', $2, now())
       on conflict (unit_id) do update set head_officer_id = excluded.head_officer_id`,
      [world.org.communeA, sealer.id],
    );
    const rungs: EscalationRung[] = [
      { id: 'nhac-50', trigger: { kind: 'budgetShare', percent: 50 }, scope: 'step', notify: 'stepOfficers', channels: ['inApp'] },
      { id: 'giam-sat-30', trigger: { kind: 'afterDue', workingMinutes: 30 }, scope: 'overall', notify: 'supervisors', channels: ['email'] },
      { id: 'thu-truong', trigger: { kind: 'afterDue', workingMinutes: 60 }, scope: 'step', notify: 'unitHead', channels: ['inApp', 'email'] },
    ];
    const c = await receiveCase(world, '2026-12-07 11:45', withLadder(rungs, world.org.communeA));
    const v0 = await c.view();
    // 11:45–12:00 and 13:00–16:45: four working hours; overall the same day at 17:00.
    expect(local(v0.currentStep!.dueAt)).to.equal('2026-12-07 16:45');
    expect(local(v0.overallDueAt)).to.equal('2026-12-07 17:00');

    // Two working hours: 15 minutes before lunch, 1 h 45 after it.
    await firesAt(c, '2026-12-07 14:45', '2026-12-07 14:44', '2026-12-07 14:46');
    await firesAt(c, '2026-12-08 08:30', '2026-12-08 08:29', '2026-12-08 08:31');
    // 16:45 + 1 working hour: 15 minutes on Monday, 45 on Tuesday morning.
    const v = await firesAt(c, '2026-12-08 08:45', '2026-12-08 08:44', '2026-12-08 08:46');
    expect(fired(v.escalations)).to.deep.equal([
      `nhac-50 step receive 2026-12-07 14:45 → ${receiver.fullName}`,
      `giam-sat-30 overall receive 2026-12-08 08:30 → ${supervisor.fullName}`,
      `thu-truong step receive 2026-12-08 08:45 → ${sealer.fullName}`,
    ]);
    expect(v.escalations.map((e) => e.recipients)).to.deep.equal([
      [{ officerId: receiver.id, fullName: receiver.fullName, inApp: true }],
      [{ officerId: supervisor.id, fullName: supervisor.fullName, inApp: false, email: 'sent' }],
      [{ officerId: sealer.id, fullName: sealer.fullName, inApp: true, email: 'no_address' }],
    ]);
    expect(v.breaches.map((b) => `${b.scope} ${local(b.at)}`)).to.deep.equal(['step 2026-12-07 16:45', 'overall 2026-12-07 17:00']);
    const notices: Array<{ officer_id: string }> = await db().query('select officer_id from officer_notifications where case_code = $1 order by created_at', [c.caseCode]);
    expect(notices.map((n) => n.officer_id)).to.deep.equal([receiver.id, sealer.id]);
    const mails: Array<{ to_address: string }> = await db().query(`select to_address from mail_outbox where case_code = $1 and to_address <> 'pao@example.vn'`, [c.caseCode]);
    expect(mails.map((m) => m.to_address)).to.deep.equal(['giam.nv@tamduong.gov.vn']);
    await db().query('delete from escalation_ladders where unit_id = $1', [world.org.communeA]);
    await replay(c.handle);
  });

  it('re-arms the rungs when the case is returned to step 2 and when the overall deadline is extended', async () => {
    const { receiver, leader, supervisor } = world.officers;
    const c = await receiveCase(world, '2026-12-07 09:00', withLadder(DEFAULT_LADDER));
    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    await c.advanceTo('2026-12-07 09:30');
    // Signing from 09:30: two working hours, its 75% rung at 11:00.
    const submitted = await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    expect(local(submitted.currentStep!.dueAt)).to.equal('2026-12-07 11:30');
    await c.advanceTo('2026-12-07 10:45');
    // Returned at 10:45: step 2 again, 10:45–12:00 and 13:00–15:45; its rungs at 14:45, 15:45 and 16:45.
    const returned = await c.handle.executeUpdate(returnToOfficerUpdate, { args: [{ actor: actor(leader), idempotencyKey: key(), reason: 'Bản quét mờ, đề nghị quét lại' }] });
    expect(local(returned.currentStep!.dueAt)).to.equal('2026-12-07 15:45');
    const extended = await c.handle.executeUpdate(extendUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), workingDays: 1, reason: 'Cần quét lại bản chính nhiều trang' }] });
    expect(local(extended.overallDueAt)).to.equal('2026-12-08 17:00');

    await firesAt(c, '2026-12-07 14:45', '2026-12-07 14:44', '2026-12-07 14:46');
    await firesAt(c, '2026-12-07 15:45', '2026-12-07 15:44', '2026-12-07 15:46');
    await firesAt(c, '2026-12-07 16:45', '2026-12-07 16:44', '2026-12-07 16:46');
    // Nothing at Monday 17:00 for the old overall deadline, nothing at 11:00 for the sign step.
    await firesAt(c, '2026-12-08 17:00', '2026-12-08 16:59', '2026-12-08 17:01');
    const v = await firesAt(c, '2026-12-09 09:00', '2026-12-09 08:59', '2026-12-09 09:01');
    expect(fired(v.escalations)).to.deep.equal([
      `canh-bao-75 step receive 2026-12-07 14:45 → ${receiver.fullName}`,
      `qua-han-buoc step receive 2026-12-07 15:45 → ${supervisor.fullName}`,
      `truong-don-vi-buoc step receive 2026-12-07 16:45 → ${leader.fullName}`,
      `qua-han-chung overall receive 2026-12-08 17:00 → ${supervisor.fullName}`,
      `truong-don-vi-chung overall receive 2026-12-09 09:00 → ${leader.fullName}`,
    ]);
    expect(v.breaches.map((b) => `${b.scope} ${b.step} ${local(b.at)}`)).to.deep.equal(['step receive 2026-12-07 15:45', 'overall receive 2026-12-08 17:00']);
    expect(v.apologySlips.map((s) => local(s.missedDueAt))).to.deep.equal(['2026-12-08 17:00']);
    await replay(c.handle);
  });

  it('a case without a ladder in its input keeps the fixed warnings and notices', async () => {
    const c = await receiveCase(world, '2026-12-07 09:30');
    await c.advanceTo('2026-12-07 13:31');
    const v = await c.view();
    expect(v.escalations).to.deep.equal([]);
    expect(v.warnings.map((w) => `${w.scope} ${local(w.at)}`)).to.deep.equal(['step 2026-12-07 13:30']);
    expect(world.notifications.filter((n) => n.input.caseCode === c.caseCode).map((n) => n.input.kind)).to.deep.equal(['warning']);
    expect(await db().query('select count(*)::int as n from officer_notifications where case_code = $1', [c.caseCode])).to.deep.equal([{ n: 0 }]);
  });
});
