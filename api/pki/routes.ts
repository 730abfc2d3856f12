/**
 * Certificate administration (USER_ADMIN, within the administrator's units): the certificates of
 * leaders and communes, importing a real certificate and key from PKCS#12 for production, and
 * revoking one (it then appears in the CRL at GET /api/pki/crl). The authority's own certificate
 * is shown to every administrator and cannot be revoked.
 */
import { z } from 'zod';
import { normalizeSerial } from '../../infra/pki/certificates';
import { Pkcs12Error } from '../../infra/pki/pkcs12';
import { PkiError, type CertificateListing, type Pki } from '../../infra/pki/pki';
import { unitInScope, visibleOfficer } from '../admin/access';
import { uuidOf } from '../admin/inputs';
import type { AppContext } from '../context';
import { ApiError, parseInput } from '../errors';
import type { Principal } from '../principal';
import type { RouteSpec } from '../route';

const ListQuery = z.object({ kind: z.enum(['authority', 'person', 'organisation'], { error: 'loại phải là authority, person hoặc organisation' }).optional() });

const ImportBody = z
  .object(
    {
      p12Base64: z.base64({ error: 'tệp chứng thư phải là nội dung tệp .p12/.pfx mã hóa base64' }).max(200_000, { error: 'tệp chứng thư quá lớn (tối đa khoảng 150 KB)' }),
      password: z.string({ error: 'thiếu mật khẩu tệp chứng thư' }).max(200, { error: 'mật khẩu dài tối đa 200 ký tự' }),
      officerId: uuidOf('mã lãnh đạo').optional(),
      unitId: uuidOf('mã đơn vị').optional(),
    },
    { error: 'nội dung gửi lên phải là một đối tượng JSON' },
  )
  .refine((b) => (b.officerId === undefined) !== (b.unitId === undefined), {
    error: 'gửi đúng một trong hai: officerId (chứng thư cá nhân của lãnh đạo) hoặc unitId (con dấu số của xã)',
  });

const SerialParams = z.object({ serial: z.string().regex(/^[0-9A-Fa-f:]{2,128}$/, { error: 'số sê-ri chứng thư phải là chữ số thập lục phân' }) });
const RevokeBody = z.object(
  {
    reason: z
      .string({ error: 'thiếu lý do thu hồi' })
      .trim()
      .min(3, { error: 'lý do thu hồi tối thiểu 3 ký tự, ví dụ keyCompromise hoặc "mất thiết bị ký"' })
      .max(300, { error: 'lý do thu hồi dài tối đa 300 ký tự' }),
  },
  { error: 'nội dung gửi lên phải là một đối tượng JSON' },
);

function pkiOf(ctx: AppContext): Pki {
  if (!ctx.pki) throw new ApiError(503, 'PKI_UNAVAILABLE', 'Hệ thống chứng thư số chưa được cấu hình trên máy chủ này.', 'The certificate authority is not configured on this server.');
  return ctx.pki;
}

function asApiError(err: unknown): unknown {
  if (err instanceof Pkcs12Error) return new ApiError(422, `P12_${err.code}`, err.messageVi, err.messageEn);
  if (err instanceof PkiError) return new ApiError(err.code === 'NOT_FOUND' ? 404 : 409, `PKI_${err.code}`, err.messageVi, err.messageEn);
  return err;
}

/** Certificates of officers and units the administrator may manage, and the authority's. */
async function visibleCertificates(ctx: AppContext, p: Principal, list: CertificateListing[]): Promise<CertificateListing[]> {
  const officers: Array<{ id: string }> = await ctx.db.query(
    'select distinct officer_id as id from officer_units where unit_id = any($1::uuid[])',
    [[...p.scope]],
  );
  const visible = new Set(officers.map((o) => o.id));
  return list.filter((c) => c.kind === 'authority' || (c.unitId !== null && p.scope.has(c.unitId)) || (c.officerId !== null && visible.has(c.officerId)));
}

export const pkiAdminRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/pki/certificates',
    access: { right: 'USER_ADMIN' },
    summary: 'The certificates of the leaders and communes of the caller’s units, and the authority’s ?kind=authority|person|organisation',
    output: '{items: [{serial, kind, subject, officerId, unitId, notBefore, notAfter, revokedAt, revocationReason, imported}]}',
    input: { query: ListQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(ListQuery, req.query);
      const all = await pkiOf(ctx).list(q.kind ? { ownerKind: q.kind } : {});
      return { body: { items: await visibleCertificates(ctx, principal!, all) } };
    },
  },
  {
    method: 'post',
    path: '/api/pki/certificates/import',
    access: { right: 'USER_ADMIN' },
    action: 'pki.import',
    summary: 'Imports a real certificate and its key from PKCS#12 {p12Base64, password, officerId (a leader’s personal certificate) | unitId (a commune’s seal)}: it becomes the one that signs from now on',
    output: '201 {serial, subject}',
    input: { body: ImportBody },
    handler: async ({ req, ctx, principal, audit }) => {
      const body = parseInput(ImportBody, req.body);
      const p = principal!;
      if (body.officerId) await visibleOfficer(ctx.db, p, body.officerId);
      else await unitInScope(ctx.db, p, body.unitId!);
      const owner = body.officerId ? { kind: 'person' as const, officerId: body.officerId } : { kind: 'organisation' as const, unitId: body.unitId! };
      const imported = await pkiOf(ctx)
        .importPkcs12(Buffer.from(body.p12Base64, 'base64'), body.password, owner)
        .catch((err: unknown) => {
          throw asApiError(err);
        });
      audit.target = `certificate:${imported.serial}`;
      audit.details = { owner, subject: imported.subject };
      if (body.unitId) audit.unitId = body.unitId;
      return { status: 201, body: imported };
    },
  },
  {
    method: 'post',
    path: '/api/pki/certificates/:serial/revoke',
    access: { right: 'USER_ADMIN' },
    action: 'pki.revoke',
    summary: 'Revokes a certificate {reason (an RFC 5280 reason such as keyCompromise, or free text)}: listed in the CRL at once; the next signature of its owner gets a new certificate',
    input: { params: SerialParams, body: RevokeBody },
    handler: async ({ req, ctx, principal, audit }) => {
      const { serial } = parseInput(SerialParams, req.params);
      const { reason } = parseInput(RevokeBody, req.body);
      const pki = pkiOf(ctx);
      const [cert] = (await visibleCertificates(ctx, principal!, await pki.list())).filter((c) => c.serial === normalizeSerial(serial));
      if (!cert) throw new ApiError(404, 'PKI_NOT_FOUND', `Không tìm thấy chứng thư số ${serial} trong các đơn vị bạn quản lý.`, `Certificate ${serial} not found in your units.`);
      audit.target = `certificate:${cert.serial}`;
      audit.details = { reason, subject: cert.subject };
      await pki.revoke(cert.serial, reason).catch((err: unknown) => {
        throw asApiError(err);
      });
      return { body: { serial: cert.serial, revoked: true } };
    },
  },
];
