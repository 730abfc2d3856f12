/** What the alert tests share: a test API with the alert machinery on its clock, a mail server to stop and start, an SMS gateway to break. */
import { startLocalSmtpServer, type LocalSmtpServer } from '../../infra/mail/localSmtpServer';
import { getMessage, listMessages } from '../../infra/mail/mailbox';
import { MailOutbox } from '../../infra/mail/mailOutbox';
import { createMailTransport, localMailSettings } from '../../infra/mail/mailTransport';
import { AlertDispatcher } from '../../infra/alerts/alertDispatcher';
import { createAlertRaiser, type RaiseAlert } from '../../infra/alerts/raiseAlert';
import type { SentSms, SmsOptions, SmsSender } from '../../infra/sms/smsSender';
import type { DataSource } from 'typeorm';
import { createTestOfficer, http, sessionFor, type TestApp } from '../support/identityApp';

export const ALERT_BASE_URL = 'http://motcua.test';

/** The app's SMS sender with a switch that makes the gateway refuse. */
export function breakableSms(inner: SmsSender): SmsSender & { down: boolean } {
  const s = {
    provider: inner.provider,
    down: false,
    async send(to: string, body: string, purpose: string, options?: SmsOptions): Promise<SentSms> {
      if (s.down) throw new Error('SMS gateway http://sms.test did not accept the message: HTTP 503');
      return inner.send(to, body, purpose, options);
    },
  };
  return s;
}

export interface AlertRig {
  raise: RaiseAlert;
  dispatcher: AlertDispatcher;
  sms: ReturnType<typeof breakableSms>;
  smtp: { port: number; stop(): Promise<void>; start(): Promise<void> };
  close(): Promise<void>;
}

/** Raiser and dispatcher on the app's clock; mail through a real embedded SMTP server that can be stopped. */
export async function alertRig(app: TestApp, perHour = 5): Promise<AlertRig> {
  const db = app.ctx.db;
  let server: LocalSmtpServer | undefined = await startLocalSmtpServer(db, { port: 0 });
  const port = server.port;
  const transport = createMailTransport(localMailSettings(port));
  const mail = new MailOutbox(db, transport, { from: localMailSettings(port).from, now: () => app.clock.now().getTime() });
  const sms = breakableSms(app.ctx.sms);
  const now = () => app.clock.now();
  const raise = createAlertRaiser(db, { now, baseUrl: ALERT_BASE_URL, perHour });
  const dispatcher = new AlertDispatcher({ db, sms, mail, now, baseUrl: ALERT_BASE_URL, raise });
  app.ctx.alertDispatcher = dispatcher;
  return {
    raise,
    dispatcher,
    sms,
    smtp: {
      port,
      stop: async () => {
        await server?.close();
        server = undefined;
      },
      start: async () => {
        server ??= await startLocalSmtpServer(db, { port });
      },
    },
    close: async () => {
      transport.close();
      await server?.close();
    },
  };
}

/** A USER_ADMIN of the province and his session. */
export async function provinceAdmin(app: TestApp, username = 'qt.tinh'): Promise<{ id: string; token: string }> {
  const id = await createTestOfficer(app.ctx.db, { username, fullName: 'Quản trị Tỉnh', unitIds: [app.org.province], rights: ['USER_ADMIN'] });
  return { id, token: await sessionFor(app, id) };
}

/** The 6-digit code in the newest SMS to `phone`. */
export async function smsCode(db: DataSource, phone: string): Promise<string> {
  const rows: Array<{ body: string }> = await db.query(`select body from sms_outbox where to_phone = $1 and purpose = 'alert-confirm' order by seq desc limit 1`, [phone]);
  const m = /\b(\d{6})\b/.exec(rows[0]?.body ?? '');
  if (!m) throw new Error(`no code was sent to ${phone}`);
  return m[1];
}

/** The 6-digit code in the newest e-mail to `address` in the embedded mailbox. */
export async function mailCode(db: DataSource, address: string): Promise<string> {
  const { items } = await listMessages(db, { to: address, subject: 'Mã xác nhận' });
  const message = items[0] && (await getMessage(db, items[0].id));
  const m = /Mã xác nhận: (\d{6})/.exec(message?.text ?? '');
  if (!m) throw new Error(`no code was mailed to ${address}`);
  return m[1];
}

/** Registers and confirms every address of a subscription through the API; returns its id. */
export async function confirmedSubscription(app: TestApp, rig: AlertRig, token: string, input: { unitId: string; serviceType: string; phones: string[]; emails: string[] }): Promise<string> {
  const created = await http(app, 'POST', '/api/alert-subscriptions', { token, body: input });
  if (created.status !== 201) throw new Error(`subscription: ${created.status} ${JSON.stringify(created.body)}`);
  await rig.dispatcher.runOnce();
  for (const a of created.body.addresses as Array<{ id: string; channel: string; address: string }>) {
    const code = a.channel === 'sms' ? await smsCode(app.ctx.db, a.address) : await mailCode(app.ctx.db, a.address);
    const res = await http(app, 'POST', `/api/alert-subscriptions/${created.body.id}/addresses/${a.id}/confirm`, { token, body: { code } });
    if (res.status !== 200) throw new Error(`confirm ${a.address}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return created.body.id as string;
}
