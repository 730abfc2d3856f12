/**
 * Self-registration on the portal (seed 001 part I.3): by mobile subscriber, by social-insurance
 * number, or as a business — the details and a captcha, then the 6-digit code sent by SMS, then
 * the password typed twice. The account exists only after the last step; what was typed waits
 * in the flow. The first answer is the same whether or not the ID number (or tax code) already
 * has an account, so an anonymous caller cannot learn who has one: an existing account is said
 * once the code sent to the typed phone is confirmed (to whoever holds that phone), and again at
 * the end in case the desk got there meanwhile. Starts are limited per ID number and per client
 * address. Registration by certificate is in certificateAccess.ts.
 */
import { formatLocalDate } from '../../domain/calendar';
import { checkCitizenPassword } from '../../domain/citizenPassword';
import { validateCitizenId } from '../../domain/citizenId';
import { normalizeVietnameseMobile } from '../../domain/phone';
import { hashPassword } from '../../infra/passwords';
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { accountTaken, insertAccount, loadProfile, type NewAccount } from './accounts';
import { accountExists, captchaInvalid, ruleRefused, socialInsuranceNotMatched, socialInsuranceRecordUnusable, socialInsuranceUnavailable } from './citizenErrors';
import { BusinessRegistrationBody, birthDateNotInFuture, FlowTokenBody, MobileRegistrationBody, NewPasswordBody, OtpAnswerBody, SocialInsuranceRegistrationBody } from './inputs';
import { answerCode, endFlow, finishVerifiedFlow, resendCode, startFlow } from './otpFlows';
import { clientAddress, limitRequests } from '../auth/throttle';
import { captchaOf, socialInsuranceOf } from './services';
import type { AppContext } from '../context';

/** What a registration keeps until its password is set. */
interface PendingRegistration {
  path: 'mobile' | 'business' | 'social_insurance';
  kind: 'citizen' | 'business';
  username: string;
  idNumber: string;
  fullName: string;
  birthDate: string;
  phone: string;
  email: string | null;
  businessName?: string;
  taxCode?: string;
  socialInsuranceNumber?: string;
}

export async function requireCaptcha(ctx: AppContext, captchaId: string, answer: string): Promise<void> {
  if (!(await captchaOf(ctx).check(captchaId, answer))) throw captchaInvalid();
}

function today(ctx: AppContext): string {
  return formatLocalDate(ctx.clock.now().getTime());
}

/** The limits of a registration start: per client address, and per ID number, tax code or social-insurance number asked for. */
async function limitStart(call: Call, key?: string): Promise<void> {
  if (key === undefined) return limitRequests(call, 'citizen-register', 'address', clientAddress(call));
  return limitRequests(call, 'citizen-register', 'account', key);
}

async function open(call: Call, pending: PendingRegistration): Promise<Reply> {
  const { ctx, req, audit } = call;
  audit.actorName = `citizen:${pending.username}`;
  audit.target = `citizen:${pending.username}`;
  // Whether the number already has an account is not looked at here: the answer must not depend on it.
  const sent = await startFlow(ctx, { purpose: 'register', phone: pending.phone, registration: { ...pending }, ip: req.ip ?? null });
  const { flowId, delivery: _delivery, ...answer } = sent;
  audit.details = { path: pending.path, flowId };
  return { body: { status: 'otp_sent', ...answer } };
}

export async function registerByMobile(call: Call): Promise<Reply> {
  await limitStart(call);
  const b = parseInput(MobileRegistrationBody, call.req.body);
  await limitStart(call, b.idNumber);
  birthDateNotInFuture('birthDate', b.birthDate, today(call.ctx));
  await requireCaptcha(call.ctx, b.captchaId, b.captcha);
  return open(call, {
    path: 'mobile',
    kind: 'citizen',
    username: b.idNumber,
    idNumber: b.idNumber,
    fullName: b.fullName,
    birthDate: b.birthDate,
    phone: b.phone,
    email: b.email ?? null,
  });
}

export async function registerBusiness(call: Call): Promise<Reply> {
  await limitStart(call);
  const b = parseInput(BusinessRegistrationBody, call.req.body);
  await limitStart(call, b.taxCode);
  birthDateNotInFuture('representativeBirthDate', b.representativeBirthDate, today(call.ctx));
  await requireCaptcha(call.ctx, b.captchaId, b.captcha);
  return open(call, {
    path: 'business',
    kind: 'business',
    username: b.taxCode,
    idNumber: b.representativeIdNumber,
    fullName: b.representativeName,
    birthDate: b.representativeBirthDate,
    phone: b.phone,
    email: b.email,
    businessName: b.businessName,
    taxCode: b.taxCode,
  });
}

export async function registerBySocialInsurance(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  await limitStart(call);
  const b = parseInput(SocialInsuranceRegistrationBody, call.req.body);
  await limitStart(call, b.socialInsuranceNumber);
  await requireCaptcha(ctx, b.captchaId, b.captcha);
  let person;
  try {
    person = await socialInsuranceOf(ctx).lookup(b.socialInsuranceNumber);
  } catch (err) {
    audit.details = { path: 'social_insurance', reason: 'registry-unavailable' };
    throw Object.assign(socialInsuranceUnavailable(), { cause: err });
  }
  // An unknown number and a wrong date of birth get the same answer: the number alone reveals nobody.
  if (!person || person.birthDate !== b.birthDate) {
    audit.details = { path: 'social_insurance', reason: person ? 'birth-date-mismatch' : 'unknown-number' };
    throw socialInsuranceNotMatched();
  }
  const id = validateCitizenId(person.idNumber, { allowLegacyCmnd: false });
  if (!id.ok) throw socialInsuranceRecordUnusable('số định danh cá nhân chưa phải số CCCD 12 chữ số');
  const phone = normalizeVietnameseMobile(person.phone);
  if (!phone.ok) throw socialInsuranceRecordUnusable('chưa có số điện thoại di động hợp lệ');
  return open(call, {
    path: 'social_insurance',
    kind: 'citizen',
    username: id.number,
    idNumber: id.number,
    fullName: person.fullName.normalize('NFC').replace(/\s+/g, ' ').trim(),
    birthDate: person.birthDate,
    phone: phone.normalized,
    email: b.email ?? null,
    socialInsuranceNumber: b.socialInsuranceNumber,
  });
}

export async function answerRegistrationCode(call: Call): Promise<Reply> {
  const { ctx } = call;
  const { flowToken, code } = parseInput(OtpAnswerBody, call.req.body);
  const flow = await answerCode(call, 'register', flowToken, code, (details) => (call.audit.details = details));
  const pending = flow.registration as unknown as PendingRegistration;
  call.audit.actorName = `citizen:${pending.username}`;
  call.audit.target = `citizen:${pending.username}`;
  // Said only to whoever holds the phone the code went to; the flow ends, nothing else is learnt.
  if (await accountTaken(ctx.db, pending.kind, pending.username)) {
    await endFlow(ctx.db, flow.id, ctx.clock.now(), 'account-exists');
    call.audit.details = { flowId: flow.id, path: pending.path, reason: 'account-exists' };
    throw accountExists(pending.kind);
  }
  call.audit.details = { flowId: flow.id };
  return { body: { status: 'otp_verified', next: 'password' } };
}

export async function resendRegistrationCode(call: Call): Promise<Reply> {
  const { flowToken } = parseInput(FlowTokenBody, call.req.body);
  const { flowId, delivery: _delivery, ...answer } = await resendCode(call, 'register', flowToken);
  call.audit.details = { flowId };
  return { body: { status: 'otp_sent', ...answer } };
}

export async function completeRegistration(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const { flowToken, password, passwordConfirm } = parseInput(NewPasswordBody, call.req.body);
  const rule = checkCitizenPassword(password, passwordConfirm);
  if (!rule.ok) throw ruleRefused(rule, 'password', { missing: rule.missing });
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const { accountId, pending } = await ctx.db.transaction(async (m) => {
    const flow = await finishVerifiedFlow(m, 'register', flowToken, now);
    const p = flow.registration as unknown as PendingRegistration;
    audit.actorName = `citizen:${p.username}`;
    audit.target = `citizen:${p.username}`;
    audit.details = { path: p.path, flowId: flow.id };
    const account: NewAccount = {
      kind: p.kind,
      username: p.username,
      idNumber: p.idNumber,
      fullName: p.fullName,
      birthDate: p.birthDate,
      phone: p.phone,
      email: p.email,
      businessName: p.businessName,
      taxCode: p.taxCode,
      socialInsuranceNumber: p.socialInsuranceNumber,
      assuranceLevel: 'IAL2',
      verifiedBy: p.path === 'social_insurance' ? 'social_insurance' : 'mobile',
      passwordHash,
      createdAt: now,
    };
    return { accountId: await insertAccount(m, account), pending: p };
  });
  audit.target = `citizen-account:${accountId}`;
  audit.details = { ...audit.details, accountId, assuranceLevel: 'IAL2', verifiedBy: pending.path === 'social_insurance' ? 'social_insurance' : 'mobile' };
  return { status: 201, body: { status: 'registered', account: await loadProfile(ctx.db, accountId) } };
}
