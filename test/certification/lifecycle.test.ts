/**
 * The certification workflow from reception to delivery, on a real worker with the real
 * activities and PostgreSQL: the happy path with its certification number, idempotent replays,
 * the leader's return and a re-submission, refusal on a legal ground, withdrawal.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../../activities/certification/files';
import { REFUSAL_GROUNDS } from '../../domain/certification/refusalGrounds';
import {
  attachScanUpdate,
  refuseUpdate,
  returnToOfficerUpdate,
  sealUpdate,
  signUpdate,
  submitUpdate,
  withdrawUpdate,
} from '../../workflows/certification/messages';
import type { CaseView } from '../../workflows/certification/types';
import { requireTimeSkipping } from '../engine/harness';
import { pdfText } from '../support/pdfTools';
import { acceptedUpdates, actor, failureOf, key, local, receiveCase, replay, startWorld, upload, type World } from './world';

describe('certification workflow: the life of a case', function () {
  this.timeout(120_000);
  let world: World;

  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());

  it('receives at 14:59, is signed, numbered, sealed and delivered the same day; replays answer the first result', async () => {
    const { receiver, leader, sealer } = world.officers;
    const c = await receiveCase(world, '2026-11-30 14:59');
    const first = await c.view();
    expect(first).to.include({ status: 'receiving', step: 'receive', complex: false });
    expect(local(first.receivedAt)).to.equal('2026-11-30 14:59');
    expect(local(first.overallDueAt)).to.equal('2026-11-30 17:00');
    expect(first.fee).to.deep.include({ totalVnd: 10_000 }); // 3 pages: 2,000 × 2 + 1,000 = 5,000 per copy, 2 copies

    const scan = await upload(world);
    const attached = await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan }] });
    expect(attached.scan).to.include({ fileId: scan.fileId, sha256: scan.sha256, mimeType: 'application/pdf', broughtByCitizen: false });
    expect(readFileSync(path.join(world.filesDir, attached.scan!.path)).toString('latin1')).to.match(/^%PDF-/);

    const submitKey = key();
    const submitted = await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: submitKey }] });
    expect(submitted).to.include({ status: 'signing', step: 'sign' });
    const again = await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: submitKey }] });
    expect(again).to.deep.equal(submitted);
    expect((await c.view()).steps.filter((s) => s.step === 'sign')).to.have.length(1);

    const signed = await c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key() }] });
    expect(signed).to.include({ status: 'sealing', step: 'seal' });
    expect(signed.signature).to.deep.include({ signedBy: { officerId: leader.id, fullName: leader.fullName } });

    // A double click on "seal": the second call waits for the first and gets its answer.
    const seal = () => c.handle.executeUpdate(sealUpdate, { args: [{ actor: actor(sealer), idempotencyKey: sealKey }] });
    const sealKey = key();
    const [sealed, resealed] = await Promise.all([seal(), seal()]);
    expect(sealed.certificationNumber).to.equal('1/2026-SCTĐT/BS');
    expect(sealed.status).to.equal('delivering');
    expect(resealed).to.deep.equal(sealed);

    const done: CaseView = await c.handle.result();
    expect(done).to.include({ status: 'completed', step: null, certificationNumber: '1/2026-SCTĐT/BS' });
    expect(done.steps.map((s) => [s.step, s.outcome, s.by?.officerId])).to.deep.equal([
      ['receive', 'submitted', receiver.id],
      ['sign', 'signed', leader.id],
      ['seal', 'sealed', sealer.id],
      ['deliver', 'delivered', undefined],
    ]);
    expect(done.steps.slice(0, 3).every((s) => s.late === false)).to.equal(true);
    expect(done.warnings).to.deep.equal([]);
    expect(done.breaches).to.deep.equal([]);
    expect(done.result).to.include({ certificationNumber: '1/2026-SCTĐT/BS', book: 'SCTĐT/BS', mimeType: 'application/pdf' });
    const copy = readFileSync(path.join(world.filesDir, done.result!.path));
    expect(sha256(copy)).to.equal(done.result!.sha256);
    expect(copy.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(done.delivery!.channels.map((ch) => [ch.channel, ch.status])).to.deep.equal([
      ['officer_account', 'delivered'],
      ['leader_account', 'delivered'],
      ['portal', 'delivered'],
      ['email', 'delivered'],
    ]);

    const db = world.database.db;
    const numbers: Array<{ number: string; assigned_by: string }> = await db.query('select number, assigned_by from certification_numbers where case_code = $1', [c.caseCode]);
    expect(numbers).to.deep.equal([{ number: '1/2026-SCTĐT/BS', assigned_by: sealer.id }]);
    const rows: Array<{ status: string; step: string | null; certification_number: string; version: number; closed_at: Date | null }> = await db.query(
      'select status, step, certification_number, version, closed_at from certification_cases where case_code = $1',
      [c.caseCode],
    );
    expect(rows[0]).to.include({ status: 'completed', step: null, certification_number: '1/2026-SCTĐT/BS', version: done.version });
    expect(rows[0].closed_at).to.be.instanceOf(Date);
    const events: Array<{ seq: number; kind: string }> = await db.query('select seq, kind from certification_case_events where case_code = $1 order by seq', [c.caseCode]);
    expect(events.map((e) => e.kind)).to.deep.equal(['received', 'scan.attached', 'submitted', 'signed', 'sealed', 'delivered', 'delivery.email_sent', 'completed']);
    expect(events.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    // The scan check, signing and sealing ran inside their workflow tasks, and delivery sent the e-mail itself.
    const history = await c.handle.fetchHistory();
    expect(history.events!.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name] : []))).to.deep.equal(['deliverResult']);
    await replay(c.handle);
  });

  it('goes back to the officer when the leader returns it, with a new step-2 budget, and on again after re-submission', async function () {
    await requireTimeSkipping(this);
    const { receiver, leader } = world.officers;
    const c = await receiveCase(world, '2026-12-01 08:30');
    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    const submitted = await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    expect(local(submitted.currentStep!.warnAt)).to.equal('2026-12-01 10:00');
    expect(local(submitted.currentStep!.dueAt)).to.equal('2026-12-01 10:30');

    await c.advanceTo('2026-12-01 09:10');
    const returned = await c.handle.executeUpdate(returnToOfficerUpdate, {
      args: [{ actor: actor(leader), idempotencyKey: key(), reason: 'Bản quét thiếu trang 2, đề nghị quét lại' }],
    });
    expect(returned).to.include({ status: 'receiving', step: 'receive' });
    expect(returned.currentStep).to.include({ step: 'receive', budgetHours: 4, right: 'CERT_CREATE' });
    expect(local(returned.currentStep!.startedAt)).to.equal('2026-12-01 09:10');
    // Three working hours from 09:10 run into the lunch break: 13:10; four: 14:10.
    expect(local(returned.currentStep!.warnAt)).to.equal('2026-12-01 13:10');
    expect(local(returned.currentStep!.dueAt)).to.equal('2026-12-01 14:10');

    // The sign step's timers (10:00, 10:30) went with it.
    await c.advanceTo('2026-12-01 10:31');
    expect((await c.view()).warnings).to.deep.equal([]);
    expect((await c.view()).breaches).to.deep.equal([]);

    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    const resubmitted = await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    expect(resubmitted.currentStep).to.include({ step: 'sign', budgetHours: 2 });
    expect(local(resubmitted.currentStep!.warnAt)).to.equal('2026-12-01 13:01');
    expect(local(resubmitted.currentStep!.dueAt)).to.equal('2026-12-01 13:31');
    expect(resubmitted.steps.map((s) => [s.step, s.outcome ?? 'open', s.reason])).to.deep.equal([
      ['receive', 'submitted', undefined],
      ['sign', 'returned', 'Bản quét thiếu trang 2, đề nghị quét lại'],
      ['receive', 'submitted', undefined],
      ['sign', 'open', undefined],
    ]);

    await c.advanceTo('2026-12-01 13:02');
    const warned = await c.view();
    expect(warned.warnings.map((w) => [w.scope, w.step, local(w.at)])).to.deep.equal([['step', 'sign', '2026-12-01 13:01']]);
    expect(warned.warnings[0].notified.map((o) => o.officerId)).to.deep.equal([leader.id]);
    await replay(c.handle);
  });

  it('refuses an original on a legal ground: the case closes, the citizen gets a notice', async () => {
    const { receiver } = world.officers;
    const c = await receiveCase(world, '2026-12-01 09:15');
    const bad = await failureOf(c.handle.executeUpdate(refuseUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), ground: 'UGLY' as never, note: 'Không rõ lý do' }] }));
    expect(bad.type).to.equal('INVALID_INPUT');
    const refused = await c.handle.executeUpdate(refuseUpdate, {
      args: [{ actor: actor(receiver), idempotencyKey: key(), ground: 'ALTERED', note: 'Trang 1 bị tẩy xóa ở phần ngày cấp' }],
    });
    expect(refused).to.include({ status: 'refused', step: null });
    expect(refused.refusal).to.deep.include({ ground: 'ALTERED', groundText: REFUSAL_GROUNDS.ALTERED, note: 'Trang 1 bị tẩy xóa ở phần ngày cấp' });
    const done = await c.handle.result();
    expect(done.steps.map((s) => [s.step, s.outcome])).to.deep.equal([['receive', 'refused']]);
    const notice = pdfText(path.join(world.filesDir, done.refusal!.noticePath!), undefined, false).replace(/\s+/g, ' ');
    expect(notice).to.include(REFUSAL_GROUNDS.ALTERED).and.include('Giàng A Páo');
    const sms: Array<{ body: string }> = await world.database.db.query(`select body from sms_outbox where to_phone = '0987654321' and purpose = 'case_refused' and body like $1`, [`%${c.caseCode}%`]);
    expect(sms).to.have.length(1);
    const row: Array<{ status: string }> = await world.database.db.query('select status from certification_cases where case_code = $1', [c.caseCode]);
    expect(row[0].status).to.equal('refused');
  });

  it('lets the citizen withdraw before the seal, and nothing can be done afterwards', async () => {
    const { receiver, leader } = world.officers;
    const c = await receiveCase(world, '2026-12-01 09:20');
    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    const withdrawn = await c.handle.executeUpdate(withdrawUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), reason: 'Công dân không cần bản sao nữa' }] });
    expect(withdrawn).to.include({ status: 'withdrawn', step: null });
    expect(withdrawn.withdrawal).to.deep.include({ reason: 'Công dân không cần bản sao nữa', by: { officerId: receiver.id, fullName: receiver.fullName } });
    const done = await c.handle.result();
    expect(done.steps.map((s) => [s.step, s.outcome])).to.deep.equal([
      ['receive', 'submitted'],
      ['sign', 'withdrawn'],
    ]);
    const late = await c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key() }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(late, 'a closed case takes no more actions').to.be.instanceOf(Error);
    expect(await acceptedUpdates(c.handle)).to.equal(3);
  });
});
