/**
 * Registration and login with a digital-signature certificate (USB token or SIM, seed 001 ways 3
 * and 4; identity assurance level 3). The server issues a random challenge, kept for 5 minutes and
 * good for one use; the citizen's token signs it; infra/pki/challengeSignature.ts checks the
 * signature, the chain to a trusted authority (ours, and the public CAs of CITIZEN_TRUSTED_CA_FILE),
 * validity and revocation, and reads the ID number and name from the certificate. The certificate
 * proves who the citizen is, so registration asks only the date of birth (checked against the
 * CCCD's digits), phone, e-mail and password, and login needs no SMS code.
 *
 * The portal signs in the citizen's own signing tool (signer/protocol.ts) or in the page from a
 * .p12 file; either way it shows the identity the server read from the certificate (`identity`)
 * before asking for the rest, as the National portal does.
 */
import { randomBytes } from 'node:crypto';
import { challengeText } from '../../signer/protocol';
import { checkBirthDateAgainstCitizenId, validateCitizenId } from '../../domain/citizenId';
import { formatLocalDate } from '../../domain/calendar';
import { checkCitizenPassword } from '../../domain/citizenPassword';
import { hashPassword } from '../../infra/passwords';
import { verifyChallengeSignature, type VerifiedSigner } from '../../infra/pki/challengeSignature';
import { updateReturning } from '../auth/updateReturning';
import type { AppContext } from '../context';
import { ApiError, parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { accountTaken, insertAccount, loadProfile } from './accounts';
import { startCitizenSession } from './citizenAuth';
import { accountExists, certificateNotRegistered, challengeInvalid, invalidCredentials, ruleRefused } from './citizenErrors';
import { birthDateNotInFuture, CertificateLoginBody, CertificateRegistrationBody, ChallengeBody, fieldProblem } from './inputs';
import { citizenConfigOf, citizenTrust } from './services';

export async function issueSignatureChallenge(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const { purpose } = parseInput(ChallengeBody, call.req.body);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + citizenConfigOf(ctx).signatureChallengeTtlMs);
  // Readable, so a signing tool that shows what it signs shows where and why.
  const challenge = challengeText(purpose, now, randomBytes(32).toString('base64url'));
  await ctx.db.query(`delete from citizen_signature_challenges where expires_at < $1`, [new Date(now.getTime() - 86_400_000)]);
  const rows: Array<{ id: string }> = await ctx.db.query(
    `insert into citizen_signature_challenges (purpose, challenge, created_at, expires_at) values ($1, $2, $3, $4) returning id`,
    [purpose, challenge, now, expiresAt],
  );
  audit.details = { purpose, challengeId: rows[0].id };
  return { status: 201, body: { challengeId: rows[0].id, challenge, expiresAt: expiresAt.toISOString() } };
}

/**
 * Checks the signature on an open challenge. A bad signature uses the challenge up; a good one
 * leaves it to `use`, called once what the citizen typed has passed its checks, so a typo costs
 * no new signature while the challenge still opens one account or session at most.
 */
async function verifySigned(
  ctx: AppContext,
  purpose: 'register' | 'login',
  input: { challengeId: string; signature: string; certificate?: string },
): Promise<{ signer: VerifiedSigner; use: () => Promise<void> }> {
  const rows: Array<{ challenge: string }> = await ctx.db.query(
    `select challenge from citizen_signature_challenges where id = $1 and purpose = $2 and used_at is null and expires_at > $3`,
    [input.challengeId, purpose, ctx.clock.now()],
  );
  if (!rows[0]) throw challengeInvalid();
  const use = async () => {
    const now = ctx.clock.now();
    const used = await updateReturning<{ id: string }>(
      ctx.db,
      `update citizen_signature_challenges set used_at = $3 where id = $1 and purpose = $2 and used_at is null and expires_at > $3 returning id`,
      [input.challengeId, purpose, now],
    );
    if (!used[0]) throw challengeInvalid();
  };
  let signer: VerifiedSigner;
  try {
    signer = verifyChallengeSignature({ challenge: rows[0].challenge, signature: input.signature, certificate: input.certificate }, await citizenTrust(ctx));
  } catch (err) {
    await use().catch(() => undefined);
    throw err;
  }
  return { signer, use };
}

/** The ID number a new account gets from the certificate: a 12-digit CCCD nobody has registered yet. */
async function registrableIdNumber(ctx: AppContext, signer: VerifiedSigner, audit: Call['audit']): Promise<string> {
  const id = validateCitizenId(signer.idNumber, { allowLegacyCmnd: false });
  if (!id.ok) {
    throw new ApiError(
      422,
      'CERTIFICATE_ID_NOT_CCCD',
      'Chứng thư số ghi số CMND 9 chữ số; tài khoản mới cần số CCCD 12 chữ số. Vui lòng dùng chứng thư số ghi số CCCD hoặc đăng ký bằng số thuê bao di động.',
      'The certificate carries a 9-digit CMND number; a new account needs a 12-digit citizen ID.',
    );
  }
  if (await accountTaken(ctx.db, 'citizen', id.number)) {
    audit.details = { ...audit.details, reason: 'account-exists' };
    throw accountExists('citizen');
  }
  return id.number;
}

/**
 * "Hệ thống hiển thị thông tin đăng ký lấy từ chứng thư số": checks a signed registration
 * challenge as registration will, without using it up, and answers who the certificate names.
 */
export async function certificateIdentity(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const b = parseInput(CertificateLoginBody, call.req.body);
  audit.details = { challengeId: b.challengeId };
  const { signer } = await verifySigned(ctx, 'register', b);
  audit.actorName = `citizen:${signer.idNumber}`;
  audit.target = `citizen:${signer.idNumber}`;
  audit.details = { challengeId: b.challengeId, certificateSerial: signer.serial, issuer: signer.issuer };
  const idNumber = await registrableIdNumber(ctx, signer, audit);
  return {
    body: {
      idNumber,
      fullName: signer.fullName.replace(/\s+/g, ' ').trim(),
      issuer: signer.issuerName,
      validTo: signer.notAfter.toISOString(),
      certificateSerial: signer.serial,
    },
  };
}

export async function registerByCertificate(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const b = parseInput(CertificateRegistrationBody, call.req.body);
  birthDateNotInFuture('birthDate', b.birthDate, formatLocalDate(ctx.clock.now().getTime()));
  const rule = checkCitizenPassword(b.password, b.passwordConfirm);
  if (!rule.ok) throw ruleRefused(rule, 'password', { missing: rule.missing });
  audit.details = { path: 'certificate', challengeId: b.challengeId };
  const { signer, use } = await verifySigned(ctx, 'register', b);
  audit.actorName = `citizen:${signer.idNumber}`;
  audit.target = `citizen:${signer.idNumber}`;
  audit.details = { path: 'certificate', challengeId: b.challengeId, certificateSerial: signer.serial, issuer: signer.issuer };
  const idNumber = await registrableIdNumber(ctx, signer, audit);
  const birth = checkBirthDateAgainstCitizenId(idNumber, b.birthDate);
  if (!birth.ok) throw fieldProblem('birthDate', birth.messages.vi, birth.messages.en);
  const passwordHash = await hashPassword(b.password);
  await use();
  const now = ctx.clock.now();
  const accountId = await ctx.db.transaction((m) =>
    insertAccount(m, {
      kind: 'citizen',
      username: idNumber,
      idNumber,
      fullName: signer.fullName.replace(/\s+/g, ' ').trim(),
      birthDate: b.birthDate,
      phone: b.phone,
      email: b.email ?? null,
      assuranceLevel: 'IAL3',
      verifiedBy: 'certificate',
      certificateFingerprint: signer.certificateFingerprint,
      certificateSubject: signer.subject,
      passwordHash,
      createdAt: now,
    }),
  );
  audit.target = `citizen-account:${accountId}`;
  audit.details = { ...audit.details, accountId, assuranceLevel: 'IAL3', verifiedBy: 'certificate' };
  return { status: 201, body: { status: 'registered', account: await loadProfile(ctx.db, accountId) } };
}

interface CertificateAccountRow {
  id: string;
  username: string;
  status: string;
  verified_by: string;
  certificate_fingerprint: string | null;
}

export async function loginByCertificate(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  const b = parseInput(CertificateLoginBody, req.body);
  audit.details = { method: 'certificate', challengeId: b.challengeId };
  const { signer, use } = await verifySigned(ctx, 'login', b);
  await use();
  audit.actorName = `citizen:${signer.idNumber}`;
  audit.details = { method: 'certificate', challengeId: b.challengeId, certificateSerial: signer.serial };
  const byFingerprint: CertificateAccountRow[] = await ctx.db.query(
    `select id, username, status, verified_by, certificate_fingerprint from citizen_accounts where certificate_fingerprint = $1`,
    [signer.certificateFingerprint],
  );
  // A renewed certificate has a new fingerprint but the same ID number.
  const account =
    byFingerprint[0] ??
    ((await ctx.db.query(`select id, username, status, verified_by, certificate_fingerprint from citizen_accounts where kind = 'citizen' and id_number = $1`, [
      signer.idNumber,
    ])) as CertificateAccountRow[])[0];
  if (!account) {
    audit.details = { ...audit.details, reason: 'not-registered' };
    throw certificateNotRegistered();
  }
  audit.actorName = `citizen:${account.username}`;
  audit.target = `citizen-account:${account.id}`;
  if (account.status !== 'active') {
    audit.details = { ...audit.details, reason: 'disabled' };
    throw invalidCredentials();
  }
  if (!byFingerprint[0] && account.verified_by === 'certificate') {
    // The account was opened with the previous certificate: from now on the renewed one is its own.
    await ctx.db.query(`update citizen_accounts set certificate_fingerprint = $2, certificate_subject = $3 where id = $1`, [account.id, signer.certificateFingerprint, signer.subject]);
    audit.details = { ...audit.details, certificateRenewed: true };
  }
  const session = await startCitizenSession(ctx, account.id, 'certificate', req.ip ?? null);
  audit.details = { ...audit.details, sessionId: session.sessionId };
  const profile = await loadProfile(ctx.db, account.id);
  return { body: { status: 'ok', token: session.token, expiresAt: session.expiresAt.toISOString(), mustChangePassword: profile.mustChangePassword, account: profile } };
}
