/**
 * Self-registration on the portal (seed 001 part I.3): by mobile subscriber, by social-insurance
 * number, or as a business — the details and a captcha, then the 6-digit code sent by SMS, then
 * the password typed twice. The account exists only after the last step; what was typed waits
 * in the flow. An ID number (or tax code) that already has an account, however it was opened,
 * is refused before any code is sent, and again at the end in case the desk got there meanwhile.
 * Registration by certificate is in certificateAccess.ts.
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
import { answerCode, finishVerifiedFlow, resendCode, startFlow } from './otpFlows';
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

async function open(call: Call, pending: PendingRegistration): Promise<Reply> {
  const { ctx, req, audit } = call;
  audit.actorName = `citizen:${pending.username}`;
  audit.target = `citizen:${pending.username}`;
  if (await accountTaken(ctx.db, pending.kind, pending.username)) {
    audit.details = { path: pending.path, reason: 'account-exists' };
    throw accountExists(pending.kind);
  }
  const sent = await startFlow(ctx, { purpose: 'register', phone: pending.phone, registration: { ...pending }, ip: req.ip ?? null });
  const { flowId, ...answer } = sent;
  audit.details = { path: pending.path, flowId };
  return { body: { status: 'otp_sent', ...answer } };
}

export async function registerByMobile(call: Call): Promise<Reply> {
  const b = parseInput(MobileRegistrationBody, call.req.body);
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
  const b = parseInput(BusinessRegistrationBody, call.req.body);
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
  const b = parseInput(SocialInsuranceRegistrationBody, call.req.body);
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
  const { flowToken, code } = parseInput(OtpAnswerBody, call.req.body);
  const flow = await answerCode(call.ctx, 'register', flowToken, code, (details) => (call.audit.details = details));
  const pending = flow.registration as unknown as PendingRegistration;
  call.audit.actorName = `citizen:${pending.username}`;
  call.audit.details = { flowId: flow.id };
  return { body: { status: 'otp_verified', next: 'password' } };
}

export async function resendRegistrationCode(call: Call): Promise<Reply> {
  const { flowToken } = parseInput(FlowTokenBody, call.req.body);
  const { flowId, ...answer } = await resendCode(call.ctx, 'register', flowToken);
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
