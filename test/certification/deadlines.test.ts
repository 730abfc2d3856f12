/**
 * Deadlines under time skipping: every warning and breach fires at its working instant on the
 * workflow clock, over lunch breaks, weekends and Tết, with the complex flag and with
 * extensions; breaches reach the unit's supervisors (and only them), and a late case gets an
 * apology and re-appointment slip.
 */
import { expect } from 'chai';
import * as path from 'node:path';
import { attachScanUpdate, extendUpdate, sealUpdate, setComplexUpdate, signUpdate, submitUpdate } from '../../workflows/certification/messages';
import { readModelOf } from '../../domain/supervision/readModel';
import type { AlarmView } from '../../workflows/certification/types';
import { requireTimeSkipping } from '../engine/harness';
import { pdfText } from '../support/pdfTools';
import { acceptedUpdates, actor, failureOf, key, local, receiveCase, replay, startWorld, upload, type TestCase, type World } from './world';

const alarms = (list: AlarmView[]) => list.map((a) => `${a.scope} ${a.step} ${local(a.at)}`);

describe('certification workflow: deadlines on the workflow clock', function () {
  this.timeout(120_000);
  let world: World;

  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());
  beforeEach(async function () {
    await requireTimeSkipping(this);
  });

  /** The deadline notifications the worker sent for one case, in order. */
  const sent = (c: TestCase) =>
    world.notifications.filter((n) => n.input.caseCode === c.caseCode).map((n) => ({ what: `${n.input.kind} ${n.input.scope} ${n.input.step} ${local(n.input.at)}`, to: n.result.notified.map((o) => o.fullName) }));

  it('received at 11:30 on a Friday: warning 15:30, breach 16:30, overall breach 17:00 with an apology slip; the sign step waits for Monday', async () => {
    const { receiver, supervisor } = world.officers;
    const c = await receiveCase(world, '2026-11-27 11:30');
    const v = await c.view();
    expect(local(v.overallDueAt)).to.equal('2026-11-27 17:00');
    expect(local(v.overallWarnAt)).to.equal('2026-11-27 15:52'); // 75% of 4.5 working hours
    expect(v.currentStep).to.include({ step: 'receive', budgetHours: 4, right: 'CERT_CREATE' });
    expect(local(v.currentStep!.warnAt)).to.equal('2026-11-27 15:30');
    expect(local(v.currentStep!.dueAt)).to.equal('2026-11-27 16:30');

    await c.advanceTo('2026-11-27 15:29');
    expect((await c.view()).warnings).to.deep.equal([]);
    await c.advanceTo('2026-11-27 15:31');
    const warned = await c.view();
    expect(alarms(warned.warnings)).to.deep.equal(['step receive 2026-11-27 15:30']);
    expect(warned.warnings[0].notified.map((o) => o.officerId)).to.deep.equal([receiver.id]);
    expect(Date.parse(warned.warnings[0].firedAt) - Date.parse(warned.warnings[0].at)).to.be.within(0, 5_000);

    await c.advanceTo('2026-11-27 17:01');
    const late = await c.view();
    expect(alarms(late.warnings)).to.deep.equal(['step receive 2026-11-27 15:30', 'overall receive 2026-11-27 15:52']);
    expect(alarms(late.breaches)).to.deep.equal(['step receive 2026-11-27 16:30', 'overall receive 2026-11-27 17:00']);
    expect(late.steps[0].late).to.equal(true);
    expect(sent(c)).to.deep.equal([
      { what: 'warning step receive 2026-11-27 15:30', to: [receiver.fullName] },
      { what: 'warning overall receive 2026-11-27 15:52', to: [receiver.fullName] },
      // Supervisors whose scope covers the commune (the district's), not commune B's.
      { what: 'breach step receive 2026-11-27 16:30', to: [supervisor.fullName] },
      { what: 'breach overall receive 2026-11-27 17:00', to: [supervisor.fullName] },
    ]);
    expect(late.apologySlips).to.have.length(1);
    expect(local(late.apologySlips[0].missedDueAt)).to.equal('2026-11-27 17:00');
    expect(local(late.apologySlips[0].newAppointmentAt)).to.equal('2026-11-30 17:00');
    const slip = pdfText(path.join(world.filesDir, late.apologySlips[0].path), undefined, false).replace(/\s+/g, ' ');
    expect(slip).to.include('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ').and.include('17 giờ 00 phút, ngày 30 tháng 11 năm 2026').and.include(c.caseCode);

    const db = world.database.db;
    const sms: Array<{ body: string }> = await db.query(`select body from sms_outbox where to_phone = $1 and body like $2 order by created_at`, [supervisor.phone, `%${c.caseCode}%`]);
    expect(sms.map((s) => s.body)).to.deep.equal([
      `[UBND xã Nùng Năng] Hồ sơ chứng thực ${c.caseCode} (Giàng A Páo) quá hạn bước tiếp nhận, trình ký (bước 2).`,
      `[UBND xã Nùng Năng] Hồ sơ chứng thực ${c.caseCode} (Giàng A Páo) quá hạn trả kết quả.`,
    ]);
    expect(await db.query(`select count(*)::int as n from sms_outbox where to_phone = '0912000202'`)).to.deep.equal([{ n: 0 }]);
    const events: Array<{ kind: string; data: { scope: string; notified: Array<{ officerId: string }> } }> = await db.query(
      `select kind, data from certification_case_events where case_code = $1 and kind like 'deadline.%' order by seq`,
      [c.caseCode],
    );
    expect(events.map((e) => `${e.kind} ${e.data.scope}`)).to.deep.equal(['deadline.warning step', 'deadline.warning overall', 'deadline.breach step', 'deadline.breach overall']);
    const row: Array<{ breaches: number; step_due_at: Date }> = await db.query('select breaches, step_due_at from certification_cases where case_code = $1', [c.caseCode]);
    expect(row[0].breaches).to.equal(2);

    // Submitted after closing time on Friday: the leader's two hours start on Monday morning.
    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    const submitted = await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    expect(local(submitted.currentStep!.warnAt)).to.equal('2026-11-30 09:30');
    expect(local(submitted.currentStep!.dueAt)).to.equal('2026-11-30 10:00');
    await c.advanceTo('2026-11-30 10:01');
    const monday = await c.view();
    expect(alarms(monday.warnings).slice(2)).to.deep.equal(['step sign 2026-11-30 09:30']);
    expect(alarms(monday.breaches).slice(2)).to.deep.equal(['step sign 2026-11-30 10:00']);
    // The overall deadline was already missed: no second slip for the same deadline.
    expect(monday.apologySlips).to.have.length(1);
    await replay(c.handle);
  });

  it('received at 15:01: due the next working day; step 2 crosses the night', async () => {
    const c = await receiveCase(world, '2026-11-30 15:01');
    const v = await c.view();
    expect(local(v.overallDueAt)).to.equal('2026-12-01 17:00');
    expect(local(v.overallWarnAt)).to.equal('2026-12-01 14:30');
    expect(local(v.currentStep!.warnAt)).to.equal('2026-12-01 09:01');
    expect(local(v.currentStep!.dueAt)).to.equal('2026-12-01 10:01');

    await c.advanceTo('2026-12-01 09:00');
    expect((await c.view()).warnings).to.deep.equal([]);
    await c.advanceTo('2026-12-01 10:02');
    const v2 = await c.view();
    expect(alarms(v2.warnings)).to.deep.equal(['step receive 2026-12-01 09:01']);
    expect(alarms(v2.breaches)).to.deep.equal(['step receive 2026-12-01 10:01']);
    await c.advanceTo('2026-12-01 17:01');
    const v3 = await c.view();
    expect(alarms(v3.warnings)).to.deep.equal(['step receive 2026-12-01 09:01', 'overall receive 2026-12-01 14:30']);
    expect(alarms(v3.breaches)).to.deep.equal(['step receive 2026-12-01 10:01', 'overall receive 2026-12-01 17:00']);
  });

  it('received at 14:59: due the same day at 17:00', async () => {
    const c = await receiveCase(world, '2026-11-30 14:59');
    const v = await c.view();
    expect(local(v.overallDueAt)).to.equal('2026-11-30 17:00');
    expect(local(v.currentStep!.dueAt)).to.equal('2026-12-01 09:59');
    await c.advanceTo('2026-11-30 17:01');
    expect(alarms((await c.view()).breaches)).to.deep.equal(['overall receive 2026-11-30 17:00']);
  });

  it('received on the eve of Tết (Friday 13/02/2026, 15:30): nothing fires during the holiday, everything on Monday 23/02', async () => {
    const c = await receiveCase(world, '2026-02-13 15:30');
    const v = await c.view();
    expect(local(v.overallDueAt)).to.equal('2026-02-23 17:00');
    expect(local(v.currentStep!.warnAt)).to.equal('2026-02-23 09:30');
    expect(local(v.currentStep!.dueAt)).to.equal('2026-02-23 10:30');

    await c.advanceTo('2026-02-22 23:00');
    const holiday = await c.view();
    expect(holiday.warnings).to.deep.equal([]);
    expect(holiday.breaches).to.deep.equal([]);
    await c.advanceTo('2026-02-23 10:31');
    const monday = await c.view();
    expect(alarms(monday.warnings)).to.deep.equal(['step receive 2026-02-23 09:30']);
    expect(alarms(monday.breaches)).to.deep.equal(['step receive 2026-02-23 10:30']);
  });

  it('gives a complex case 16 working hours at step 2 and extends its overall deadline to fit, also when the flag is set after reception', async () => {
    const complex = await receiveCase(world, '2026-11-30 09:00', { complex: true, complexReason: 'Hồ sơ 12 bản chính, nhiều trang' });
    const v = await complex.view();
    expect(v.currentStep).to.include({ budgetHours: 16 });
    expect(local(v.currentStep!.warnAt)).to.equal('2026-12-01 14:00');
    expect(local(v.currentStep!.dueAt)).to.equal('2026-12-02 09:00');
    // 16 + 2 + 2 working hours from Monday 09:00 end Wednesday 14:00: the same-day deadline moves two working days.
    expect(local(v.overallDueAt)).to.equal('2026-12-02 17:00');
    expect(local(v.overallWarnAt)).to.equal('2026-12-02 10:15'); // 75% of 23 working hours
    expect(v.extensions.map((e) => ({ days: e.workingDays, cause: e.cause, from: local(e.previousDueAt), to: local(e.newDueAt) }))).to.deep.equal([
      { days: 2, cause: 'complex', from: '2026-11-30 17:00', to: '2026-12-02 17:00' },
    ]);
    expect(v.extensions[0]!.reason).to.contain('Hồ sơ 12 bản chính, nhiều trang');

    const later = await receiveCase(world, '2026-11-30 09:00');
    expect(local((await later.view()).currentStep!.dueAt)).to.equal('2026-11-30 14:00');
    const noReason = await failureOf(later.handle.executeUpdate(setComplexUpdate, { args: [{ actor: actor(world.officers.receiver), idempotencyKey: key(), complex: true }] }));
    expect(noReason.type).to.equal('INVALID_INPUT');
    const marked = await later.handle.executeUpdate(setComplexUpdate, {
      args: [{ actor: actor(world.officers.receiver), idempotencyKey: key(), complex: true, reason: 'Sổ hộ khẩu 250 trang' }],
    });
    expect(marked).to.include({ complex: true });
    expect(marked.currentStep).to.include({ budgetHours: 16 });
    expect(local(marked.currentStep!.dueAt)).to.equal('2026-12-02 09:00');
    expect(local(marked.overallDueAt)).to.equal('2026-12-02 17:00');
    expect(marked.complexChanges!.map((c) => ({ complex: c.complex, reason: c.reason, by: c.by.fullName }))).to.deep.equal([
      { complex: true, reason: 'Sổ hộ khẩu 250 trang', by: world.officers.receiver.fullName },
    ]);

    // The 14:00 breach of the 4-hour budget is gone; the 16-hour one fires on Wednesday, the overall deadline is not missed.
    await complex.advanceTo('2026-12-02 09:01');
    for (const c of [complex, later]) {
      const view = await c.view();
      expect(alarms(view.warnings).filter((a) => a.startsWith('step'))).to.deep.equal(['step receive 2026-12-01 14:00']);
      expect(alarms(view.breaches)).to.deep.equal(['step receive 2026-12-02 09:00']);
      expect(view.apologySlips).to.deep.equal([]);
    }
    // The citizen was told of the new appointment once the flag moved it (at the desk the receipt tells him).
    const told = (await later.view()).citizenNotices!;
    expect(told.map((n) => ({ about: n.about, at: local(n.newAppointmentAt), channels: n.channels.map((ch) => `${ch.channel}:${ch.status}`) }))).to.deep.equal([
      { about: 'extension', at: '2026-12-02 17:00', channels: ['sms:sent', 'portal:sent', 'email:sent'] },
    ]);
    expect((await complex.view()).citizenNotices).to.deep.equal([]);
    const sms: Array<{ body: string }> = await world.database.db.query(`select body from sms_outbox where dedupe_key like $1`, [`case:${later.caseCode}:notice:%`]);
    expect(sms.map((m) => m.body)).to.deep.equal([
      `[UBND xã Nùng Năng] UBND xã Nùng Năng gia hạn thời hạn trả kết quả hồ sơ chứng thực ${later.caseCode} đến 17:00 ngày 02/12/2026. Lý do: Hồ sơ phức tạp, số lượng lớn: Sổ hộ khẩu 250 trang.`,
    ]);
  });

  it('a complex case that needs more than two working days gets two without the written agreement, all of them with it', async () => {
    const c = await receiveCase(world, '2026-11-30 14:00', { complex: true, complexReason: 'Nhiều bản chính' });
    const v = await c.view();
    // 20 working hours from Monday 14:00 end Thursday 09:00: three days are needed, two are allowed.
    expect(local(v.overallDueAt)).to.equal('2026-12-02 17:00');
    expect(v.extensions[0]).to.include({ workingDays: 2, cause: 'complex', neededDays: 3 });

    const d = await receiveCase(world, '2026-11-30 14:00');
    const agreed = await d.handle.executeUpdate(setComplexUpdate, {
      args: [{ actor: actor(world.officers.receiver), idempotencyKey: key(), complex: true, reason: 'Nhiều bản chính', writtenAgreementRef: 'file:thoa-thuan' }],
    });
    expect(local(agreed.overallDueAt)).to.equal('2026-12-03 17:00');
    expect(agreed.extensions[0]).to.include({ workingDays: 3, cause: 'complex', writtenAgreementRef: 'file:thoa-thuan' });
    expect(agreed.extensions[0]!.neededDays).to.equal(undefined);
  });

  it('a complex case sealed after its same-day deadline but within the extension is on time', async () => {
    const { receiver, leader, sealer } = world.officers;
    const c = await receiveCase(world, '2026-11-30 09:00', { complex: true, complexReason: 'Nhiều trang' });
    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    await c.advanceTo('2026-12-01 16:00');
    await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    await c.advanceTo('2026-12-02 08:30');
    await c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key() }] });
    await c.advanceTo('2026-12-02 09:30');
    await c.handle.executeUpdate(sealUpdate, { args: [{ actor: actor(sealer), idempotencyKey: key() }] });
    const done = await c.handle.result();
    expect(done.status).to.equal('completed');
    expect(done.breaches).to.deep.equal([]);
    expect(done.steps.filter((s) => s.late)).to.deep.equal([]);
    expect(readModelOf(done).figures.onTime).to.equal(true);
    await replay(c.handle);
  });

  it('extends the overall deadline and re-arms its timers; beyond two working days only with a written agreement', async () => {
    const { receiver, leader } = world.officers;
    const c = await receiveCase(world, '2026-11-30 10:00', { documents: [{ type: 'Học bạ THPT', issuer: 'Trường THPT Tam Đường', pages: 60, copies: 5 }] });
    const v = await c.view();
    expect(local(v.overallDueAt)).to.equal('2026-11-30 17:00');
    expect(local(v.overallWarnAt)).to.equal('2026-11-30 15:30');

    const extended = await c.handle.executeUpdate(extendUpdate, {
      args: [{ actor: actor(receiver), idempotencyKey: key(), workingDays: 2, reason: 'Nhiều trang, cần đối chiếu kỹ' }],
    });
    expect(local(extended.overallDueAt)).to.equal('2026-12-02 17:00');
    expect(local(extended.overallWarnAt)).to.equal('2026-12-02 10:30');
    expect(extended.extensions).to.have.length(1);
    expect(extended.extensions[0]).to.include({ workingDays: 2, reason: 'Nhiều trang, cần đối chiếu kỹ' });
    expect(local(extended.extensions[0].previousDueAt)).to.equal('2026-11-30 17:00');

    const updatesBefore = await acceptedUpdates(c.handle);
    const refused = await failureOf(
      c.handle.executeUpdate(extendUpdate, { args: [{ actor: actor(leader), idempotencyKey: key(), workingDays: 1, reason: 'Thêm bản sao theo yêu cầu' }] }),
    );
    expect(refused.type).to.equal('EXTENSION_NEEDS_AGREEMENT');
    expect(refused.message).to.match(/^Gia hạn quá 2 ngày làm việc \(tổng cộng 3 ngày\) phải có văn bản thỏa thuận .* \/ Extending beyond 2 working days/);
    expect(await acceptedUpdates(c.handle)).to.equal(updatesBefore);
    expect(local((await c.view()).overallDueAt)).to.equal('2026-12-02 17:00');

    const agreed = await c.handle.executeUpdate(extendUpdate, {
      args: [{ actor: actor(leader), idempotencyKey: key(), workingDays: 1, reason: 'Thêm bản sao theo yêu cầu', writtenAgreementRef: 'Văn bản thỏa thuận số 01/TT ngày 30/11/2026' }],
    });
    expect(local(agreed.overallDueAt)).to.equal('2026-12-03 17:00');
    expect(local(agreed.overallWarnAt)).to.equal('2026-12-03 08:30');
    expect(agreed.extensions.map((e) => [e.workingDays, e.writtenAgreementRef])).to.deep.equal([
      [2, undefined],
      [1, 'Văn bản thỏa thuận số 01/TT ngày 30/11/2026'],
    ]);

    // Neither the original 15:30 / 17:00 nor the first extension's 10:30 / 17:00 fire.
    await c.advanceTo('2026-12-03 08:29');
    const before = await c.view();
    expect(alarms(before.warnings)).to.deep.equal(['step receive 2026-11-30 14:00']);
    expect(alarms(before.breaches)).to.deep.equal(['step receive 2026-11-30 15:00']);
    expect(before.apologySlips).to.deep.equal([]);
    await c.advanceTo('2026-12-03 17:01');
    const after = await c.view();
    expect(alarms(after.warnings)).to.deep.equal(['step receive 2026-11-30 14:00', 'overall receive 2026-12-03 08:30']);
    expect(alarms(after.breaches)).to.deep.equal(['step receive 2026-11-30 15:00', 'overall receive 2026-12-03 17:00']);
    expect(after.apologySlips.map((s) => local(s.missedDueAt))).to.deep.equal(['2026-12-03 17:00']);
    const row: Array<{ overall_due_at: Date }> = await world.database.db.query('select overall_due_at from certification_cases where case_code = $1', [c.caseCode]);
    expect(row[0].overall_due_at.toISOString()).to.equal(after.overallDueAt);
    // Timers cancelled and re-armed replay to the same decisions.
    await replay(c.handle);
  });
});
