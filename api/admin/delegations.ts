/**
 * Signing delegations (seed 000 part A, Nghị định 32/2021/NĐ-CP art. 7 §3): a leader holding
 * CERT_SIGN lets another officer of the unit — typically the công chức Tư pháp – Hộ tịch — sign
 * certified copies for a period. The record keeps who delegated, to whom, for which unit, when
 * and why, and who ended it early.
 *
 * A delegation given for a unit covers that unit and its sub-units. It cannot start in the past
 * (a signature must never become authorised after the fact) and lasts at most one year. It may be
 * revoked by the leader who gave it, or by a user administrator of the unit who also holds
 * CERT_SIGN (the route requires it); deactivating either officer, or taking CERT_SIGN from the
 * leader, ends it too.
 *
 * It also records the legal form of the signatures made under it (domain/signatureBlock.ts):
 * KT. when the delegate is a deputy leader, TUQ. otherwise, with the head's title and the
 * delegate's own, taken from the officers' job titles when it is given.
 */
import { z } from 'zod';
import { delegatedSignatureOf, type DelegatedSignature, type DelegationForm } from '../../domain/signatureBlock';
import { ApiError, notFound, parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { type Queryable, unitInScope } from './access';
import { optionalQuery, pageField, pageSizeField, required, tidyName, uuidOf } from './inputs';

/** How far in the past a delegation may start: the clocks of browser and server differ a little. */
const BACKDATE_TOLERANCE_MS = 5 * 60_000;

export interface ActiveDelegation {
  id: string;
  unitId: string;
  fromOfficerId: string;
  /** The delegating leader's name, as the copy's signature facts record it. */
  fromOfficerName: string;
  toOfficerId: string;
  validFrom: Date;
  validTo: Date;
  reason: string;
  /** The legal form of a signature under it. */
  signature: DelegatedSignature;
}

interface RecordedForm {
  form: DelegationForm | null;
  headTitle: string | null;
  delegateTitle: string | null;
  /** The officers' job titles now, for a row written without its form. */
  fromTitle: string | null;
  toTitle: string | null;
}

/** The form a delegation recorded; a row from before forms were recorded gets the one it would have got. */
function signatureOf(r: RecordedForm): DelegatedSignature {
  const derived = delegatedSignatureOf(r.fromTitle, r.toTitle);
  return { form: r.form ?? derived.form, headTitle: r.headTitle ?? derived.headTitle, signerTitle: r.delegateTitle ?? derived.signerTitle };
}

/**
 * The delegations that let `officerId` sign for `unitId` at the instant `at`: given for that unit
 * or one above it, started, not yet ended, and not revoked before `at` (so a past signature is
 * judged by the delegations in force when it was made).
 */
export async function activeDelegationsFor(db: Queryable, officerId: string, unitId: string, at: Date): Promise<ActiveDelegation[]> {
  const rows: Array<Omit<ActiveDelegation, 'signature'> & RecordedForm> = await db.query(
    `select d.id, d.unit_id as "unitId", d.from_officer_id as "fromOfficerId", f.full_name as "fromOfficerName", d.to_officer_id as "toOfficerId",
            d.valid_from as "validFrom", d.valid_to as "validTo", d.reason,
            d.form, d.head_title as "headTitle", d.delegate_title as "delegateTitle", f.job_title as "fromTitle", t.job_title as "toTitle"
     from signing_delegations d
     join officers f on f.id = d.from_officer_id
     join officers t on t.id = d.to_officer_id
     join units du on du.id = d.unit_id
     join units cu on cu.id = $2 and cu.path like du.path || '%'
     where d.to_officer_id = $1 and d.scope = 'CERT_SIGN'
       and d.valid_from <= $3 and d.valid_to > $3 and (d.revoked_at is null or d.revoked_at > $3)
     order by d.valid_from, d.id`,
    [officerId, unitId, at],
  );
  return rows.map(({ form, headTitle, delegateTitle, fromTitle, toTitle, ...d }) => ({ ...d, signature: signatureOf({ form, headTitle, delegateTitle, fromTitle, toTitle }) }));
}

/** Ends the current and future delegations given by, received by, or involving an officer; returns how many. */
export async function revokeOpenDelegations(
  db: Queryable,
  who: { officerId: string; direction: 'from' | 'both' },
  revokedBy: string,
  now: Date,
): Promise<number> {
  const involves = who.direction === 'from' ? 'from_officer_id = $1' : '(from_officer_id = $1 or to_officer_id = $1)';
  const rows: Array<{ n: number }> = await db.query(
    `with r as (update signing_delegations set revoked_at = $3, revoked_by = $2
                where ${involves} and revoked_at is null and valid_to > $3 returning 1)
     select count(*)::int as n from r`,
    [who.officerId, revokedBy, now],
  );
  return rows[0].n;
}

type DelegationStatus = 'scheduled' | 'active' | 'expired' | 'revoked';

/** The status at the instant in parameter `now` (e.g. '$1'). */
const statusSql = (now: string) =>
  `case when d.revoked_at is not null then 'revoked' when d.valid_from > ${now} then 'scheduled'
        when d.valid_to <= ${now} then 'expired' else 'active' end`;

interface DelegationView {
  id: string;
  unit: { id: string; code: string; name: string };
  fromOfficer: { id: string; username: string; fullName: string };
  toOfficer: { id: string; username: string; fullName: string };
  scope: string;
  validFrom: Date;
  validTo: Date;
  reason: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
  status: DelegationStatus;
  /** KT. or TUQ., the head's title and the delegate's, as copies signed under it show them. */
  signature: DelegatedSignature;
}

/** Selects DelegationView rows, their status at the instant in parameter `now`. */
const selectView = (now: string) => `
  select d.id, json_build_object('id', u.id, 'code', u.code, 'name', u.name) as unit,
         json_build_object('id', f.id, 'username', f.username, 'fullName', f.full_name) as "fromOfficer",
         json_build_object('id', t.id, 'username', t.username, 'fullName', t.full_name) as "toOfficer",
         d.scope, d.valid_from as "validFrom", d.valid_to as "validTo", d.reason, d.created_at as "createdAt", d.created_by as "createdBy",
         d.revoked_at as "revokedAt", d.revoked_by as "revokedBy", ${statusSql(now)} as status,
         d.form, d.head_title as "headTitle", d.delegate_title as "delegateTitle", f.job_title as "fromTitle", t.job_title as "toTitle"
  from signing_delegations d
  join units u on u.id = d.unit_id
  join officers f on f.id = d.from_officer_id
  join officers t on t.id = d.to_officer_id`;

type ViewRow = Omit<DelegationView, 'signature'> & RecordedForm;

function viewOf({ form, headTitle, delegateTitle, fromTitle, toTitle, ...d }: ViewRow): DelegationView {
  return { ...d, signature: signatureOf({ form, headTitle, delegateTitle, fromTitle, toTitle }) };
}

async function loadDelegation(db: Queryable, id: string, now: Date): Promise<DelegationView | undefined> {
  const rows: ViewRow[] = await db.query(`${selectView('$1')} where d.id = $2`, [now, id]);
  return rows[0] && viewOf(rows[0]);
}

const instant = (label: string) =>
  z
    .iso.datetime({ offset: true, error: required(`thiếu ${label}`, `${label} phải theo ISO 8601, ví dụ 2026-11-23T08:00:00+07:00`) })
    .transform((v) => new Date(v));

function oneYearAfter(d: Date): Date {
  const end = new Date(d.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end;
}

const CreateBody = z
  .object(
    {
      unitId: uuidOf('mã đơn vị'),
      toOfficerId: uuidOf('người được ủy quyền'),
      validFrom: instant('thời điểm bắt đầu'),
      validTo: instant('thời điểm kết thúc'),
      reason: z
        .string({ error: required('thiếu lý do ủy quyền', 'lý do ủy quyền phải là chuỗi ký tự') })
        .transform(tidyName)
        .pipe(
          z
            .string()
            .min(3, { error: 'lý do ủy quyền phải có ít nhất 3 ký tự' })
            .max(500, { error: 'lý do ủy quyền dài tối đa 500 ký tự' }),
        ),
    },
    { error: 'nội dung gửi lên phải là một đối tượng JSON' },
  )
  .superRefine((b, ctx) => {
    // zod runs this even when a field already failed (an empty form): only two real instants compare.
    if (!(b.validFrom instanceof Date) || !(b.validTo instanceof Date)) return;
    if (b.validTo.getTime() <= b.validFrom.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'thời điểm kết thúc phải sau thời điểm bắt đầu', params: { en: 'must be after the start' } });
    } else if (b.validTo.getTime() > oneYearAfter(b.validFrom).getTime()) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'ủy quyền ký kéo dài tối đa 1 năm kể từ thời điểm bắt đầu', params: { en: 'a delegation lasts at most one year from its start' } });
    }
  });

const ListQuery = z.object({
  unitId: optionalQuery(uuidOf('mã đơn vị')),
  status: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .enum(['scheduled', 'active', 'expired', 'revoked', 'all'], {
        error: 'trạng thái phải là scheduled (chưa bắt đầu), active (đang hiệu lực), expired (hết hạn), revoked (đã thu hồi) hoặc all',
      })
      .default('all'),
  ),
  page: pageField,
  pageSize: pageSizeField(100, 50),
});

const IdParams = z.object({ id: uuidOf('mã ủy quyền') });

const delegationNotFound = () => notFound('ủy quyền ký', 'Delegation');

export const delegationRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/delegations',
    access: { right: 'CERT_SIGN' },
    action: 'delegation.create',
    summary:
      'The caller delegates signing for a unit of his scope {unitId, toOfficerId (active, of that unit or below; GET /api/delegations/candidates lists them), validFrom, validTo (ISO instants; after validFrom, at most one year; not in the past), reason}; the delegation records its legal form from the job titles: KT. for a deputy leader (Phó …), TUQ. otherwise, with the head’s title and the delegate’s',
    input: { body: CreateBody },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const p = principal!;
      const body = parseInput(CreateBody, req.body);
      call.audit.unitId = body.unitId;
      call.audit.details = { toOfficerId: body.toOfficerId, validFrom: body.validFrom.toISOString(), validTo: body.validTo.toISOString() };
      const unit = await unitInScope(ctx.db, p, body.unitId);
      const now = ctx.clock.now();
      if (body.toOfficerId === p.officerId) {
        throw new ApiError(422, 'DELEGATION_TO_SELF', 'Không thể tự ủy quyền ký cho chính mình.', 'You cannot delegate signing to yourself.');
      }
      if (body.validFrom.getTime() < now.getTime() - BACKDATE_TOLERANCE_MS) {
        throw new ApiError(
          422,
          'DELEGATION_BACKDATED',
          'Không thể ủy quyền ký hồi tố: thời điểm bắt đầu không được ở trong quá khứ.',
          'A delegation cannot start in the past.',
        );
      }
      const id = await ctx.db.transaction(async (m) => {
        // Locking the delegate serialises two delegations to him, so the overlap check below holds.
        const delegates: Array<{ full_name: string; status: string; job_title: string | null; in_unit: boolean }> = await m.query(
          `select o.full_name, o.status, o.job_title,
                  exists (select 1 from officer_units ou join units u on u.id = ou.unit_id
                          where ou.officer_id = o.id and u.path like $2 || '%') as in_unit
           from officers o where o.id = $1 for update of o`,
          [body.toOfficerId, unit.path],
        );
        const delegate = delegates[0];
        if (!delegate || !delegate.in_unit) {
          throw new ApiError(
            422,
            'DELEGATE_NOT_IN_UNIT',
            `Người được ủy quyền phải là công chức thuộc ${unit.name} (${unit.code}) hoặc đơn vị trực thuộc.`,
            `The delegate must be an officer of ${unit.code} or a unit below it.`,
          );
        }
        if (delegate.status !== 'active') {
          throw new ApiError(
            422,
            'DELEGATE_INACTIVE',
            `Tài khoản của ${delegate.full_name} đang ngừng hoạt động, không thể nhận ủy quyền ký.`,
            'The delegate’s account is inactive.',
          );
        }
        const overlapping: Array<{ id: string }> = await m.query(
          `select id from signing_delegations
           where unit_id = $1 and from_officer_id = $2 and to_officer_id = $3 and revoked_at is null and valid_from < $5 and valid_to > $4`,
          [body.unitId, p.officerId, body.toOfficerId, body.validFrom, body.validTo],
        );
        if (overlapping[0]) {
          throw new ApiError(
            409,
            'DELEGATION_OVERLAPS',
            `Bạn đã ủy quyền ký cho ${delegate.full_name} tại ${unit.name} trong khoảng thời gian trùng lặp; hãy thu hồi ủy quyền cũ trước khi tạo ủy quyền mới.`,
            'You already delegated signing to this officer for this unit over an overlapping period.',
            { existingDelegationId: overlapping[0].id },
          );
        }
        const delegator: Array<{ job_title: string | null }> = await m.query('select job_title from officers where id = $1', [p.officerId]);
        const signature = delegatedSignatureOf(delegator[0]?.job_title, delegate.job_title);
        const rows: Array<{ id: string }> = await m.query(
          `insert into signing_delegations (unit_id, from_officer_id, to_officer_id, scope, valid_from, valid_to, reason, created_at, created_by, form, head_title, delegate_title)
           values ($1, $2, $3, 'CERT_SIGN', $4, $5, $6, $7, $2, $8, $9, $10) returning id`,
          [body.unitId, p.officerId, body.toOfficerId, body.validFrom, body.validTo, body.reason, now, signature.form, signature.headTitle, signature.signerTitle],
        );
        return rows[0].id;
      });
      call.audit.target = `delegation:${id}`;
      return { status: 201, body: await loadDelegation(ctx.db, id, now) };
    },
  },
  {
    method: 'get',
    path: '/api/delegations',
    access: { right: 'CERT_SIGN' },
    summary:
      'Signing delegations for units of the caller’s scope (?unitId with its sub-units, &status=scheduled|active|expired|revoked|all), newest first, with paging; each with signature {form KT|TUQ, headTitle, signerTitle}',
    input: { query: ListQuery },
    handler: async ({ req, ctx, principal }) => {
      const p = principal!;
      const q = parseInput(ListQuery, req.query);
      const now = ctx.clock.now();
      // $1 is "now" in both queries, so every parameter is used and typed.
      const params: unknown[] = [now, [...p.scope]];
      const where = ['$1::timestamptz is not null', 'd.unit_id = any($2::uuid[])'];
      if (q.unitId) {
        const unit = await unitInScope(ctx.db, p, q.unitId);
        params.push(unit.path);
        where.push(`u.path like $${params.length} || '%'`);
      }
      if (q.status !== 'all') {
        params.push(q.status);
        where.push(`${statusSql('$1')} = $${params.length}`);
      }
      const filter = where.join(' and ');
      const total: Array<{ n: number }> = await ctx.db.query(
        `select count(*)::int as n from signing_delegations d join units u on u.id = d.unit_id where ${filter}`,
        params,
      );
      const rows: ViewRow[] = await ctx.db.query(
        `${selectView('$1')} where ${filter} order by d.valid_from desc, d.created_at desc, d.id limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
        params,
      );
      return { body: { items: rows.map(viewOf), total: total[0].n, page: q.page, pageSize: q.pageSize } };
    },
  },
  {
    method: 'delete',
    path: '/api/delegations/:id',
    access: { right: 'CERT_SIGN' },
    action: 'delegation.revoke',
    summary: 'Ends a signing delegation now (the leader who gave it, or a user administrator of its unit); revoking twice changes nothing',
    input: { params: IdParams },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const p = principal!;
      const { id } = parseInput(IdParams, req.params);
      call.audit.target = `delegation:${id}`;
      const now = ctx.clock.now();
      const existing = await loadDelegation(ctx.db, id, now);
      if (!existing || !p.scope.has(existing.unit.id)) throw delegationNotFound();
      call.audit.unitId = existing.unit.id;
      call.audit.details = { fromOfficerId: existing.fromOfficer.id, toOfficerId: existing.toOfficer.id };
      if (existing.fromOfficer.id !== p.officerId && !p.rights.has('USER_ADMIN')) {
        throw new ApiError(
          403,
          'DELEGATION_NOT_YOURS',
          `Chỉ người đã ủy quyền (${existing.fromOfficer.fullName}) hoặc quản trị viên của đơn vị mới được thu hồi ủy quyền này.`,
          'Only the officer who gave this delegation, or an administrator of its unit, may revoke it.',
        );
      }
      if (existing.status === 'revoked') return { body: { changed: false, delegation: existing } };
      if (existing.status === 'expired') {
        throw new ApiError(422, 'DELEGATION_ENDED', 'Ủy quyền này đã hết hạn, không cần thu hồi.', 'This delegation has already expired.');
      }
      // Guarded by "revoked_at is null": of two simultaneous revocations, the first one is recorded.
      await ctx.db.query('update signing_delegations set revoked_at = $2, revoked_by = $3 where id = $1 and revoked_at is null', [id, now, p.officerId]);
      return { body: { changed: true, delegation: await loadDelegation(ctx.db, id, now) } };
    },
  },
];
