/**
 * The alert machinery of one process (API or worker): the raiser (installed as the process's
 * hook), the dispatcher that sends queued messages, and the SMS sender wrapped so a gateway
 * failure is alerted. ALERTS_PER_HOUR (default 5) is the per-address limit before the summary.
 */
import type { DataSource } from 'typeorm';
import { DEFAULT_ALERTS_PER_HOUR } from '../../domain/alerts';
import type { MailOutbox } from '../mail/mailOutbox';
import type { SmsSender } from '../sms/smsSender';
import { AlertDispatcher } from './alertDispatcher';
import { installAlertRaiser } from './alertHook';
import { alertingSmsSender } from './alertingSms';
import { createAlertRaiser, type RaiseAlert } from './raiseAlert';

export interface AlertServices {
  raise: RaiseAlert;
  dispatcher: AlertDispatcher;
  /** The process's SMS sender, alerting on gateway failures. */
  sms: SmsSender;
}

export function alertServices(deps: { db: DataSource; sms: SmsSender; mail?: MailOutbox; now: () => Date; baseUrl: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): AlertServices {
  const perHourText = (deps.env ?? process.env).ALERTS_PER_HOUR;
  const perHour = perHourText ? Number(perHourText) : DEFAULT_ALERTS_PER_HOUR;
  if (!Number.isInteger(perHour) || perHour < 1) throw new Error(`ALERTS_PER_HOUR must be a positive integer, got ${perHourText}`);
  let dispatcher: AlertDispatcher | undefined;
  const raise = createAlertRaiser(deps.db, { now: deps.now, baseUrl: deps.baseUrl, perHour, onQueued: () => void dispatcher?.runOnce().catch(() => undefined) });
  // The dispatcher sends with the plain sender: its own SMS failures are alerted by it, once.
  dispatcher = new AlertDispatcher({ db: deps.db, sms: deps.sms, ...(deps.mail ? { mail: deps.mail } : {}), now: deps.now, baseUrl: deps.baseUrl, raise, ...(deps.log ? { log: deps.log } : {}) });
  installAlertRaiser(raise);
  return { raise, dispatcher, sms: alertingSmsSender(deps.sms, raise) };
}
