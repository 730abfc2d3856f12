/**
 * The configured APIs ("API đã cấu hình") a province keeps: its administrator (USER_ADMIN with
 * the province-level unit in scope) lists, adds, edits, disables and enables them. The session
 * password is write-only: stored sealed, shown as "đã lưu", never answered nor audited.
 */
import { API_CHECK_TYPES, API_CHECK_TYPE_INFO, bodyTemplate } from '../../domain/apiCheck';
import { parseTarget, ProbeRefusal } from '../../infra/apiCheck/probe';
import { secretKeyOf } from '../../infra/apiCheck/secrets';
import { KeyVaultError } from '../../infra/pki/keyVault';
import { ApiError, fieldProblem, forbiddenUnit, invalidInput, notFound, parseInput } from '../errors';
import type { Call, RouteSpec } from '../route';
import { createEndpoint, endpointById, listEndpoints, provinceUnits, setEndpointStatus, updateEndpoint, type EndpointView } from './endpoints';
import { EndpointBody, EndpointParams, NoBody } from './inputs';
import { apiCheckConfig } from './routes';

const ACCESS = { right: 'USER_ADMIN' } as const;

/** Checks the body against the caller's provinces and the URL rules; returns it parsed. */
async function validBody(call: Call): Promise<EndpointBody> {
  const b = parseInput(EndpointBody, call.req.body);
  const problems = [];
  for (const field of ['sessionUrl', 'dataUrl'] as const) {
    const v = b[field];
    if (!v) continue;
    try {
      parseTarget(v);
    } catch (err) {
      if (!(err instanceof ProbeRefusal)) throw err;
      problems.push(fieldProblem(field, err.vi, err.en));
    }
  }
  if (b.bodyTemplate?.trim()) {
    try {
      JSON.parse(b.bodyTemplate);
    } catch {
      problems.push(fieldProblem('bodyTemplate', 'body mẫu không phải JSON hợp lệ', 'the body template is not valid JSON'));
    }
  }
  if (problems.length) throw invalidInput(problems);
  const units = await provinceUnits(call.ctx.db, call.principal!.scope);
  if (!units.some((u) => u.id === b.unitId)) {
    if (!call.principal!.scope.has(b.unitId)) throw forbiddenUnit();
    throw invalidInput([fieldProblem('unitId', 'API được cấu hình cho đơn vị cấp tỉnh (hoặc cấp trung ương)', 'configured APIs belong to a province-level (or national) unit')]);
  }
  // What the audit keeps: never the password, only that it changed.
  call.audit.unitId = b.unitId;
  call.audit.details = { apiType: b.apiType, name: b.name, dataUrl: b.dataUrl, sessionUrl: b.sessionUrl || null, method: b.httpMethod, sessionPasswordChanged: Boolean(b.sessionPassword) || b.clearSessionPassword === true };
  return b;
}

/** The secret key, or a 503 saying which setting is missing when a password must be sealed. */
function keyFor(call: Call): () => Buffer {
  return () => {
    try {
      return secretKeyOf(apiCheckConfig(call.ctx).secretKey);
    } catch (err) {
      if (err instanceof KeyVaultError) throw new ApiError(503, 'SECRET_KEY_MISSING', `Chưa lưu được mật khẩu: ${err.messageVi}`, err.messageEn);
      throw err;
    }
  };
}

async function ownEndpoint(call: Call): Promise<EndpointView> {
  const { id } = parseInput(EndpointParams, call.req.params);
  const e = await endpointById(call.ctx.db, id);
  if (!e) throw notFound('API đã cấu hình', 'Configured API');
  call.audit.target = `api-endpoint:${id}`;
  call.audit.unitId = e.unit.id;
  if (!call.principal!.scope.has(e.unit.id)) throw forbiddenUnit();
  return e;
}

function statusRoute(to: 'active' | 'disabled'): RouteSpec {
  const verb = to === 'active' ? 'enable' : 'disable';
  return {
    method: 'post',
    path: `/api/api-endpoints/:id/${verb}`,
    access: ACCESS,
    action: `apicheck.endpoint.${verb}`,
    summary: to === 'active' ? 'Offers a disabled configured API in the console again' : 'Disables a configured API: the console no longer offers it; the row stays',
    input: { params: EndpointParams, body: NoBody },
    output: 'The configured API',
    handler: async (call) => {
      const e = await ownEndpoint(call);
      await setEndpointStatus(call.ctx.db, e.id, to, call.ctx.clock.now());
      call.audit.details = { from: e.status, to };
      return { body: await endpointById(call.ctx.db, e.id) };
    },
  };
}

export const apiEndpointRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/api-endpoints',
    access: ACCESS,
    summary: 'The configured APIs of the province-level units in scope (active and disabled), the units one may configure for and the API types with their templates',
    output: '{items: [{id, unit, apiType, apiTypeVi, name, sessionUrl, dataUrl, method, bodyTemplate, sessionUsername, hasSessionPassword, status, updatedAt}], units: [{id, code, name}], types: [{code, vi, en, method, template}]}',
    handler: async ({ ctx, principal }) => {
      const units = await provinceUnits(ctx.db, principal!.scope);
      return {
        body: {
          items: await listEndpoints(ctx.db, units.map((u) => u.id), false),
          units,
          types: API_CHECK_TYPES.map((code) => ({ code, vi: API_CHECK_TYPE_INFO[code].vi, en: API_CHECK_TYPE_INFO[code].en, method: API_CHECK_TYPE_INFO[code].method, template: bodyTemplate(code) })),
        },
      };
    },
  },
  {
    method: 'post',
    path: '/api/api-endpoints',
    access: ACCESS,
    action: 'apicheck.endpoint.create',
    summary: 'Adds a configured API {unitId, apiType, name, sessionUrl?, dataUrl, httpMethod GET|POST, bodyTemplate?, sessionUsername?, sessionPassword? (write-only, stored encrypted)}',
    input: { body: EndpointBody },
    output: '201 the configured API (hasSessionPassword, never the password)',
    handler: async (call) => {
      const b = await validBody(call);
      const id = await createEndpoint(call.ctx.db, b, call.principal!.officerId, call.ctx.clock.now(), keyFor(call));
      call.audit.target = `api-endpoint:${id}`;
      return { status: 201, body: await endpointById(call.ctx.db, id) };
    },
  },
  {
    method: 'put',
    path: '/api/api-endpoints/:id',
    access: ACCESS,
    action: 'apicheck.endpoint.update',
    summary: 'Edits a configured API (same fields as adding; an absent or empty sessionPassword keeps the stored one, clearSessionPassword: true removes it)',
    input: { params: EndpointParams, body: EndpointBody },
    output: 'The configured API',
    handler: async (call) => {
      const e = await ownEndpoint(call);
      const b = await validBody(call);
      call.audit.target = `api-endpoint:${e.id}`;
      await updateEndpoint(call.ctx.db, e.id, b, call.ctx.clock.now(), keyFor(call));
      return { body: await endpointById(call.ctx.db, e.id) };
    },
  },
  statusRoute('disabled'),
  statusRoute('active'),
];
