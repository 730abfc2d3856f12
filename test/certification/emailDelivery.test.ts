/**
 * The citizen's e-mail when the mail server is down (seed 000 step 4: the copy is e-mailed): the
 * workflow retries with backoff on the workflow clock, each failed attempt is recorded and shown,
 * and the e-mail is sent once when the server comes back — or, when it never does, the case says
 * so instead of losing it.
 */
import { expect } from 'chai';
import { caseExtras } from '../../api/cases/caseExtras';
import type { AppContext } from '../../api/context';
import { listMessages } from '../../infra/mail/mailbox';
import { attachScanUpdate, sealUpdate, signUpdate, submitUpdate } from '../../workflows/certification/messages';
import type { CaseView } from '../../workflows/certification/types';
import { requireTimeSkipping } from '../engine/harness';
import { actor, key, receiveCase, startWorld, upload, type TestCase, type World } from './world';

async function sealed(world: World, receivedAt: string): Promise<TestCase> {
  const { receiver, leader, sealer } = world.officers;
  const c = await receiveCase(world, receivedAt);
  await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
  await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
  await c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key() }] });
  await c.handle.executeUpdate(sealUpdate, { args: [{ actor: actor(sealer), idempotencyKey: key() }] });
  return c;
}

/** A sealed case run to its end: completed, its e-mail channel failed naming the address and `reason`. */
async function completedWithEmailFailed(world: World, reason: string): Promise<{ c: TestCase; done: CaseView }> {
  const c = await sealed(world, '2026-11-30 09:00');
  const done: CaseView = await c.handle.result();
  expect(done.status).to.equal('completed');
  const email = done.delivery!.channels.find((ch) => ch.channel === 'email')!;
  expect(email.status).to.equal('failed');
  expect(email.detail).to.include('pao@example.vn').and.include(reason);
  return { c, done };
}

async function emailProgress(world: World, view: CaseView) {
  return (await caseExtras({ db: world.database.db } as AppContext, view)).email;
}

describe('certification workflow: e-mail to the citizen while the mail server is down', function () {
  this.timeout(180_000);

  describe('a server that refuses the first two attempts', () => {
    let world: World;
    before(async () => {
      world = await startWorld({ failFirstSends: 2 });
    });
    after(async () => world?.close());

    it('keeps the case delivering with the error shown, then sends the e-mail once and completes', async function () {
      await requireTimeSkipping(this);
      const c = await sealed(world, '2026-11-30 09:00');
      // The first attempt's outcome, not the attempt in flight (the outbox shows 'sending' meanwhile).
      let progress;
      for (let i = 0; i < 100 && (!progress || progress.status === 'sending'); i++) {
        progress = await emailProgress(world, await c.view());
        if (!progress || progress.status === 'sending') await new Promise((r) => setTimeout(r, 100));
      }
      const waiting = await c.view();
      expect(waiting.status).to.equal('delivering');
      expect(waiting.delivery!.channels.find((ch) => ch.channel === 'email')).to.include({ status: 'queued', detail: 'pao@example.vn' });
      expect(progress).to.include({ status: 'failed', attempts: 1 });
      expect(progress!.lastError).to.include('ECONNREFUSED');

      const done: CaseView = await c.handle.result();
      expect(done.status).to.equal('completed');
      expect(done.delivery!.channels.find((ch) => ch.channel === 'email')).to.include({ status: 'delivered' });
      expect(await emailProgress(world, done)).to.include({ status: 'sent', attempts: 3 });
      expect((await listMessages(world.database.db, { to: 'pao@example.vn' })).total).to.equal(1);
    });
  });

  describe('a server that never comes back', () => {
    let world: World;
    before(async () => {
      world = await startWorld({ failFirstSends: 1_000 });
    });
    after(async () => world?.close());

    it('completes the case with the e-mail marked failed and the last error, after about a day of attempts', async function () {
      await requireTimeSkipping(this);
      const { c, done } = await completedWithEmailFailed(world, 'ECONNREFUSED');
      expect(await emailProgress(world, done)).to.include({ status: 'failed', attempts: 30 });
      const hours = (Date.parse(done.closedAt!) - Date.parse(done.delivery!.at)) / 3_600_000;
      expect(hours).to.be.greaterThan(20).and.lessThan(30);
      const events: Array<{ kind: string }> = await world.database.db.query('select kind from certification_case_events where case_code = $1 order by seq', [c.caseCode]);
      expect(events.map((e) => e.kind)).to.include('delivery.email_failed');
      expect((await listMessages(world.database.db, { to: 'pao@example.vn' })).total).to.equal(0);
    });
  });
  describe('a server that refuses the message for good (an unknown mailbox)', () => {
    let world: World;
    const alerts: Array<{ kind: string; failureKey: string }> = [];
    before(async () => {
      world = await startWorld({ refuseForGood: true, alerts: async (a) => {
          alerts.push({ kind: a.kind, failureKey: a.failureKey });
          return { alertId: 'test', deduplicated: false, queued: 0, held: 0 };
        },
      });
    });
    after(async () => world?.close());

    it('completes at once with the e-mail marked failed, asks no second time and raises the alert', async () => {
      const { c, done } = await completedWithEmailFailed(world, '550');
      expect(await emailProgress(world, done)).to.include({ status: 'failed', attempts: 1 });
      // Delivery made the only attempt: no activity of the e-mail's own.
      const history = await c.handle.fetchHistory();
      expect(history.events!.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name] : []))).to.deep.equal(['deliverResult']);
      expect(alerts).to.deep.equal([{ kind: 'citizen-mail', failureKey: `citizen-mail:${c.caseCode}` }]);
    });
  });
});
