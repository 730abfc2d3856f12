/**
 * The citizen side of the portal: registration (mobile, social insurance, business, certificate),
 * login (password + SMS code, or certificate), password recovery and change, and the portal
 * itself. Public routes take a captcha where a form is filled; 'citizen' routes need a citizen
 * session (officers' tokens are refused).
 */
import type { RouteSpec } from '../route';
import { endCitizenSession } from './citizenAuth';
import { certificateIdentity, issueSignatureChallenge, loginByCertificate, registerByCertificate } from './certificateAccess';
import {
  BusinessRegistrationBody,
  CertificateLoginBody,
  CertificateRegistrationBody,
  ChallengeBody,
  ChangePasswordBody,
  FlowTokenBody,
  ForgotPasswordBody,
  IdParams,
  ListQuery,
  LoginBody,
  MobileRegistrationBody,
  NewPasswordBody,
  NotificationQuery,
  OtpAnswerBody,
  SocialInsuranceRegistrationBody,
} from './inputs';
import { answerLoginCode, loginWithPassword, resendLoginCode } from './login';
import { answerRecoveryCode, changePassword, forgotPassword, resendRecoveryCode, resetPassword } from './password';
import { downloadDocument, listDocuments, listNotifications, markAllNotificationsRead, markNotificationRead, profile } from './portal';
import { answerRegistrationCode, completeRegistration, registerBusiness, registerByMobile, registerBySocialInsurance, resendRegistrationCode } from './registration';
import { SIGNER_PROTOCOL, SIGNER_PROTOCOL_VERSION } from '../../signer/protocol';
import { captchaOf, citizenConfigOf } from './services';

const CODE_SENT = '{status:"otp_sent", flowToken, phoneHint, otpExpiresAt, resendAfter, sendsLeft}';

export const citizenRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/citizen/captcha',
    access: 'public',
    summary: 'A new captcha for a public form: {captchaId, image (data:image/png;base64,…, 270×90), expiresAt}; each captcha answers one check',
    handler: async ({ ctx }) => {
      const c = await captchaOf(ctx).issue();
      return { body: { captchaId: c.captchaId, image: c.image, expiresAt: c.expiresAt.toISOString() }, headers: { 'cache-control': 'no-store' } };
    },
  },
  {
    method: 'post',
    path: '/api/citizen/register/mobile',
    access: 'public',
    action: 'citizen.register.start',
    summary: 'Registration by mobile subscriber: {idNumber (CCCD), fullName, birthDate, phone, email?, captchaId, captcha} → a code by SMS to the phone',
    input: { body: MobileRegistrationBody },
    output: CODE_SENT,
    handler: registerByMobile,
  },
  {
    method: 'post',
    path: '/api/citizen/register/social-insurance',
    access: 'public',
    action: 'citizen.register.start',
    summary: 'Registration by social-insurance number: {socialInsuranceNumber (10 digits), birthDate, email?, captchaId, captcha} → a code by SMS to the phone the registry knows',
    input: { body: SocialInsuranceRegistrationBody },
    output: CODE_SENT,
    handler: registerBySocialInsurance,
  },
  {
    method: 'post',
    path: '/api/citizen/register/business',
    access: 'public',
    action: 'citizen.register.start',
    summary:
      'Registration of a business: {taxCode, businessName, representativeIdNumber, representativeName, representativeBirthDate, phone, email, captchaId, captcha} → a code by SMS',
    input: { body: BusinessRegistrationBody },
    output: CODE_SENT,
    handler: registerBusiness,
  },
  {
    method: 'post',
    path: '/api/citizen/register/otp',
    access: 'public',
    action: 'citizen.register.otp',
    summary: 'Registration code step: {flowToken, code} → {status:"otp_verified", next:"password"}',
    input: { body: OtpAnswerBody },
    handler: answerRegistrationCode,
  },
  {
    method: 'post',
    path: '/api/citizen/register/otp/resend',
    access: 'public',
    action: 'citizen.register.resend',
    summary: '"Gửi lại OTP" during registration: {flowToken}; the new code replaces the old one',
    input: { body: FlowTokenBody },
    output: CODE_SENT,
    handler: resendRegistrationCode,
  },
  {
    method: 'post',
    path: '/api/citizen/register/complete',
    access: 'public',
    action: 'citizen.register.complete',
    summary: 'Registration password step: {flowToken, password, passwordConfirm} → 201 {status:"registered", account}',
    input: { body: NewPasswordBody },
    handler: completeRegistration,
  },
  {
    method: 'post',
    path: '/api/citizen/certificate/challenge',
    access: 'public',
    action: 'citizen.certificate.challenge',
    summary: 'A challenge to sign with a digital-signature certificate: {purpose: "register"|"login"} → 201 {challengeId, challenge, expiresAt} (5 minutes, single use)',
    input: { body: ChallengeBody },
    handler: issueSignatureChallenge,
  },
  {
    method: 'get',
    path: '/api/citizen/certificate/signer',
    access: 'public',
    summary: 'Where the portal page finds the citizen’s signing tool: {url (a loopback address, CITIZEN_SIGNER_URL), protocol, version} (signer/README.md)',
    handler: ({ ctx }) => ({ body: { url: citizenConfigOf(ctx).signerUrl, protocol: SIGNER_PROTOCOL, version: SIGNER_PROTOCOL_VERSION } }),
  },
  {
    method: 'post',
    path: '/api/citizen/certificate/identity',
    access: 'public',
    action: 'citizen.certificate.identity',
    summary:
      'Who a signed registration challenge names, before the rest is typed: {challengeId, signature, certificate?} → {idNumber, fullName, issuer, validTo, certificateSerial}; checks as registration does (409 ACCOUNT_EXISTS …) without using the challenge up',
    input: { body: CertificateLoginBody },
    handler: certificateIdentity,
  },
  {
    method: 'post',
    path: '/api/citizen/register/certificate',
    access: 'public',
    action: 'citizen.register.certificate',
    summary:
      'Registration by certificate (IAL3): {challengeId, signature (base64 CMS, or raw with certificate), certificate? (PEM), birthDate, phone, email?, password, passwordConfirm} → 201 {status:"registered", account}',
    input: { body: CertificateRegistrationBody },
    handler: registerByCertificate,
  },
  {
    method: 'post',
    path: '/api/citizen/login',
    access: 'public',
    action: 'citizen.login',
    summary: 'Password step: {username (ID number or tax code), password, captchaId, captcha} → a code by SMS: {status:"otp_required", flowToken, phoneHint, otpExpiresAt, resendAfter, sendsLeft}',
    input: { body: LoginBody },
    handler: loginWithPassword,
  },
  {
    method: 'post',
    path: '/api/citizen/login/otp',
    access: 'public',
    action: 'citizen.login.otp',
    summary: 'Code step: {flowToken, code} → {status:"ok", token, expiresAt, mustChangePassword, account}',
    input: { body: OtpAnswerBody },
    handler: answerLoginCode,
  },
  {
    method: 'post',
    path: '/api/citizen/login/otp/resend',
    access: 'public',
    action: 'citizen.login.resend',
    summary: '"Gửi lại OTP" during login: {flowToken}',
    input: { body: FlowTokenBody },
    output: CODE_SENT,
    handler: resendLoginCode,
  },
  {
    method: 'post',
    path: '/api/citizen/login/certificate',
    access: 'public',
    action: 'citizen.login.certificate',
    summary: 'Login by certificate: {challengeId, signature, certificate?} → {status:"ok", token, expiresAt, mustChangePassword, account}',
    input: { body: CertificateLoginBody },
    handler: loginByCertificate,
  },
  {
    method: 'post',
    path: '/api/citizen/password/forgot',
    access: 'public',
    action: 'citizen.password.forgot',
    summary: '"Quên mật khẩu": {username, captchaId, captcha} → a code by SMS to the account’s phone',
    input: { body: ForgotPasswordBody },
    output: CODE_SENT,
    handler: forgotPassword,
  },
  {
    method: 'post',
    path: '/api/citizen/password/forgot/otp',
    access: 'public',
    action: 'citizen.password.forgot.otp',
    summary: 'Recovery code step: {flowToken, code} → {status:"otp_verified", next:"password"}',
    input: { body: OtpAnswerBody },
    handler: answerRecoveryCode,
  },
  {
    method: 'post',
    path: '/api/citizen/password/forgot/resend',
    access: 'public',
    action: 'citizen.password.forgot.resend',
    summary: '"Gửi lại OTP" during recovery: {flowToken}',
    input: { body: FlowTokenBody },
    output: CODE_SENT,
    handler: resendRecoveryCode,
  },
  {
    method: 'post',
    path: '/api/citizen/password/reset',
    access: 'public',
    action: 'citizen.password.reset',
    summary: 'Recovery password step: {flowToken, password, passwordConfirm}; clears a lockout and the must-change flag, ends every session of the account',
    input: { body: NewPasswordBody },
    handler: resetPassword,
  },
  {
    method: 'post',
    path: '/api/citizen/password',
    access: 'citizen',
    openBeforePasswordChange: true,
    action: 'citizen.password.change',
    summary: 'Changes the caller’s password: {currentPassword, password, passwordConfirm}; ends the caller’s other sessions',
    input: { body: ChangePasswordBody },
    handler: changePassword,
  },
  {
    method: 'post',
    path: '/api/citizen/logout',
    access: 'citizen',
    openBeforePasswordChange: true,
    action: 'citizen.logout',
    summary: 'Ends the calling citizen session',
    handler: async ({ ctx, citizen, audit }) => {
      await endCitizenSession(ctx, citizen!.sessionId);
      audit.target = `citizen-account:${citizen!.accountId}`;
      audit.details = { sessionId: citizen!.sessionId };
      return { status: 204 };
    },
  },
  {
    method: 'get',
    path: '/api/citizen/me',
    access: 'citizen',
    openBeforePasswordChange: true,
    summary: 'The caller’s account: identity, contact, assuranceLevel (IAL2|IAL3), verifiedBy, mustChangePassword (no secrets)',
    handler: profile,
  },
  {
    method: 'get',
    path: '/api/citizen/documents',
    access: 'citizen',
    summary: 'The certified copies delivered to the caller, newest first ?page &pageSize',
    input: { query: ListQuery },
    output: '{total, page, pageSize, items: [{id, caseCode, kind, title, sha256, bytes, createdAt, downloadUrl}]}',
    handler: listDocuments,
  },
  {
    method: 'get',
    path: '/api/citizen/documents/:id',
    access: 'citizen',
    action: 'citizen.document.read',
    summary: 'Downloads one of the caller’s documents (PDF, shown inline)',
    input: { params: IdParams },
    handler: downloadDocument,
  },
  {
    method: 'get',
    path: '/api/citizen/notifications',
    access: 'citizen',
    summary: 'The caller’s notifications, newest first ?unread=true &page &pageSize',
    input: { query: NotificationQuery },
    output: '{total, unread, page, pageSize, items: [{id, kind, title, body, link, createdAt, readAt}]}',
    handler: listNotifications,
  },
  {
    method: 'post',
    path: '/api/citizen/notifications/:id/read',
    access: 'citizen',
    action: 'citizen.notification.read',
    summary: 'Marks one of the caller’s notifications read',
    input: { params: IdParams },
    handler: markNotificationRead,
  },
  {
    method: 'post',
    path: '/api/citizen/notifications/read-all',
    access: 'citizen',
    action: 'citizen.notification.read-all',
    summary: 'Marks all the caller’s notifications read',
    handler: markAllNotificationsRead,
  },
];
