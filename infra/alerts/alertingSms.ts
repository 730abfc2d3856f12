/** An SMS sender that alerts the subscribers of "Cổng SMS" when the gateway refuses a message. */
import type { SentSms, SmsOptions, SmsSender } from '../sms/smsSender';
import type { RaiseAlert } from './raiseAlert';

export function alertingSmsSender(inner: SmsSender, raise: RaiseAlert): SmsSender {
  return {
    provider: inner.provider,
    async send(toPhone: string, body: string, purpose: string, options?: SmsOptions): Promise<SentSms> {
      try {
        return await inner.send(toPhone, body, purpose, options);
      } catch (err) {
        // One failure key for the gateway: its outage is one alert an hour, however many messages fail.
        await raise({
          kind: 'sms-gateway',
          failureKey: 'sms-gateway',
          title: 'Cổng SMS không nhận tin nhắn',
          detail: `Tin nhắn "${purpose}" không gửi được: ${err instanceof Error ? err.message : String(err)}`,
          link: '/#/alerts',
        }).catch(() => undefined);
        throw err;
      }
    },
  };
}
