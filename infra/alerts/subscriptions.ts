/**
 * Subscriptions to error alerts: a province's (or the national root's) registration of phones and
 * e-mails for one service type. Every address gets a 6-digit code (SMS or e-mail, through the
 * alert deliveries, so a gateway that is down delays it rather than losing it) and receives
 * alerts only once the code is typed back. Codes are kept as hashes, valid 30 minutes, 5 tries.
 */
import { createHash, randomInt } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AlertServiceType } from '../../domain/alerts';

export const CODE_TTL_MS = 30 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
/** Shortest wait between two codes for one address. */
export const CODE_RESEND_MS = 60_000;

export interface AddressView {
  id: string;
  channel: 'sms' | 'email';
  address: string;
  confirmed: boolean;
  confirmedAt: string | null;
  codeSentAt: string | null;
}

export interface SubscriptionView {
  id: string;
  unit: { id: string; code: string; name: string };
  serviceType: AlertServiceType;
  status: 'active' | 'paused' | 'removed';
  addresses: AddressView[];
  createdAt: string;
  createdBy: string | null;
}

function codeHash(addressId: string, code: string): string {
  return createHash('sha256').update(`${addressId}:${code}`).digest('hex');
}

/** Stores a fresh code for the address and queues the message that carries it. */
async function sendCode(m: EntityManager, address: { id: string; channel: 'sms' | 'email'; address: string }, unitName: string, serviceLabel: string, at: Date): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await m.query(`update alert_addresses set code_hash = $2, code_expires_at = $3, code_attempts = 0, code_sent_at = $4 where id = $1`, [
    address.id,
    codeHash(address.id, code),
    new Date(at.getTime() + CODE_TTL_MS),
    at,
  ]);
  const text =
    address.channel === 'sms'
      ? `Mã xác nhận đăng ký nhận cảnh báo lỗi: ${code} (${serviceLabel}, ${unitName}). Hiệu lực 30 phút.`
      : [
          `Địa chỉ thư này được đăng ký nhận cảnh báo lỗi "${serviceLabel}" của ${unitName}.`,
          '',
          `Mã xác nhận: ${code}`,
          '',
          'Nhập mã này tại màn hình "Đăng ký nhận cảnh báo lỗi" trong 30 phút. Nếu Ông/Bà không đăng ký, vui lòng bỏ qua thư này.',
        ].join('\n');
  await m.query(
    `insert into alert_deliveries (address_id, purpose, channel, address, subject, body, status, next_attempt_at, created_at)
     values ($1, 'confirm', $2, $3, 'Mã xác nhận nhận cảnh báo lỗi', $4, 'pending', $5, $5)`,
    [address.id, address.channel, address.address, text, at],
  );
}

export async function createSubscription(
  db: DataSource,
  input: { unit: { id: string; name: string }; serviceType: AlertServiceType; serviceLabel: string; phones: string[]; emails: string[]; by: string; at: Date },
): Promise<string> {
  return db.transaction(async (m) => {
    const rows: Array<{ id: string }> = await m.query(
      `insert into alert_subscriptions (unit_id, service_type, status, created_by, created_at, updated_at) values ($1, $2, 'active', $3, $4, $4) returning id`,
      [input.unit.id, input.serviceType, input.by, input.at],
    );
    const id = rows[0].id;
    const addresses: Array<{ channel: 'sms' | 'email'; address: string }> = [
      ...[...new Set(input.phones)].map((address) => ({ channel: 'sms' as const, address })),
      ...[...new Set(input.emails)].map((address) => ({ channel: 'email' as const, address })),
    ];
    for (const a of addresses) {
      const added: Array<{ id: string }> = await m.query(`insert into alert_addresses (subscription_id, channel, address) values ($1, $2, $3) returning id`, [id, a.channel, a.address]);
      await sendCode(m, { id: added[0].id, ...a }, input.unit.name, input.serviceLabel, input.at);
    }
    return id;
  });
}

export type ConfirmOutcome = 'confirmed' | 'already_confirmed' | 'wrong' | 'expired' | 'exhausted';

export async function confirmAddress(db: DataSource, subscriptionId: string, addressId: string, code: string, at: Date): Promise<ConfirmOutcome | undefined> {
  return db.transaction(async (m) => {
    const rows: Array<{ code_hash: string | null; code_expires_at: Date | null; code_attempts: number; confirmed_at: Date | null }> = await m.query(
      `select code_hash, code_expires_at, code_attempts, confirmed_at from alert_addresses where id = $1 and subscription_id = $2 for update`,
      [addressId, subscriptionId],
    );
    const a = rows[0];
    if (!a) return undefined;
    if (a.confirmed_at) return 'already_confirmed';
    if (!a.code_hash || a.code_attempts >= CODE_MAX_ATTEMPTS) return 'exhausted';
    if (!a.code_expires_at || a.code_expires_at.getTime() <= at.getTime()) return 'expired';
    if (codeHash(addressId, code) !== a.code_hash) {
      await m.query('update alert_addresses set code_attempts = code_attempts + 1 where id = $1', [addressId]);
      return a.code_attempts + 1 >= CODE_MAX_ATTEMPTS ? 'exhausted' : 'wrong';
    }
    await m.query('update alert_addresses set confirmed_at = $2, code_hash = null, code_expires_at = null where id = $1', [addressId, at]);
    return 'confirmed';
  });
}

/** A new code for an unconfirmed address; 'too_soon' within a minute of the last one. */
export async function resendCode(db: DataSource, subscriptionId: string, addressId: string, serviceLabel: (t: AlertServiceType) => string, at: Date): Promise<'sent' | 'too_soon' | 'already_confirmed' | undefined> {
  return db.transaction(async (m) => {
    const rows: Array<{ id: string; channel: 'sms' | 'email'; address: string; confirmed_at: Date | null; code_sent_at: Date | null; service_type: AlertServiceType; unit_name: string }> = await m.query(
      `select a.id, a.channel, a.address, a.confirmed_at, a.code_sent_at, s.service_type, u.name as unit_name
         from alert_addresses a join alert_subscriptions s on s.id = a.subscription_id join units u on u.id = s.unit_id
        where a.id = $1 and a.subscription_id = $2 and s.status <> 'removed' for update of a`,
      [addressId, subscriptionId],
    );
    const a = rows[0];
    if (!a) return undefined;
    if (a.confirmed_at) return 'already_confirmed';
    if (a.code_sent_at && at.getTime() - a.code_sent_at.getTime() < CODE_RESEND_MS) return 'too_soon';
    await sendCode(m, a, a.unit_name, serviceLabel(a.service_type), at);
    return 'sent';
  });
}

export async function setSubscriptionStatus(db: DataSource, id: string, status: 'active' | 'paused' | 'removed', at: Date): Promise<void> {
  await db.query(`update alert_subscriptions set status = $2, updated_at = $3 where id = $1`, [id, status, at]);
}

export async function subscriptionUnit(db: DataSource, id: string): Promise<{ unitId: string; status: string } | undefined> {
  const rows: Array<{ unit_id: string; status: string }> = await db.query(`select unit_id, status from alert_subscriptions where id = $1`, [id]);
  return rows[0] && { unitId: rows[0].unit_id, status: rows[0].status };
}

/** Subscriptions of the given units (not removed), newest first. */
export async function listSubscriptions(db: DataSource, unitIds: readonly string[]): Promise<SubscriptionView[]> {
  const subs: Array<{ id: string; unit_id: string; code: string; name: string; service_type: AlertServiceType; status: SubscriptionView['status']; created_at: Date; created_by: string | null }> =
    await db.query(
      `select s.id, s.unit_id, u.code, u.name, s.service_type, s.status, s.created_at, o.full_name as created_by
         from alert_subscriptions s join units u on u.id = s.unit_id left join officers o on o.id = s.created_by
        where s.unit_id = any($1::uuid[]) and s.status <> 'removed' order by s.created_at desc, s.id`,
      [[...unitIds]],
    );
  const addresses: Array<{ id: string; subscription_id: string; channel: 'sms' | 'email'; address: string; confirmed_at: Date | null; code_sent_at: Date | null }> = await db.query(
    `select id, subscription_id, channel, address, confirmed_at, code_sent_at from alert_addresses where subscription_id = any($1::uuid[]) order by channel desc, address`,
    [subs.map((s) => s.id)],
  );
  return subs.map((s) => ({
    id: s.id,
    unit: { id: s.unit_id, code: s.code, name: s.name },
    serviceType: s.service_type,
    status: s.status,
    createdAt: s.created_at.toISOString(),
    createdBy: s.created_by,
    addresses: addresses
      .filter((a) => a.subscription_id === s.id)
      .map((a) => ({ id: a.id, channel: a.channel, address: a.address, confirmed: a.confirmed_at !== null, confirmedAt: a.confirmed_at?.toISOString() ?? null, codeSentAt: a.code_sent_at?.toISOString() ?? null })),
  }));
}

export interface AlertView {
  id: string;
  kind: AlertServiceType;
  failureKey: string;
  unit: { id: string; name: string } | null;
  title: string;
  detail: string;
  since: string;
  link: string | null;
  raisedAt: string;
  lastSeenAt: string;
  repeats: number;
  deliveries: Array<{ channel: 'sms' | 'email'; address: string; status: 'pending' | 'sent' | 'held' | 'failed'; attempts: number; lastError: string | null; sentAt: string | null }>;
}

/** Alerts of units in `scope`, and the system-wide ones when `systemWide`, newest first. */
export async function listAlerts(db: DataSource, scope: readonly string[], systemWide: boolean, limit = 100): Promise<AlertView[]> {
  const alerts: Array<{ id: string; kind: AlertServiceType; failure_key: string; unit_id: string | null; unit_name: string | null; title: string; detail: string; since: Date; link: string | null; raised_at: Date; last_seen_at: Date; repeats: number }> =
    await db.query(
      `select a.id, a.kind, a.failure_key, a.unit_id, u.name as unit_name, a.title, a.detail, a.since, a.link, a.raised_at, a.last_seen_at, a.repeats
         from alerts a left join units u on u.id = a.unit_id
        where a.unit_id = any($1::uuid[]) or (a.unit_id is null and $2)
        order by a.raised_at desc, a.id limit $3`,
      [[...scope], systemWide, limit],
    );
  const deliveries: Array<{ alert_id: string; channel: 'sms' | 'email'; address: string; status: AlertView['deliveries'][number]['status']; attempts: number; last_error: string | null; sent_at: Date | null }> =
    await db.query(
      `select alert_id, channel, address, status, attempts, last_error, sent_at from alert_deliveries where alert_id = any($1::uuid[]) order by channel desc, address`,
      [alerts.map((a) => a.id)],
    );
  return alerts.map((a) => ({
    id: a.id,
    kind: a.kind,
    failureKey: a.failure_key,
    unit: a.unit_id ? { id: a.unit_id, name: a.unit_name ?? '' } : null,
    title: a.title,
    detail: a.detail,
    since: a.since.toISOString(),
    link: a.link,
    raisedAt: a.raised_at.toISOString(),
    lastSeenAt: a.last_seen_at.toISOString(),
    repeats: a.repeats,
    deliveries: deliveries
      .filter((d) => d.alert_id === a.id)
      .map((d) => ({ channel: d.channel, address: d.address, status: d.status, attempts: d.attempts, lastError: d.last_error, sentAt: d.sent_at?.toISOString() ?? null })),
  }));
}
