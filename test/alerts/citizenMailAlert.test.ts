/**
 * One real failure end to end: the mail server is stopped while a certified copy is being e-mailed
 * to the citizen; the workflow retries for about a day (engine time skipped), the last attempt
 * raises one alert, and the province's subscriber gets one SMS at once and one e-mail that waits
 * in the mail outbox until the server is started again — then goes once.
 */
import { expect } from 'chai';
import { listMessages } from '../../infra/mail/mailbox';
import { AlertDispatcher } from '../../infra/alerts/alertDispatcher';
import { createAlertRaiser, type RaiseAlert } from '../../infra/alerts/raiseAlert';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import { attachScanUpdate, sealUpdate, signUpdate, submitUpdate } from '../../workflows/certification/messages';
import type { CaseView } from '../../workflows/certification/types';
import { requireTimeSkipping } from '../engine/harness';
import { actor, key, receiveCase, startWorld, upload, type World } from '../certification/world';

describe('error alert: a citizen e-mail that finally failed while the mail server was stopped', function () {
  this.timeout(240_000);
  let world: World;
  let raise: RaiseAlert | undefined;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  before(async () => {
    world = await startWorld({ alerts: (input) => raise!(input) });
    raise = createAlertRaiser(world.database.db, { now, baseUrl: 'http://motcua.test' });
  });
  after(async () => world?.close());

  it('sends one alert SMS at once and one alert e-mail, kept in the outbox until SMTP is back', async function () {
    await requireTimeSkipping(this);
    const db = world.database.db;
    const sub: Array<{ id: string }> = await db.query(
      `insert into alert_subscriptions (unit_id, service_type, status, created_at, updated_at) values ($1, 'citizen-mail', 'active', now(), now()) returning id`,
      [world.org.province],
    );
    await db.query(
      `insert into alert_addresses (subscription_id, channel, address, confirmed_at) values ($1, 'sms', '0912345678', now()), ($1, 'email', 'canhbao@laichau.gov.vn', now())`,
      [sub[0].id],
    );
    const dispatcher = new AlertDispatcher({ db, sms: new LocalSmsSender(db, now), mail: world.services.mail, now, baseUrl: 'http://motcua.test' });

    await world.services.stopSmtp();
    const { receiver, leader, sealer } = world.officers;
    const c = await receiveCase(world, '2026-11-30 09:00');
    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    await c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key() }] });
    await c.handle.executeUpdate(sealUpdate, { args: [{ actor: actor(sealer), idempotencyKey: key() }] });
    const done: CaseView = await c.handle.result();
    expect(done.delivery!.channels.find((ch) => ch.channel === 'email')!.status).to.equal('failed');

    const alerts: Array<{ id: string; failure_key: string; title: string; link: string }> = await db.query(`select id, failure_key, title, link from alerts`);
    expect(alerts.map((a) => a.failure_key)).to.deep.equal([`citizen-mail:${c.caseCode}`]);
    expect(alerts[0].link).to.equal(`/#/cases/${c.caseCode}`);

    await dispatcher.runOnce();
    const sms: Array<{ body: string }> = await db.query(`select body from sms_outbox where to_phone = '0912345678' and purpose = 'alert'`);
    expect(sms).to.have.length(1);
    expect(sms[0].body).to.include(c.caseCode).and.include('UBND xã Nùng Năng').and.include(`http://motcua.test/#/cases/${c.caseCode}`);
    const waiting: Array<{ status: string; last_error: string }> = await db.query(`select status, last_error from mail_outbox where to_address = 'canhbao@laichau.gov.vn'`);
    expect(waiting).to.have.length(1);
    expect(waiting[0].status).to.equal('failed');
    expect(waiting[0].last_error).to.include('ECONNREFUSED');

    await world.services.startSmtp();
    offsetMs += 60_000;
    await dispatcher.runOnce();
    offsetMs += 60 * 60_000;
    await dispatcher.runOnce();
    const inbox = await listMessages(db, { to: 'canhbao@laichau.gov.vn' });
    expect(inbox.total).to.equal(1);
    expect(inbox.items[0].subject).to.include('[Cảnh báo lỗi]').and.include(c.caseCode);
    const statuses: Array<{ channel: string; status: string }> = await db.query(`select channel, status from alert_deliveries order by channel`);
    expect(statuses).to.deep.equal([
      { channel: 'email', status: 'sent' },
      { channel: 'sms', status: 'sent' },
    ]);
    expect((await db.query(`select count(*)::int as n from sms_outbox where purpose = 'alert'`))[0].n).to.equal(1);
  });
});
