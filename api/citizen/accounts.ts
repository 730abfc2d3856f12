/**
 * Citizen accounts as the portal reads and writes them: opening one (one per ID number for a
 * citizen, one per tax code for a business, whoever opened it), the profile a citizen sees, and
 * the wrong-password counter that locks an account for a while.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { foldForSearch } from '../../domain/foldForSearch';
import { updateReturning } from '../auth/updateReturning';
import type { AppContext } from '../context';
import { accountExists, certificateAlreadyUsed } from './citizenErrors';
import { citizenConfigOf } from './services';

export interface NewAccount {
  kind: 'citizen' | 'business';
  username: string;
  idNumber: string;
  fullName: string;
  birthDate: string | null;
  phone: string;
  email: string | null;
  businessName?: string;
  taxCode?: string;
  socialInsuranceNumber?: string;
  assuranceLevel: 'IAL2' | 'IAL3';
  verifiedBy: 'mobile' | 'social_insurance' | 'certificate';
  certificateFingerprint?: string;
  certificateSubject?: string;
  passwordHash: string;
  createdAt: Date;
}

/** Whether an account already holds this username (or, for a citizen, this ID number). */
export async function accountTaken(db: DataSource | EntityManager, kind: 'citizen' | 'business', username: string): Promise<boolean> {
  const rows: unknown[] = await db.query(
    kind === 'citizen'
      ? `select 1 from citizen_accounts where username = $1 or (kind = 'citizen' and id_number = $1) limit 1`
      : `select 1 from citizen_accounts where username = $1 limit 1`,
    [username],
  );
  return rows.length > 0;
}

function isUniqueViolation(err: unknown): err is { code: string; constraint?: string } {
  const e = err as { code?: string; driverError?: { code?: string } };
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

/** Inserts the account; a duplicate (another registration or the desk got there first) is the usual 409. */
export async function insertAccount(m: EntityManager, a: NewAccount): Promise<string> {
  // A savepoint, so a duplicate leaves the caller's transaction usable for its rollback.
  await m.query('savepoint insert_account');
  try {
    const rows: Array<{ id: string }> = await m.query(
      `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, email, business_name, tax_code,
         social_insurance_number, assurance_level, verified_by, certificate_fingerprint, certificate_subject, password_hash,
         must_change_password, password_changed_at, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, false, $17, $17) returning id`,
      [
        a.kind,
        a.username,
        a.idNumber,
        a.fullName,
        foldForSearch(a.fullName),
        a.birthDate,
        a.phone,
        a.email,
        a.businessName ?? null,
        a.taxCode ?? null,
        a.socialInsuranceNumber ?? null,
        a.assuranceLevel,
        a.verifiedBy,
        a.certificateFingerprint ?? null,
        a.certificateSubject ?? null,
        a.passwordHash,
        a.createdAt,
      ],
    );
    await m.query('release savepoint insert_account');
    return rows[0].id;
  } catch (err) {
    await m.query('rollback to savepoint insert_account');
    if (!isUniqueViolation(err)) throw err;
    const constraint = (err as { constraint?: string; driverError?: { constraint?: string } }).constraint ?? (err as { driverError?: { constraint?: string } }).driverError?.constraint;
    if (constraint === 'citizen_accounts_certificate_fingerprint_key') throw certificateAlreadyUsed();
    throw accountExists(a.kind);
  }
}

const VERIFIED_BY_VI: Readonly<Record<string, string>> = {
  desk: 'Tạo tại Bộ phận một cửa (cán bộ đối chiếu giấy tờ)',
  mobile: 'Thuê bao di động',
  social_insurance: 'Bảo hiểm xã hội',
  certificate: 'Chữ ký số (USB ký số / SIM ký số)',
};

interface ProfileRow {
  id: string;
  kind: 'citizen' | 'business';
  username: string;
  id_number: string;
  full_name: string;
  birth_date: string | null;
  phone: string;
  email: string | null;
  business_name: string | null;
  tax_code: string | null;
  social_insurance_number: string | null;
  assurance_level: 'IAL2' | 'IAL3';
  verified_by: string;
  certificate_subject: string | null;
  must_change_password: boolean;
  password_changed_at: Date | null;
  created_at: Date;
}

/** What a citizen sees of the account: no hash, no counters, no certificate fingerprint. */
export async function loadProfile(db: DataSource, accountId: string) {
  const rows: ProfileRow[] = await db.query(
    `select id, kind, username, id_number, full_name, to_char(birth_date, 'YYYY-MM-DD') as birth_date, phone, email, business_name, tax_code,
            social_insurance_number, assurance_level, verified_by, certificate_subject, must_change_password, password_changed_at, created_at
     from citizen_accounts where id = $1`,
    [accountId],
  );
  const r = rows[0];
  return {
    id: r.id,
    kind: r.kind,
    username: r.username,
    idNumber: r.id_number,
    fullName: r.full_name,
    birthDate: r.birth_date,
    phone: r.phone,
    email: r.email,
    businessName: r.business_name,
    taxCode: r.tax_code,
    socialInsuranceNumber: r.social_insurance_number,
    assuranceLevel: r.assurance_level,
    verifiedBy: r.verified_by,
    verifiedByLabel: VERIFIED_BY_VI[r.verified_by] ?? r.verified_by,
    certificateSubject: r.certificate_subject,
    mustChangePassword: r.must_change_password,
    passwordChangedAt: r.password_changed_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

export type FailedPasswordOutcome = { kind: 'counted'; failedLogins: number } | { kind: 'locked-now'; until: Date } | { kind: 'already-locked'; until: Date };

/** One more wrong password; the one that reaches the limit locks the account (api/auth/lockout.ts, for citizens). */
export async function recordFailedPassword(ctx: AppContext, accountId: string): Promise<FailedPasswordOutcome> {
  const c = citizenConfigOf(ctx);
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + c.lockoutMs);
  const rows = await updateReturning<{ failed_logins: number; locked_until: Date | null }>(
    ctx.db,
    `update citizen_accounts set
       failed_logins = case when failed_logins + 1 >= $2 then 0 else failed_logins + 1 end,
       locked_until = case when failed_logins + 1 >= $2 then $3::timestamptz else null end
     where id = $1 and (locked_until is null or locked_until <= $4)
     returning failed_logins, locked_until`,
    [accountId, c.maxFailedLogins, until, now],
  );
  const row = rows[0];
  if (!row) {
    const current: Array<{ locked_until: Date | null }> = await ctx.db.query('select locked_until from citizen_accounts where id = $1', [accountId]);
    return { kind: 'already-locked', until: current[0]?.locked_until ?? until };
  }
  return row.locked_until ? { kind: 'locked-now', until: row.locked_until } : { kind: 'counted', failedLogins: row.failed_logins };
}

/** A right password clears the counter, unless the account got locked meanwhile (then the lock's end is returned). */
export async function recordRightPassword(ctx: AppContext, accountId: string): Promise<{ lockedUntil?: Date }> {
  const now = ctx.clock.now();
  const rows = await updateReturning<{ id: string }>(
    ctx.db,
    `update citizen_accounts set failed_logins = 0, locked_until = null where id = $1 and (locked_until is null or locked_until <= $2) returning id`,
    [accountId, now],
  );
  if (rows[0]) return {};
  const current: Array<{ locked_until: Date | null }> = await ctx.db.query('select locked_until from citizen_accounts where id = $1', [accountId]);
  return { lockedUntil: current[0]?.locked_until ?? now };
}

/** Ends the account's sessions except `keep`; answers how many ended. */
export async function endOtherSessions(m: DataSource | EntityManager, accountId: string, keep: string | null, at: Date): Promise<number> {
  const closed = await updateReturning<{ id: string }>(
    m,
    `update citizen_sessions set ended_at = $3 where account_id = $1 and ended_at is null and ($2::uuid is null or id <> $2::uuid) returning id`,
    [accountId, keep, at],
  );
  return closed.length;
}
