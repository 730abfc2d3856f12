/**
 * Registration, login and password recovery each wait for a 6-digit code sent by SMS. One row of
 * `citizen_otp_flows` follows each of them: the client holds a random flow token (only its
 * SHA-256 is stored) and the code is stored as a hash salted with the row's id. A re-send
 * replaces the hash, so only the latest code is valid; re-sends are spaced and counted, wrong
 * codes are counted for the whole flow, and a phone receives a bounded number of codes an hour.
 * Every counter moves in one conditional UPDATE, so parallel requests cannot pass a limit.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { CitizenOtpPurpose } from '../../entities/citizenSession';
import { otpHash, phoneHint, sameHash } from '../auth/sessions';
import { updateReturning } from '../auth/updateReturning';
import type { AppContext } from '../context';
import { citizenTokenHash, newCitizenToken } from './citizenAuth';
import { flowExpired, otpExpired, otpNotVerified, otpWrong, phoneLimitReached, resendTooSoon, sendLimitReached, smsNotSent } from './citizenErrors';
import { citizenConfigOf } from './services';

export interface FlowRow {
  id: string;
  purpose: CitizenOtpPurpose;
  account_id: string | null;
  registration: Record<string, unknown> | null;
  phone: string;
  otp_hash: string | null;
  otp_sent_at: Date | null;
  otp_expires_at: Date | null;
  otp_sends: number;
  otp_wrong_tries: number;
  verified_at: Date | null;
  expires_at: Date;
  ended_at: Date | null;
}

/** What the client is told after a code was sent. */
export interface CodeSent {
  flowToken: string;
  phoneHint: string;
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

async function checkPhoneQuota(ctx: AppContext, phone: string): Promise<void> {
  const now = ctx.clock.now();
  const rows: Array<{ sent: number }> = await ctx.db.query(
    `select coalesce(sum(otp_sends), 0)::int as sent from citizen_otp_flows where phone = $1 and created_at > $2`,
    [phone, new Date(now.getTime() - 3_600_000)],
  );
  if ((rows[0]?.sent ?? 0) >= citizenConfigOf(ctx).otpMaxPerPhonePerHour) throw phoneLimitReached();
}

async function send(ctx: AppContext, purpose: CitizenOtpPurpose, phone: string, code: string): Promise<void> {
  // The code goes as a secret: whatever only records the message (console, a gateway's outbox) masks it.
  await ctx.sms.send(phone, smsBody(purpose, code, citizenConfigOf(ctx).otpTtlMs), `citizen-${purpose}-otp`, { secrets: [code] });
}

function codeSent(ctx: AppContext, token: string, phone: string, sentAt: Date, sends: number): CodeSent {
  const c = citizenConfigOf(ctx);
  return {
    flowToken: token,
    phoneHint: phoneHint(phone),
    otpExpiresAt: new Date(sentAt.getTime() + c.otpTtlMs).toISOString(),
    resendAfter: new Date(sentAt.getTime() + c.otpResendIntervalMs).toISOString(),
    sendsLeft: Math.max(0, c.otpMaxSends - sends),
  };
}

export interface NewFlow {
  purpose: CitizenOtpPurpose;
  phone: string;
  accountId?: string;
  registration?: Record<string, unknown>;
  ip: string | null;
}

/** Opens a flow and sends its first code; a code that could not leave closes the flow again. */
export async function startFlow(ctx: AppContext, flow: NewFlow): Promise<CodeSent & { flowId: string }> {
  await checkPhoneQuota(ctx, flow.phone);
  const c = citizenConfigOf(ctx);
  const id = randomUUID();
  const token = newCitizenToken();
  const code = newCode();
  const now = ctx.clock.now();
  await ctx.db.query(
    `insert into citizen_otp_flows (id, purpose, token_hash, account_id, registration, phone, otp_hash, otp_sent_at, otp_expires_at, otp_sends, created_at, expires_at, ip)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $8, $10, $11)`,
    [
      id,
      flow.purpose,
      citizenTokenHash(token),
      flow.accountId ?? null,
      flow.registration ? JSON.stringify(flow.registration) : null,
      flow.phone,
      otpHash(id, code),
      now,
      new Date(now.getTime() + c.otpTtlMs),
      new Date(now.getTime() + c.flowTtlMs),
      flow.ip,
    ],
  );
  try {
    await send(ctx, flow.purpose, flow.phone, code);
  } catch (err) {
    await endFlow(ctx.db, id, ctx.clock.now(), 'sms-failed');
    throw Object.assign(smsNotSent(), { cause: err });
  }
  return { flowId: id, ...codeSent(ctx, token, flow.phone, now, 1) };
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

/** "Gửi lại OTP": a new code replaces the old one, no sooner than the interval and at most the configured number of times. */
export async function resendCode(ctx: AppContext, purpose: CitizenOtpPurpose, token: string): Promise<CodeSent & { flowId: string }> {
  const c = citizenConfigOf(ctx);
  const now = ctx.clock.now();
  const flow = requireOpen(await loadFlow(ctx.db, purpose, token), purpose, now);
  if (flow.otp_sends >= c.otpMaxSends) throw sendLimitReached(c.otpMaxSends);
  const earliest = flow.otp_sent_at ? flow.otp_sent_at.getTime() + c.otpResendIntervalMs : 0;
  if (earliest > now.getTime()) throw resendTooSoon(Math.ceil((earliest - now.getTime()) / 1000));
  await checkPhoneQuota(ctx, flow.phone);

  const code = newCode();
  const claimed = await updateReturning<{ otp_sends: number }>(
    ctx.db,
    `update citizen_otp_flows set otp_hash = $2, otp_sent_at = $3, otp_expires_at = $4, otp_sends = otp_sends + 1
     where id = $1 and ended_at is null and verified_at is null and expires_at > $3 and otp_sends < $5
       and (otp_sent_at is null or otp_sent_at <= $6)
     returning otp_sends`,
    [flow.id, otpHash(flow.id, code), now, new Date(now.getTime() + c.otpTtlMs), c.otpMaxSends, new Date(now.getTime() - c.otpResendIntervalMs)],
  );
  // Another re-send of the same flow won the race: its answer stands, this one is simply too soon.
  if (!claimed[0]) throw resendTooSoon(Math.ceil(c.otpResendIntervalMs / 1000));
  try {
    await send(ctx, purpose, flow.phone, code);
  } catch (err) {
    // The send did not happen: give the attempt back so the citizen may try again at once.
    await ctx.db.query(`update citizen_otp_flows set otp_sends = otp_sends - 1, otp_sent_at = $2 where id = $1 and otp_sends = $3`, [
      flow.id,
      flow.otp_sent_at,
      claimed[0].otp_sends,
    ]);
    throw Object.assign(smsNotSent(), { cause: err });
  }
  return { flowId: flow.id, ...codeSent(ctx, token, flow.phone, now, claimed[0].otp_sends) };
}

/**
 * Checks a code. A wrong one uses up a try (the last try ends the flow); the right one marks
 * the flow verified. Throws the refusal; `onRefusal` receives its audit details first.
 */
export async function answerCode(
  ctx: AppContext,
  purpose: CitizenOtpPurpose,
  token: string,
  code: string,
  onRefusal: (details: Record<string, unknown>) => void,
): Promise<FlowRow> {
  const c = citizenConfigOf(ctx);
  const now = ctx.clock.now();
  const loaded = await loadFlow(ctx.db, purpose, token);
  if (!loaded || loaded.ended_at || loaded.expires_at <= now || loaded.verified_at) {
    onRefusal({ reason: !loaded ? 'unknown-flow' : loaded.ended_at ? 'ended' : loaded.verified_at ? 'already-verified' : 'flow-expired', ...(loaded ? { flowId: loaded.id } : {}) });
    throw flowExpired(purpose);
  }
  const flow = loaded;
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
    onRefusal({ reason: 'wrong-code', flowId: flow.id, triesLeft });
    throw otpWrong(triesLeft);
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
