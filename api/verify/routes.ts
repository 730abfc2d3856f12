/**
 * Public verification (no login): from the QR code on a copy, from its number and date, or from the
 * file itself; and the authority's certificate and revocation list, so outside verifiers can check
 * signatures without us. Answers never name the citizen.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isValidLocalDate } from '../../domain/calendar';
import type { PublicLinks } from '../../infra/publicLinks';
import { cleanFileName } from '../../infra/uploads/fileName';
import { inspectUpload } from '../../infra/uploads/inspect';
import type { Pki } from '../../infra/pki/pki';
import { CodeParams } from '../cases/inputs';
import { projectedView } from '../cases/caseView';
import type { AppContext } from '../context';
import type { Request } from 'express';
import { ApiError, parseInput, toApiError } from '../errors';
import { filesOf } from '../files/store';
import type { RouteSpec } from '../route';
import { contentSecurityPolicy } from '../securityHeaders';
import { copyHtml, otherLanguageHref, pageLang, problemHtml, uploadHtml, verificationPage, type PageLang } from './page';
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

/** The page's form takes the date as it is printed on the copy, dd/mm/yyyy; YYYY-MM-DD passes unchanged. */
function isoFromDmy(value: unknown): unknown {
  const m = typeof value === 'string' ? /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(value) : null;
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : value;
}

/** The page's own inline script is allowed by its hash: no other inline script can run in it. */
function pageCsp(data: Buffer): string {
  const scripts = [...data.toString('utf8').matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => createHash('sha256').update(m[1] ?? '').digest('base64'));
  return contentSecurityPolicy({}, scripts);
}

const html = (data: Buffer, status = 200) => ({
  status,
  file: { contentType: 'text/html; charset=utf-8', filename: 'kiem-tra.html', data, inline: true },
  headers: { 'Content-Security-Policy': pageCsp(data) },
});

const LangQuery = z.object({ lang: z.enum(['vi', 'en'], { error: 'ngôn ngữ (lang) phải là vi hoặc en' }).optional() });

/**
 * A verification page: whatever goes wrong — a wrong token, a malformed number or date — is told
 * on the page itself in red, with the answer's status, never as the API's JSON.
 */
async function page(req: Request, verdict: (lang: PageLang) => Promise<{ html: string; status?: number }>) {
  const lang = pageLang(req.query['lang']);
  let answer: { html: string; status?: number };
  try {
    answer = await verdict(lang);
  } catch (err) {
    const e = toApiError(err);
    if (e.status >= 500) throw err;
    answer = { html: problemHtml({ vi: e.vi, en: e.en }, lang), status: e.status };
  }
  return html(verificationPage(answer.html, lang, otherLanguageHref(req.originalUrl, lang)), answer.status ?? 200);
}

/** The uploaded file's name, shown back beside its verdict. */
const UploadQuery = LangQuery.extend({ name: z.string().max(255).optional() });

/** The uploaded copy, read as a PDF in the bounded inspection thread before its signatures are. */
async function pdfBody(req: Request): Promise<Buffer> {
  const body = req.body as unknown;
  if (!Buffer.isBuffer(body) || body.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new ApiError(400, 'NOT_A_PDF', 'Hãy gửi nội dung tệp PDF của bản sao làm thân yêu cầu (Content-Type application/pdf).', 'Send the PDF bytes of the copy as the request body.');
  }
  await inspectUpload(body, 'application/pdf');
  return body;
}

const pdfUpload = {
  maxBytes: () => MAX_VERIFY_MB * 1024 * 1024,
  tooLarge: (max: number) => new ApiError(413, 'FILE_TOO_LARGE', `Tệp lớn hơn ${max / 1024 / 1024} MB.`, `The file is larger than ${max / 1024 / 1024} MB.`),
  contentTypes: ['application/pdf'],
} as const;

export const verifyRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/verify/:code',
    access: 'public',
    summary:
      'The page a copy’s QR code opens ?t (the token printed in the QR code) &lang=vi|en: valid or not, number, date, signer (and who delegated, for a copy signed under a delegation) and seal — as HTML; a wrong token is a 404 page',
    input: { params: CodeParams, query: TokenQuery.extend(LangQuery.shape) },
    handler: async ({ req, ctx }) =>
      page(req, async (lang) => {
        const { code } = parseInput(CodeParams, req.params);
        const t = TokenQuery.safeParse(req.query);
        if (!t.success) throw copyNotFound();
        return { html: copyHtml(await byQr(ctx, code, t.data.t), lang) };
      }),
  },
  {
    method: 'get',
    path: '/verify',
    access: 'public',
    summary: 'The verification page: by ?number &date (dd/mm/yyyy as printed on the copy, or YYYY-MM-DD) when given, else the look-up and upload forms &lang=vi|en — as HTML',
    input: { query: LangQuery },
    handler: async ({ req, ctx }) =>
      page(req, async (lang) => {
        if (req.query['number'] === undefined && req.query['date'] === undefined) return { html: '' };
        const q = parseInput(NumberQuery, { ...req.query, date: isoFromDmy(req.query['date']) });
        const found = await byNumber(ctx, q.number, q.date);
        if (found.length > 0) return { html: found.map((v) => copyHtml(v, lang)).join('<hr>') };
        const day = q.date.split('-').reverse().join('/');
        const none = { vi: `Không có bản sao nào được chứng thực với số ${q.number} ngày ${day}.`, en: `No copy was certified under number ${q.number} on ${day}.` };
        return { html: problemHtml(none, lang), status: 404 };
      }),
  },
  {
    method: 'post',
    path: '/verify/pdf',
    access: 'public',
    action: 'public.verify_pdf',
    summary: `The verification page’s check of an uploaded copy (the PDF bytes as the body, at most ${MAX_VERIFY_MB} MB) ?lang=vi|en &name (the file’s name, shown back): the verdict as an HTML fragment that replaces the page’s verdict — green only for a byte-for-byte copy of the register that is valid`,
    input: { query: UploadQuery },
    rawBody: pdfUpload,
    handler: async ({ req, ctx, audit }) => {
      const lang = pageLang(req.query['lang']);
      const q = UploadQuery.safeParse(req.query);
      const name = q.success ? cleanFileName(q.data.name ?? '') : '';
      let fragment: string;
      let status = 200;
      try {
        const { deps } = services(ctx);
        const body = await pdfBody(req);
        const digest = createHash('sha256').update(body).digest('hex');
        const result = await verifyUpload(deps, body, digest);
        audit.details = { sha256: digest, status: result.status, matchesRegister: result.matchesRegister };
        fragment = uploadHtml(result, name, lang);
      } catch (err) {
        const e = toApiError(err);
        if (e.status >= 500) throw err;
        status = e.status;
        fragment = problemHtml({ vi: e.vi, en: e.en }, lang);
      }
      return { status, file: { contentType: 'text/html; charset=utf-8', filename: 'ket-qua-kiem-tra.html', data: Buffer.from(fragment), inline: true } };
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
    rawBody: pdfUpload,
    handler: async ({ req, ctx, audit }) => {
      const { deps } = services(ctx);
      const body = await pdfBody(req);
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
