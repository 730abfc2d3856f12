/**
 * Registration, login and password recovery each wait for a 6-digit code sent by SMS. One row of
 * `citizen_otp_flows` follows each of them: the client holds a random flow token (only its
 * SHA-256 is stored) and the code is stored as a hash salted with the row's id. A re-send
 * replaces the hash, so only the latest code is valid; re-sends are spaced and counted, wrong
 * codes are counted for the whole flow, and a phone receives a bounded number of codes an hour.
 * Every counter moves in one conditional UPDATE, so parallel requests cannot pass a limit.
 *
 * Wrong codes are also counted across flows, per subject: the account (login), the username asked
 * for (recovery, whether or not it has an account) or the phone (registration). Reaching
 * `otpMaxFailures` within the window ends the subject's open flows and locks it for `lockoutMs`
 * (a login's account is locked as wrong passwords lock it). The code routes are limited per
 * client address and per subject.
 *
 * A recovery must not tell an anonymous caller whether the username has an account: one without
 * a usable account gets a flow too (no phone, no code), answered in the same shape, and a real
 * one's code leaves without the answer waiting for the SMS gateway — so neither a slow gateway,
 * a failure nor the phone's hourly limit shows in the answer (the outbox records them).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { CitizenOtpPurpose } from '../../entities/citizenSession';
import { otpHash, phoneHint, sameHash } from '../auth/sessions';
import { updateReturning } from '../auth/updateReturning';
import { clearCount, clientAddress, countFailure, limitRequests, lockedUntil } from '../auth/throttle';
import type { AppContext } from '../context';
import type { Call } from '../route';
import { citizenTokenHash, newCitizenToken } from './citizenAuth';
import {
  accountLocked,
  codesLocked,
  flowExpired,
  otpExpired,
  otpNotVerified,
  otpWrong,
  phoneLimitReached,
  resendTooSoon,
  sendLimitReached,
  smsNotSent,
} from './citizenErrors';
import { citizenConfigOf } from './services';

export interface FlowRow {
  id: string;
  purpose: CitizenOtpPurpose;
  account_id: string | null;
  registration: Record<string, unknown> | null;
  /** Null for a recovery asked for a username without a usable account. */
  phone: string | null;
  /** The username a recovery was asked for. */
  subject: string | null;
  otp_hash: string | null;
  otp_sent_at: Date | null;
  otp_expires_at: Date | null;
  otp_sends: number;
  otp_wrong_tries: number;
  verified_at: Date | null;
  expires_at: Date;
  ended_at: Date | null;
}

/** What the client is told after a code was sent; a recovery does not say to which phone. */
export interface CodeSent {
  flowToken: string;
  phoneHint?: string;
  otpExpiresAt: string;
  resendAfter: string;
  sendsLeft: number;
}

const WHAT: Readonly<Record<CitizenOtpPurpose, string>> = {
  register: 'đăng ký tài khoản',
  login: 'đăng nhập',
  recover: 'lấy lại mật khẩu',
};

function smsBody(purpose: CitizenOtpPurpose, code: string, ttlMs: number): string {
  const validity = ttlMs % 60_000 === 0 ? `${ttlMs / 60_000} phút` : `${Math.round(ttlMs / 1000)} giây`;
  return `Mã OTP ${WHAT[purpose]} Cổng dịch vụ công: ${code}. Mã có hiệu lực ${validity}. Không cung cấp mã này cho bất kỳ ai.`;
}

function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Whether the phone may receive another code this hour (a flow without a phone asks too, for the same work). */
async function phoneHasQuota(ctx: AppContext, phone: string | null): Promise<boolean> {
  const now = ctx.clock.now();
  const rows: Array<{ sent: number }> = await ctx.db.query(
    `select coalesce(sum(otp_sends), 0)::int as sent from citizen_otp_flows where phone = $1 and created_at > $2`,
    [phone, new Date(now.getTime() - 3_600_000)],
  );
  return (rows[0]?.sent ?? 0) < citizenConfigOf(ctx).otpMaxPerPhonePerHour;
}

async function checkPhoneQuota(ctx: AppContext, phone: string): Promise<void> {
  if (!(await phoneHasQuota(ctx, phone))) throw phoneLimitReached();
}

async function send(ctx: AppContext, purpose: CitizenOtpPurpose, phone: string, code: string): Promise<void> {
  // The code goes as a secret: whatever only records the message (console, a gateway's outbox) masks it.
  await ctx.sms.send(phone, smsBody(purpose, code, citizenConfigOf(ctx).otpTtlMs), `citizen-${purpose}-otp`, { secrets: [code] });
}

/** A recovery's code leaves without the answer waiting: its outcome is in the outbox, not in the answer. */
function sendUnawaited(ctx: AppContext, flowId: string, phone: string, code: string): void {
  send(ctx, 'recover', phone, code).catch((err: unknown) => console.error(`recovery code of flow ${flowId} not sent`, err));
}

/** Whom a flow's wrong codes count against: the account, the username asked for, or the phone. */
export function flowSubject(flow: Pick<FlowRow, 'purpose' | 'account_id' | 'subject' | 'phone'>): { bucket: string; key: string } {
  if (flow.purpose === 'login') return { bucket: 'citizen-otp-login', key: flow.account_id ?? '' };
  if (flow.purpose === 'recover') return { bucket: 'citizen-otp-recover', key: flow.subject ?? flow.account_id ?? '' };
  return { bucket: 'citizen-otp-register', key: flow.phone ?? '' };
}

/** The refusal while a subject is locked: a login's account is locked like after wrong passwords. */
function subjectLocked(purpose: CitizenOtpPurpose, until: Date, now: Date) {
  return purpose === 'login' ? accountLocked(until, now) : codesLocked(purpose, until, now);
}

function codeSent(ctx: AppContext, token: string, phone: string | null, sentAt: Date, sends: number, purpose: CitizenOtpPurpose): CodeSent {
  const c = citizenConfigOf(ctx);
  return {
    flowToken: token,
    ...(purpose !== 'recover' && phone ? { phoneHint: phoneHint(phone) } : {}),
    otpExpiresAt: new Date(sentAt.getTime() + c.otpTtlMs).toISOString(),
    resendAfter: new Date(sentAt.getTime() + c.otpResendIntervalMs).toISOString(),
    sendsLeft: Math.max(0, c.otpMaxSends - sends),
  };
}

export interface NewFlow {
  purpose: CitizenOtpPurpose;
  /** Null only for a recovery asked for a username without a usable account. */
  phone: string | null;
  accountId?: string;
  registration?: Record<string, unknown>;
  /** The username a recovery was asked for. */
  subject?: string;
  ip: string | null;
}

/** What became of a flow's code: sent, left unsent (the phone's hourly limit), or none to send. */
export type Delivery = 'sent' | 'phone-limit' | 'no-account';

/**
 * Opens a flow and sends its first code; a code that could not leave closes the flow again. A
 * recovery answers alike whatever happens to its code (see above).
 */
export async function startFlow(ctx: AppContext, flow: NewFlow): Promise<CodeSent & { flowId: string; delivery: Delivery }> {
  const c = citizenConfigOf(ctx);
  const now = ctx.clock.now();
  const subject = flowSubject({ purpose: flow.purpose, account_id: flow.accountId ?? null, subject: flow.subject ?? null, phone: flow.phone });
  const locked = await lockedUntil(ctx, subject.bucket, subject.key);
  if (locked) throw subjectLocked(flow.purpose, locked, now);
  const quiet = flow.purpose === 'recover';
  let delivery: Delivery = flow.phone ? 'sent' : 'no-account';
  if (quiet) {
    if (!(await phoneHasQuota(ctx, flow.phone)) && flow.phone) delivery = 'phone-limit';
  } else {
    await checkPhoneQuota(ctx, flow.phone!);
  }
  const id = randomUUID();
  const token = newCitizenToken();
  const code = newCode();
  await ctx.db.query(
    `insert into citizen_otp_flows (id, purpose, token_hash, account_id, registration, phone, subject, otp_hash, otp_sent_at, otp_expires_at, otp_sends, created_at, expires_at, ip)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $9, $11, $12)`,
    [
      id,
      flow.purpose,
      citizenTokenHash(token),
      flow.accountId ?? null,
      flow.registration ? JSON.stringify(flow.registration) : null,
      flow.phone,
      flow.subject ?? null,
      // A flow without a phone has no code: every answer to it is wrong.
      flow.phone ? otpHash(id, code) : null,
      now,
      new Date(now.getTime() + c.otpTtlMs),
      new Date(now.getTime() + c.flowTtlMs),
      flow.ip,
    ],
  );
  if (quiet) {
    if (delivery === 'sent') sendUnawaited(ctx, id, flow.phone!, code);
  } else {
    try {
      await send(ctx, flow.purpose, flow.phone!, code);
    } catch (err) {
      await endFlow(ctx.db, id, ctx.clock.now(), 'sms-failed');
      throw Object.assign(smsNotSent(), { cause: err });
    }
  }
  return { flowId: id, delivery, ...codeSent(ctx, token, flow.phone, now, 1, flow.purpose) };
}

async function loadFlow(db: DataSource | EntityManager, purpose: CitizenOtpPurpose, token: string): Promise<FlowRow | undefined> {
  const rows: FlowRow[] = await db.query(`select * from citizen_otp_flows where token_hash = $1 and purpose = $2`, [citizenTokenHash(token), purpose]);
  return rows[0];
}

export async function endFlow(db: DataSource | EntityManager, id: string, at: Date, reason: string): Promise<void> {
  await db.query(`update citizen_otp_flows set ended_at = $2, end_reason = $3, otp_hash = null where id = $1 and ended_at is null`, [id, at, reason]);
}

/** A flow that can still take a code or a re-send, or the refusal that says why not. */
function requireOpen(flow: FlowRow | undefined, purpose: CitizenOtpPurpose, now: Date): FlowRow {
  if (!flow || flow.ended_at || flow.expires_at <= now || flow.verified_at) throw flowExpired(purpose);
  return flow;
}

/** Counts a code request against its subject's limit, once the flow is known (the address is counted before). */
async function limitCodeRequests(call: Call, flow: FlowRow | undefined): Promise<void> {
  if (flow) await limitRequests(call, 'citizen-otp', 'account', `${flowSubject(flow).bucket}:${flowSubject(flow).key}`);
}

/** "Gửi lại OTP": a new code replaces the old one, no sooner than the interval and at most the configured number of times. */
export async function resendCode(call: Call, purpose: CitizenOtpPurpose, token: string): Promise<CodeSent & { flowId: string; delivery: Delivery }> {
  const { ctx } = call;
  await limitRequests(call, 'citizen-otp', 'address', clientAddress(call));
  const c = citizenConfigOf(ctx);
  const now = ctx.clock.now();
  const loaded = await loadFlow(ctx.db, purpose, token);
  await limitCodeRequests(call, loaded);
  const flow = requireOpen(loaded, purpose, now);
  if (flow.otp_sends >= c.otpMaxSends) throw sendLimitReached(c.otpMaxSends);
  const earliest = flow.otp_sent_at ? flow.otp_sent_at.getTime() + c.otpResendIntervalMs : 0;
  if (earliest > now.getTime()) throw resendTooSoon(Math.ceil((earliest - now.getTime()) / 1000));
  const subject = flowSubject(flow);
  const locked = await lockedUntil(ctx, subject.bucket, subject.key);
  if (locked) throw subjectLocked(purpose, locked, now);
  const quiet = purpose === 'recover';
  let delivery: Delivery = flow.phone ? 'sent' : 'no-account';
  if (quiet) {
    if (!(await phoneHasQuota(ctx, flow.phone)) && flow.phone) delivery = 'phone-limit';
  } else {
    await checkPhoneQuota(ctx, flow.phone!);
  }

  const code = newCode();
  const claimed = await updateReturning<{ otp_sends: number }>(
    ctx.db,
    `update citizen_otp_flows set otp_hash = case when phone is null then null else $2 end, otp_sent_at = $3, otp_expires_at = $4, otp_sends = otp_sends + 1
     where id = $1 and ended_at is null and verified_at is null and expires_at > $3 and otp_sends < $5
       and (otp_sent_at is null or otp_sent_at <= $6)
     returning otp_sends`,
    [flow.id, otpHash(flow.id, code), now, new Date(now.getTime() + c.otpTtlMs), c.otpMaxSends, new Date(now.getTime() - c.otpResendIntervalMs)],
  );
  // Another re-send of the same flow won the race: its answer stands, this one is simply too soon.
  if (!claimed[0]) throw resendTooSoon(Math.ceil(c.otpResendIntervalMs / 1000));
  if (quiet) {
    if (delivery === 'sent') sendUnawaited(ctx, flow.id, flow.phone!, code);
  } else {
    try {
      await send(ctx, purpose, flow.phone!, code);
    } catch (err) {
      // The send did not happen: give the attempt back so the citizen may try again at once.
      await ctx.db.query(`update citizen_otp_flows set otp_sends = otp_sends - 1, otp_sent_at = $2 where id = $1 and otp_sends = $3`, [
        flow.id,
        flow.otp_sent_at,
        claimed[0].otp_sends,
      ]);
      throw Object.assign(smsNotSent(), { cause: err });
    }
  }
  return { flowId: flow.id, delivery, ...codeSent(ctx, token, flow.phone, now, claimed[0].otp_sends, purpose) };
}

/** The wrong code that reaches a subject's limit: its open flows end, and a login's account locks. */
async function lockSubject(ctx: AppContext, flow: FlowRow, until: Date): Promise<void> {
  const now = ctx.clock.now();
  const { key } = flowSubject(flow);
  const where =
    flow.purpose === 'login' ? 'account_id::text = $3' : flow.purpose === 'recover' ? 'coalesce(subject, account_id::text) = $3' : 'phone = $3';
  await ctx.db.query(
    `update citizen_otp_flows set ended_at = $2, end_reason = 'wrong-codes', otp_hash = null where purpose = $1 and ended_at is null and ${where}`,
    [flow.purpose, now, key],
  );
  if (flow.purpose === 'login') {
    await ctx.db.query(`update citizen_accounts set locked_until = greatest(coalesce(locked_until, $2), $2), failed_logins = 0 where id = $1`, [flow.account_id, until]);
  }
}

/**
 * Checks a code. A wrong one uses up a try (the last try ends the flow); the right one marks
 * the flow verified. Throws the refusal; `onRefusal` receives its audit details first.
 */
export async function answerCode(
  call: Call,
  purpose: CitizenOtpPurpose,
  token: string,
  code: string,
  onRefusal: (details: Record<string, unknown>) => void,
): Promise<FlowRow> {
  const { ctx } = call;
  await limitRequests(call, 'citizen-otp', 'address', clientAddress(call));
  const c = citizenConfigOf(ctx);
  const now = ctx.clock.now();
  const loaded = await loadFlow(ctx.db, purpose, token);
  await limitCodeRequests(call, loaded);
  if (!loaded || loaded.ended_at || loaded.expires_at <= now || loaded.verified_at) {
    onRefusal({ reason: !loaded ? 'unknown-flow' : loaded.ended_at ? 'ended' : loaded.verified_at ? 'already-verified' : 'flow-expired', ...(loaded ? { flowId: loaded.id } : {}) });
    throw flowExpired(purpose);
  }
  const flow = loaded;
  const subject = flowSubject(flow);
  const locked = await lockedUntil(ctx, subject.bucket, subject.key);
  if (locked) {
    await endFlow(ctx.db, flow.id, now, 'locked');
    onRefusal({ reason: 'locked', flowId: flow.id, lockedUntil: locked.toISOString() });
    throw subjectLocked(purpose, locked, now);
  }
  if (!flow.otp_expires_at || flow.otp_expires_at <= now) {
    onRefusal({ reason: 'code-expired', flowId: flow.id });
    throw otpExpired();
  }
  if (!flow.otp_hash || !sameHash(otpHash(flow.id, code), flow.otp_hash)) {
    const counted = await updateReturning<{ otp_wrong_tries: number }>(
      ctx.db,
      `update citizen_otp_flows set otp_wrong_tries = otp_wrong_tries + 1,
         ended_at = case when otp_wrong_tries + 1 >= $2 then $3::timestamptz end,
         end_reason = case when otp_wrong_tries + 1 >= $2 then 'wrong-codes' end,
         otp_hash = case when otp_wrong_tries + 1 >= $2 then null else otp_hash end
       where id = $1 and ended_at is null and verified_at is null and otp_wrong_tries < $2
       returning otp_wrong_tries`,
      [flow.id, c.otpMaxWrongTries, now],
    );
    if (!counted[0]) {
      onRefusal({ reason: 'tries-exhausted', flowId: flow.id });
      throw flowExpired(purpose);
    }
    const triesLeft = Math.max(0, c.otpMaxWrongTries - counted[0].otp_wrong_tries);
    const overall = await countFailure(ctx, subject.bucket, subject.key, { limit: c.otpMaxFailures, windowMs: c.otpFailureWindowMs, lockMs: c.lockoutMs });
    if (overall.kind === 'counted') {
      onRefusal({ reason: 'wrong-code', flowId: flow.id, triesLeft, wrongCodes: overall.failures });
      throw otpWrong(triesLeft);
    }
    if (overall.kind === 'locked-now') await lockSubject(ctx, flow, overall.until);
    onRefusal({ reason: 'wrong-code', flowId: flow.id, lockedUntil: overall.until.toISOString(), ...(overall.kind === 'locked-now' ? { lockout: true } : {}) });
    throw subjectLocked(purpose, overall.until, now);
  }
  const verified = await updateReturning<FlowRow>(
    ctx.db,
    `update citizen_otp_flows set verified_at = $2, otp_hash = null
     where id = $1 and ended_at is null and verified_at is null and otp_wrong_tries < $3 and otp_expires_at > $2 and expires_at > $2
     returning *`,
    [flow.id, now, c.otpMaxWrongTries],
  );
  if (!verified[0]) {
    onRefusal({ reason: 'already-used', flowId: flow.id });
    throw flowExpired(purpose);
  }
  await clearCount(ctx, subject.bucket, subject.key);
  return verified[0];
}

/**
 * Ends a verified flow for its last step (the password), inside the caller's transaction: if the
 * step fails the transaction rolls back and the flow stays open; two requests cannot both finish it.
 */
export async function finishVerifiedFlow(m: EntityManager, purpose: CitizenOtpPurpose, token: string, now: Date): Promise<FlowRow> {
  const rows = await updateReturning<FlowRow>(
    m,
    `update citizen_otp_flows set ended_at = $3, end_reason = 'completed'
     where token_hash = $1 and purpose = $2 and verified_at is not null and ended_at is null and expires_at > $3
     returning *`,
    [citizenTokenHash(token), purpose, now],
  );
  if (rows[0]) return rows[0];
  const flow = await loadFlow(m, purpose, token);
  if (flow && !flow.ended_at && flow.expires_at > now && !flow.verified_at) throw otpNotVerified();
  throw flowExpired(purpose);
}
