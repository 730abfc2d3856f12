/**
 * What the citizen-account workflow asks of the outside world: look the ID number up, keep the
 * request's papers (the ID scan and the request form) and its row in the desk's list, send the
 * one-time codes, open the account, and send the temporary password.
 *
 * Every activity is safe to run twice: papers are written under fixed names, the row is keyed by
 * the request, a code is derived from the request and its send number (infra/otpCodes.ts) and its
 * SMS is keyed the same way, the account is keyed by the request that opened it, and the password
 * SMS is keyed by the account — a retry finds what the first run did instead of doing it again.
 */
import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { foldForSearch } from '../domain/foldForSearch';
import { EXTENSION } from '../infra/fileContent';
import { FileStore } from '../infra/fileStore';
import type { OtpCodes } from '../infra/otpCodes';
import { hashPassword } from '../infra/passwords';
import { renderAccountRequestForm } from '../infra/pdf/accountRequestForm';
import type { SmsSender } from '../infra/sms/smsSender';
import { accountFailure } from '../workflows/citizenAccount/failures';
import type { AccountCitizen, AccountOfficer, AccountRequestStatus, IdScanRef } from '../workflows/citizenAccount/types';
import { sha256, writeFileIn } from './certification/files';

export interface CitizenAccountDeps {
  db: DataSource;
  filesDir: string;
  now: () => Date;
  sms: SmsSender;
  otpCodes: OtpCodes;
}

export interface ExistingAccount {
  createdAt: string;
  verifiedBy: string;
  unitName: string | null;
}

export interface PrepareRequestInput {
  requestId: string;
  workflowId: string;
  citizen: AccountCitizen;
  unit: { id: string; code: string; name: string };
  officer: AccountOfficer;
  idScan: IdScanRef;
  startedAt: string;
}

export interface PreparedRequest {
  idScanPath: string;
  form: { path: string; sha256: string };
}

export interface RequestProjection {
  requestId: string;
  status: AccountRequestStatus;
  otpSends: number;
  otpWrongTries: number;
  accountId: string | null;
  updatedAt: string;
  endedAt: string | null;
  endReason: string | null;
}

export interface SendOtpInput {
  requestId: string;
  /** 1 for the first code, 2 for the first re-send, … */
  sendNo: number;
  phone: string;
  ttlMinutes: number;
  unitName: string;
}

export interface CreateAccountInput {
  requestId: string;
  citizen: AccountCitizen;
  unitId: string;
  unitName: string;
  officerId: string;
  idScanPath: string;
  idScanSha256: string;
  createdAt: string;
}

export interface CreatedAccount {
  accountId: string;
  username: string;
  createdAt: string;
}

export interface SendPasswordInput {
  accountId: string;
  phone: string;
  unitName: string;
}

function requestFolder(requestId: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(requestId)) throw new Error(`unsafe request id for a folder name: ${JSON.stringify(requestId)}`);
  return `account-requests/${requestId}`;
}

/** Temporary passwords meet the portal's own rule: lower and upper case, a digit and a special character. */
export function temporaryPassword(): string {
  const pick = (chars: string) => chars[randomInt(chars.length)]!;
  const lower = 'abcdefghijkmnpqrstuvwxyz';
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const special = '@#$%&*!?';
  const chars = [pick(upper), pick(lower), pick(lower), pick(lower), pick(digits), pick(digits), pick(special), pick(lower), pick(upper), pick(digits)];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

export function createCitizenAccountActivities(deps: CitizenAccountDeps) {
  const { db, filesDir, now, sms, otpCodes } = deps;

  async function lookupCitizenAccount(input: { idNumber: string }): Promise<ExistingAccount | null> {
    const rows: Array<{ created_at: Date; verified_by: string; unit_name: string | null }> = await db.query(
      `select a.created_at, a.verified_by, u.name as unit_name from citizen_accounts a left join units u on u.id = a.created_unit_id
       where a.kind = 'citizen' and a.id_number = $1`,
      [input.idNumber],
    );
    const row = rows[0];
    return row ? { createdAt: row.created_at.toISOString(), verifiedBy: row.verified_by, unitName: row.unit_name } : null;
  }

  async function prepareAccountRequest(input: PrepareRequestInput): Promise<PreparedRequest> {
    const folder = requestFolder(input.requestId);
    const scan = await new FileStore(db, { now }, { dir: filesDir, maxBytes: Number.MAX_SAFE_INTEGER }).get(input.idScan.fileId);
    if (!scan || scan.sha256 !== input.idScan.sha256) throw new Error(`the ID scan ${input.idScan.fileId} is missing or changed since it was uploaded`);
    const idScanPath = await writeFileIn(filesDir, folder, `cccd.${EXTENSION[scan.mimeType] ?? 'bin'}`, scan.data);
    const pdf = await renderAccountRequestForm({
      requestId: input.requestId,
      idNumber: input.citizen.idNumber,
      fullName: input.citizen.fullName,
      birthDate: input.citizen.birthDate,
      phone: input.citizen.phone,
      email: input.citizen.email,
      unit: { code: input.unit.code, name: input.unit.name },
      officer: { fullName: input.officer.fullName, phone: input.officer.phone },
      createdAt: input.startedAt,
    });
    const formPath = await writeFileIn(filesDir, folder, 'giay-de-nghi-tao-tai-khoan.pdf', pdf);
    const c = input.citizen;
    await db.query(
      `insert into account_requests (request_id, workflow_id, id_number, full_name, full_name_search, birth_date, phone, email, unit_id, officer_id,
         status, id_scan_path, id_scan_sha256, form_path, started_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'awaiting_otp', $11, $12, $13, $14, $14)
       on conflict (request_id) do update set form_path = excluded.form_path, id_scan_path = excluded.id_scan_path`,
      [input.requestId, input.workflowId, c.idNumber, c.fullName, foldForSearch(c.fullName), c.birthDate, c.phone, c.email, input.unit.id, input.officer.officerId,
        idScanPath, scan.sha256, formPath, new Date(input.startedAt)],
    );
    return { idScanPath, form: { path: formPath, sha256: sha256(pdf) } };
  }

  async function projectAccountRequest(p: RequestProjection): Promise<void> {
    // Older projections arriving late (a retry) never overwrite newer ones.
    await db.query(
      `update account_requests set status = $2, otp_sends = $3, otp_wrong_tries = $4, account_id = $5, updated_at = $6, ended_at = $7, end_reason = $8
       where request_id = $1 and updated_at <= $6`,
      [p.requestId, p.status, p.otpSends, p.otpWrongTries, p.accountId, new Date(p.updatedAt), p.endedAt ? new Date(p.endedAt) : null, p.endReason],
    );
  }

  async function sendAccountOtp(input: SendOtpInput): Promise<{ codeDigest: string }> {
    const code = otpCodes.code(`account-request:${input.requestId}:${input.sendNo}`);
    await sms.send(
      input.phone,
      `[${input.unitName}] Mã OTP xác nhận tạo tài khoản dịch vụ công: ${code}. Mã có hiệu lực ${input.ttlMinutes} phút. Không cung cấp mã cho người khác.`,
      'account-otp',
      { key: `account-request:${input.requestId}:otp:${input.sendNo}`, secrets: [code] },
    );
    return { codeDigest: otpCodes.digest(input.requestId, code) };
  }

  async function createCitizenAccount(input: CreateAccountInput): Promise<CreatedAccount> {
    const c = input.citizen;
    return db.transaction(async (m) => {
      // The request's key makes a retry find its own account; the ID number's index refuses anyone else's.
      await m.query(
        `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, email, assurance_level, verified_by,
           must_change_password, created_at, created_by_officer_id, created_unit_id, created_by_request, id_scan_path, id_scan_sha256)
         values ('citizen', $1, $1, $2, $3, $4, $5, $6, 'IAL2', 'desk', true, $7, $8, $9, $10, $11, $12)
         on conflict do nothing`,
        [c.idNumber, c.fullName, foldForSearch(c.fullName), c.birthDate, c.phone, c.email, new Date(input.createdAt), input.officerId, input.unitId,
          input.requestId, input.idScanPath, input.idScanSha256],
      );
      const rows: Array<{ id: string; username: string; created_at: Date; created_by_request: string | null }> = await m.query(
        `select id, username, created_at, created_by_request from citizen_accounts where (kind = 'citizen' and id_number = $1) or username = $1`,
        [c.idNumber],
      );
      const own = rows.find((r) => r.created_by_request === input.requestId);
      if (!own) {
        throw accountFailure(
          'ACCOUNT_EXISTS',
          `Công dân có số CCCD/CMND ${c.idNumber} đã có tài khoản: không tạo mới. Đề nghị công dân đăng nhập, hoặc chọn “Quên mật khẩu” nếu không nhớ mật khẩu.`,
          `An account already exists for ID number ${c.idNumber}; none was created.`,
        );
      }
      await m.query(
        `insert into citizen_notifications (id_number, kind, title, body, dedupe_key, created_at) values ($1, 'account_created', $2, $3, $4, $5)
         on conflict (dedupe_key) do nothing`,
        [c.idNumber, 'Tài khoản dịch vụ công đã được tạo', `Tài khoản của bạn được tạo tại ${input.unitName}. Hãy đổi mật khẩu được gửi qua SMS ở lần đăng nhập đầu tiên.`,
          `account:${own.id}:created`, new Date(input.createdAt)],
      );
      return { accountId: own.id, username: own.username, createdAt: own.created_at.toISOString() };
    });
  }

  async function sendTemporaryPassword(input: SendPasswordInput): Promise<{ status: 'sent' | 'already_sent' }> {
    const key = `account:${input.accountId}:password`;
    // Two runs of this activity at once (a timed-out attempt still running) take turns: the second
    // finds the first's message and leaves the password it sent in place.
    return db.transaction(async (m) => {
      await m.query('select pg_advisory_xact_lock(hashtext($1))', [key]);
      const earlier: Array<{ id: string }> = await m.query(`select id from sms_outbox where dedupe_key = $1 and status <> 'failed'`, [key]);
      if (earlier[0]) return { status: 'already_sent' as const };
      const password = temporaryPassword();
      await m.query(`update citizen_accounts set password_hash = $2, must_change_password = true, password_changed_at = $3 where id = $1`, [
        input.accountId,
        await hashPassword(password),
        now(),
      ]);
      // A failed send rolls the password back with the transaction; the retry makes a new one.
      await sms.send(
        input.phone,
        `[${input.unitName}] Tài khoản dịch vụ công của bạn đã được tạo. Tên đăng nhập: số CCCD/CMND. Mật khẩu tạm thời: ${password} — đổi mật khẩu khi đăng nhập lần đầu.`,
        'account-password',
        { key, secrets: [password] },
      );
      return { status: 'sent' as const };
    });
  }

  return { lookupCitizenAccount, prepareAccountRequest, projectAccountRequest, sendAccountOtp, createCitizenAccount, sendTemporaryPassword };
}

export type CitizenAccountActivities = ReturnType<typeof createCitizenAccountActivities>;
