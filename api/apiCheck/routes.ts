/**
 * "Kiểm tra API" (seed 003, Màn hình hỗ trợ): an officer holding INTEGRATION_CHECK sends one
 * request to a province's local API — a new one (URL, DST code, type, body) or one an
 * administrator configured — and sees the answer as an HTTP client shows it. The request obeys
 * infra/apiCheck (no private or local addresses unless allow-listed, one deadline, a size
 * limit, no redirects to other hosts). Every check is audited with its target, status and time;
 * never its body, headers or credentials.
 */
import { API_CHECK_TYPES, API_CHECK_TYPE_INFO, bodyTemplate } from '../../domain/apiCheck';
import { apiCheckConfigFromEnv, type ApiCheckConfig } from '../../infra/apiCheck/config';
import { auditableUrl, probe, ProbeRefusal } from '../../infra/apiCheck/probe';
import { secretKeyOf } from '../../infra/apiCheck/secrets';
import type { AppContext } from '../context';
import { ApiError, fieldProblem, invalidInput, notFound, parseInput } from '../errors';
import type { Call, RouteSpec } from '../route';
import { checkConfigured, type CheckOutcome } from './check';
import { endpointById, listEndpoints, provinceUnits, sessionPasswordOf } from './endpoints';
import { SendBody } from './inputs';

export function apiCheckConfig(ctx: AppContext): ApiCheckConfig {
  return ctx.apiCheck ?? apiCheckConfigFromEnv();
}

function requireJson(method: 'GET' | 'POST', body: string): void {
  if (method !== 'POST' || body.trim() === '') return;
  try {
    JSON.parse(body);
  } catch {
    throw invalidInput([fieldProblem('body', 'body không phải JSON hợp lệ', 'the body is not valid JSON')]);
  }
}

async function send(call: Call): Promise<CheckOutcome & { mode: 'new' | 'configured' }> {
  const input = parseInput(SendBody, call.req.body);
  const config = apiCheckConfig(call.ctx);
  const p = call.principal!;
  if (input.mode === 'new') {
    const missing = [
      ...(!input.url ? [fieldProblem('url', 'thiếu URL API địa phương', 'is missing')] : []),
      ...(!input.dstCode ? [fieldProblem('dstCode', 'chọn mã DST của tỉnh', 'is missing')] : []),
      ...(!input.apiType ? [fieldProblem('apiType', 'chọn loại API', 'is missing')] : []),
    ];
    if (missing.length || !input.url || !input.dstCode || !input.apiType) throw invalidInput(missing);
    const method = input.httpMethod ?? API_CHECK_TYPE_INFO[input.apiType].method;
    const province = (await provinceUnits(call.ctx.db, p.scope)).find((u) => u.code === input.dstCode);
    call.audit.details = { mode: 'new', apiType: input.apiType, dstCode: input.dstCode, method, url: auditableUrl(input.url) };
    if (!province) throw invalidInput([fieldProblem('dstCode', 'mã DST không thuộc tỉnh nào trong phạm vi của bạn', 'the DST code is not one of your provinces')]);
    call.audit.unitId = province.id;
    const body = input.body ?? '';
    requireJson(method, body);
    return { mode: 'new', response: await probe({ method, url: input.url, body }, config) };
  }
  if (!input.endpointId) throw invalidInput([fieldProblem('endpointId', 'chọn API đã cấu hình', 'is missing')]);
  const e = await endpointById(call.ctx.db, input.endpointId);
  if (!e || e.status !== 'active' || !p.scope.has(e.unit.id)) throw notFound('API đã cấu hình', 'Configured API');
  call.audit.target = `api-endpoint:${e.id}`;
  call.audit.unitId = e.unit.id;
  call.audit.details = { mode: 'configured', apiType: e.apiType, method: e.method, url: auditableUrl(e.dataUrl), ...(e.sessionUrl ? { sessionUrl: auditableUrl(e.sessionUrl) } : {}) };
  const body = input.body ?? e.bodyTemplate ?? bodyTemplate(e.apiType, e.unit.code);
  requireJson(e.method, body);
  const password = e.sessionUrl ? await sessionPasswordOf(call.ctx.db, e.id, () => secretKeyOf(config.secretKey)) : undefined;
  const outcome = await checkConfigured({ sessionUrl: e.sessionUrl, dataUrl: e.dataUrl, method: e.method, body, username: e.sessionUsername, password }, config);
  return { mode: 'configured', ...outcome };
}

export const apiCheckRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/api-check/options',
    access: { right: 'INTEGRATION_CHECK' },
    summary: 'What the API check console offers: the API types with their body templates, the DST codes of the provinces in scope, the active configured APIs of units in scope and the limits',
    output: '{types: [{code, vi, en, method, template}], provinces: [{id, code, name, dstCode}], endpoints: [{id, unit, apiType, apiTypeVi, name, sessionUrl, dataUrl, method, body, hasSessionPassword}], limits: {timeoutMs, maxBytes}}',
    handler: async ({ ctx, principal }) => {
      const config = apiCheckConfig(ctx);
      const provinces = await provinceUnits(ctx.db, principal!.scope);
      const endpoints = await listEndpoints(ctx.db, [...principal!.scope], true);
      return {
        body: {
          types: API_CHECK_TYPES.map((code) => ({ code, vi: API_CHECK_TYPE_INFO[code].vi, en: API_CHECK_TYPE_INFO[code].en, method: API_CHECK_TYPE_INFO[code].method, template: bodyTemplate(code) })),
          provinces: provinces.map((u) => ({ ...u, dstCode: u.code })),
          endpoints: endpoints.map(({ bodyTemplate: tpl, ...e }) => ({ ...e, body: tpl ?? bodyTemplate(e.apiType, e.unit.code) })),
          limits: { timeoutMs: config.timeoutMs, maxBytes: config.maxBytes },
        },
      };
    },
  },
  {
    method: 'post',
    path: '/api/api-check/send',
    access: { right: 'INTEGRATION_CHECK' },
    action: 'apicheck.send',
    summary:
      'Sends one check ("Gửi"): {mode: "new", url, dstCode, apiType, httpMethod? GET|POST, body} or {mode: "configured", endpointId, body?}; 422 API_CHECK_ADDRESS_REFUSED for this machine or a private address not allow-listed (names are resolved first and the resolved address is the one connected to), API_CHECK_URL_INVALID, API_CHECK_DNS_FAILED. A far side that fails or is too slow is an answer with `response.error`',
    output: '{mode, session?: {status, timeMs, ok, message}, response?: {method, target, status, statusText, timeMs, headers [[name, value]], body, bodyBytes, truncated, isJson, notes, error?: {code TIMEOUT|CONNECTION_FAILED, message}}}',
    input: { body: SendBody },
    handler: async (call) => {
      try {
        const out = await send(call);
        const r = out.response;
        call.audit.details = {
          ...call.audit.details,
          outcome: r ? (r.error ? 'failed' : 'answered') : 'session-failed',
          status: r?.status ?? out.session?.status ?? null,
          timeMs: (r?.timeMs ?? 0) + (out.session?.timeMs ?? 0),
          ...(r?.error ? { error: r.error.code } : {}),
          ...(r?.truncated ? { truncated: true } : {}),
        };
        return { body: out };
      } catch (err) {
        if (err instanceof ProbeRefusal) throw new ApiError(422, `API_CHECK_${err.code}`, err.vi, err.en);
        throw err;
      }
    },
  },
];
