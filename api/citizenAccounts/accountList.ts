/**
 * Looking an ID number up before a request (seed 000 part B step 1: an existing account is told
 * to the citizen and none is created), and the lists of the desk: the accounts opened at the
 * one-stop units of the officer's scope, and the requests made there.
 */
import { foldForSearch } from '../../domain/foldForSearch';
import { parseLocalDate } from '../../domain/calendar';
import type { AppContext } from '../context';
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { AccountListQuery, LookupQuery } from './inputs';

export interface ExistingAccount {
  createdAt: string;
  verifiedBy: string;
  unitName: string | null;
}

export async function existingAccountOf(ctx: AppContext, idNumber: string): Promise<ExistingAccount | undefined> {
  const rows: Array<{ created_at: Date; verified_by: string; unit_name: string | null }> = await ctx.db.query(
    `select a.created_at, a.verified_by, u.name as unit_name from citizen_accounts a left join units u on u.id = a.created_unit_id
     where a.kind = 'citizen' and a.id_number = $1`,
    [idNumber],
  );
  const r = rows[0];
  return r ? { createdAt: r.created_at.toISOString(), verifiedBy: r.verified_by, unitName: r.unit_name } : undefined;
}

export async function lookupAccount(call: Call): Promise<Reply> {
  const { idNumber } = parseInput(LookupQuery, call.req.query);
  const existing = await existingAccountOf(call.ctx, idNumber);
  // A request already under way elsewhere is worth knowing before the citizen is asked for a second code.
  const pending: Array<{ request_id: string; unit_name: string; officer_name: string; started_at: Date }> = await call.ctx.db.query(
    `select r.request_id, u.name as unit_name, o.full_name as officer_name, r.started_at from account_requests r
     join units u on u.id = r.unit_id join officers o on o.id = r.officer_id
     where r.id_number = $1 and r.ended_at is null order by r.started_at desc limit 5`,
    [idNumber],
  );
  return {
    body: {
      idNumber,
      exists: existing !== undefined,
      account: existing ?? null,
      message: existing
        ? `Số CCCD/CMND ${idNumber} đã có tài khoản: thông báo cho công dân, không tạo mới.`
        : `Chưa có tài khoản với số CCCD/CMND ${idNumber}: có thể tạo mới.`,
      pendingRequests: pending.map((r) => ({ requestId: r.request_id, unitName: r.unit_name, officerName: r.officer_name, startedAt: r.started_at.toISOString() })),
    },
  };
}

/** Start of a Hà Nội day, and the start of the day after `to`. */
const dayStart = (date: string) => new Date(parseLocalDate(date));
const dayAfter = (date: string) => new Date(parseLocalDate(date) + 86_400_000);

export async function listAccounts(call: Call): Promise<Reply> {
  const q = parseInput(AccountListQuery, call.req.query);
  const p = call.principal!;
  const where = ['a.created_unit_id = any($1::uuid[])'];
  const params: unknown[] = [[...p.scope]];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(clause(params.length));
  };
  if (q.name) add((n) => `a.full_name_search like $${n}`, `%${foldForSearch(q.name)}%`);
  if (q.phone) add((n) => `a.phone = $${n}`, q.phone);
  if (q.idNumber) add((n) => `a.id_number like $${n}`, `${q.idNumber}%`);
  if (q.officerId) add((n) => `a.created_by_officer_id = $${n}`, q.officerId);
  if (q.unitId) add((n) => `a.created_unit_id = $${n}`, q.unitId);
  if (q.from) add((n) => `a.created_at >= $${n}`, dayStart(q.from));
  if (q.to) add((n) => `a.created_at < $${n}`, dayAfter(q.to));
  const filter = where.join(' and ');
  const total: Array<{ n: number }> = await call.ctx.db.query(`select count(*)::int as n from citizen_accounts a where ${filter}`, params);
  const rows: Array<Record<string, unknown>> = await call.ctx.db.query(
    `select a.id as "accountId", a.full_name as "fullName", a.id_number as "idNumber", a.phone, a.email, a.birth_date::text as "birthDate",
            a.created_at as "createdAt", o.id as "officerId", o.full_name as "officerName", u.id as "unitId", u.code as "unitCode", u.name as "unitName",
            a.must_change_password as "mustChangePassword"
     from citizen_accounts a join officers o on o.id = a.created_by_officer_id join units u on u.id = a.created_unit_id
     where ${filter} order by a.created_at desc, a.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
    params,
  );
  const message = total[0]!.n === 0 ? 'Không tìm thấy tài khoản thỏa mãn các tiêu chí trên' : undefined;
  return { body: { items: rows, total: total[0]!.n, page: q.page, pageSize: q.pageSize, ...(message ? { message } : {}) } };
}

export async function listRequests(call: Call): Promise<Reply> {
  const q = parseInput(AccountListQuery, call.req.query);
  const p = call.principal!;
  const rows: Array<Record<string, unknown>> = await call.ctx.db.query(
    `select r.request_id as "requestId", r.status, r.full_name as "fullName", r.id_number as "idNumber", r.phone, r.started_at as "startedAt",
            r.ended_at as "endedAt", r.end_reason as "endReason", r.otp_sends as "otpSends", o.full_name as "officerName", u.name as "unitName"
     from account_requests r join officers o on o.id = r.officer_id join units u on u.id = r.unit_id
     where r.unit_id = any($1::uuid[]) and ($2::uuid is null or r.officer_id = $2)
     order by r.started_at desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
    [[...p.scope], q.officerId ?? null],
  );
  return { body: { items: rows, page: q.page, pageSize: q.pageSize } };
}
