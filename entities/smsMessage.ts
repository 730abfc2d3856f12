import { EntitySchema } from 'typeorm';

/** Every SMS the system sends or would send; the local provider only stores it here. */
export interface SmsMessage {
  id: string;
  toPhone: string;
  body: string;
  purpose: string;
  provider: string;
  status: 'stored' | 'sent' | 'failed';
  providerRef: string | null;
  createdAt: Date;
}

export const SmsMessageEntity = new EntitySchema<SmsMessage>({
  name: 'SmsMessage',
  tableName: 'sms_outbox',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    toPhone: { type: 'text', name: 'to_phone' },
    body: { type: 'text' },
    purpose: { type: 'text' },
    provider: { type: 'text' },
    status: { type: 'text' },
    providerRef: { type: 'text', name: 'provider_ref', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});
