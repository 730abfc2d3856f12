/**
 * Public verification (no login): from the QR code on a copy, from its number and date, or from the
 * file itself; and the authority's certificate and revocation list, so outside verifiers can check
 * signatures without us. Answers never name the citizen.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isValidLocalDate } from '../../domain/calendar';
import type { PublicLinks } from '../../infra/publicLinks';
import type { Pki } from '../../infra/pki/pki';
import { CodeParams } from '../cases/inputs';
import { projectedView } from '../cases/caseView';
import type { AppContext } from '../context';
import { ApiError, parseInput } from '../errors';
import { filesOf } from '../files/store';
import type { RouteSpec } from '../route';
import { copyHtml, verificationPage } from './page';
import { casesByNumber, verifyCase, verifyUpload, type VerificationDeps } from './verification';

const MAX_VERIFY_MB = 25;

const TokenQuery = z.object({ t: z.string({ error: 'thiếu mã kiểm tra (t) in trong mã QR' }).max(100, { error: 'mã kiểm tra (t) không hợp lệ' }) });

const NumberQuery = z.object({
  number: z.string({ error: 'thiếu số chứng thực (number), ví dụ 12/2026-SCTĐT/BS' }).trim().min(1, { error: 'thiếu số chứng thực (number)' }).max(100, { error: 'số chứng thực dài tối đa 100 ký tự' }),
  date: z.string({ error: 'thiếu ngày chứng thực (date), dạng YYYY-MM-DD' }).refine(isValidLocalDate, { error: 'ngày chứng thực (date) phải có dạng YYYY-MM-DD, ví dụ 2026-11-23' }),
});

function services(ctx: AppContext): { pki: Pki; links: PublicLinks; deps: VerificationDeps } {
  if (!ctx.pki || !ctx.links) {
    throw new ApiError(503, 'VERIFICATION_UNAVAILABLE', 'Dịch vụ kiểm tra bản sao chưa được cấu hình trên máy chủ này.', 'Verification is not configured on this server.');
  }
  return { pki: ctx.pki, links: ctx.links, deps: { db: ctx.db, pki: ctx.pki, filesDir: filesOf(ctx).config.dir } };
}

const copyNotFound = () =>
  new ApiError(
    404,
    'COPY_NOT_FOUND',
    'Không tìm thấy bản sao chứng thực theo mã QR này: hãy quét lại mã, hoặc tra theo số chứng thực và ngày chứng thực in trên bản sao.',
    'No certified copy matches this QR code: scan it again, or look it up by its number and date.',
  );

async function byQr(ctx: AppContext, code: string, token: string) {
  const { links, deps } = services(ctx);
  if (!links.tokenMatches(code, token)) throw copyNotFound();
  const view = await projectedView(ctx.db, code);
  if (!view) throw copyNotFound();
  return verifyCase(deps, view);
}

async function byNumber(ctx: AppContext, number: string, date: string) {
  const { deps } = services(ctx);
  const views = await casesByNumber(ctx.db, number, date);
  return Promise.all(views.map((v) => verifyCase(deps, v)));
}

const html = (data: Buffer, status = 200) => ({ status, file: { contentType: 'text/html; charset=utf-8', filename: 'kiem-tra.html', data, inline: true } });

export const verifyRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/verify/:code',
    access: 'public',
    summary: 'The page a copy’s QR code opens ?t (the token printed in the QR code): valid or not, number, date, signer and seal — as HTML',
    input: { params: CodeParams, query: TokenQuery },
    handler: async ({ req, ctx }) => {
      const { code } = parseInput(CodeParams, req.params);
      const { t } = parseInput(TokenQuery, req.query);
      return html(verificationPage(copyHtml(await byQr(ctx, code, t))));
    },
  },
  {
    method: 'get',
    path: '/verify',
    access: 'public',
    summary: 'The verification page: by ?number &date (YYYY-MM-DD) when given, else the look-up and upload forms — as HTML',
    handler: async ({ req, ctx }) => {
      if (req.query['number'] === undefined && req.query['date'] === undefined) return html(verificationPage(''));
      const q = parseInput(NumberQuery, req.query);
      const found = await byNumber(ctx, q.number, q.date);
      const content = found.length
        ? found.map(copyHtml).join('<hr>')
        : `<div class="bad"><strong>Không có bản sao nào được chứng thực với số ${q.number} ngày ${q.date}.</strong></div>`;
      return html(verificationPage(content), found.length ? 200 : 404);
    },
  },
  {
    method: 'get',
    path: '/api/public/verify/:code',
    access: 'public',
    summary: 'Verifies the copy of a QR code ?t (its token): {status valid|invalid|not_certified, message, unit, certificationNumber, certifiedAt, signer, documents, sha256, signatures [{role leader|seal, signer, signingTime, intact, trusted, revokedAt?}]}',
    input: { params: CodeParams, query: TokenQuery },
    handler: async ({ req, ctx }) => {
      const { code } = parseInput(CodeParams, req.params);
      const { t } = parseInput(TokenQuery, req.query);
      return { body: await byQr(ctx, code, t) };
    },
  },
  {
    method: 'get',
    path: '/api/public/verify',
    access: 'public',
    summary: 'Finds and verifies the copies certified under ?number on ?date (YYYY-MM-DD, local date of the seal), in any commune: {items: […as the QR answer]}',
    input: { query: NumberQuery },
    handler: async ({ req, ctx }) => {
      const q = parseInput(NumberQuery, req.query);
      return { body: { items: await byNumber(ctx, q.number, q.date) } };
    },
  },
  {
    method: 'post',
    path: '/api/public/verify/pdf',
    access: 'public',
    action: 'public.verify_pdf',
    summary: `Checks an uploaded copy (the PDF bytes as the body, at most ${MAX_VERIFY_MB} MB): its signatures, and whether it is byte for byte a copy in the register`,
    output: '{status valid|invalid|unknown, matchesRegister, message, copy?, signatures}',
    rawBody: {
      maxBytes: () => MAX_VERIFY_MB * 1024 * 1024,
      tooLarge: (max) => new ApiError(413, 'FILE_TOO_LARGE', `Tệp lớn hơn ${max / 1024 / 1024} MB.`, `The file is larger than ${max / 1024 / 1024} MB.`),
      contentTypes: ['application/pdf'],
    },
    handler: async ({ req, ctx, audit }) => {
      const { deps } = services(ctx);
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new ApiError(400, 'NOT_A_PDF', 'Hãy gửi nội dung tệp PDF của bản sao làm thân yêu cầu (Content-Type application/pdf).', 'Send the PDF bytes of the copy as the request body.');
      }
      const digest = createHash('sha256').update(body).digest('hex');
      const result = await verifyUpload(deps, body, digest);
      audit.details = { sha256: digest, status: result.status, matchesRegister: result.matchesRegister };
      return { body: result };
    },
  },
  {
    method: 'get',
    path: '/api/pki/crl',
    access: 'public',
    summary: 'The certificate revocation list of the authority (DER, application/pkix-crl), as named in every certificate it issues',
    handler: async ({ ctx }) => ({ file: { contentType: 'application/pkix-crl', filename: 'chung-thuc.crl', data: await services(ctx).pki.crl(), inline: true } }),
  },
  {
    method: 'get',
    path: '/api/pki/ca',
    access: 'public',
    summary: 'The authority’s own certificate (PEM), to trust in an outside verifier',
    handler: async ({ ctx }) => {
      const ca = await services(ctx).pki.authority();
      return { file: { contentType: 'application/x-pem-file', filename: 'chung-thuc-ca.pem', data: Buffer.from(ca.certificate), inline: true } };
    },
  },
];
