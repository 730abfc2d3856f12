/**
 * The OpenAPI 3.1 document of the API, built from the route declarations: every route with its
 * access rule, its inputs (from the zod schemas its handler validates with), the idempotency
 * header of state-changing calls and the error answers every route may give.
 */
import { z, type ZodType } from 'zod';
import { RIGHTS } from '../../domain/rights';
import { IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER } from '../idempotency';
import type { Access, RouteSpec } from '../route';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  'x-access': 'public' | 'authenticated' | 'citizen' | 'right' | 'any-of';
  'x-required-right'?: string | string[];
  'x-audit-action'?: string;
  security: Array<Record<string, string[]>>;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
}

/** Express ':id' segments become OpenAPI '{id}'. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParamNames(expressPath: string): string[] {
  return [...expressPath.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

/** JSON Schema of what a client sends (before transforms); parts zod cannot express become "any". */
export function inputSchema(schema: ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function objectProperties(schema: ZodType | undefined): { properties: Record<string, JsonSchema>; required: string[] } {
  if (!schema) return { properties: {}, required: [] };
  const json = inputSchema(schema);
  return {
    properties: (json.properties as Record<string, JsonSchema> | undefined) ?? {},
    required: (json.required as string[] | undefined) ?? [],
  };
}

function accessText(access: Access): string {
  if (access === 'public') return 'Công khai, không cần đăng nhập (public).';
  if (access === 'authenticated') return 'Mọi cán bộ đã đăng nhập (any logged-in officer).';
  if (access === 'citizen') return 'Công dân đã đăng nhập Cổng dịch vụ công; phiên của cán bộ không dùng được (a logged-in citizen; officer sessions are refused).';
  if ('right' in access) return `Cần quyền ${access.right} — ${RIGHTS[access.right]}.`;
  return `Cần một trong các quyền: ${access.anyOf.map((r) => `${r} — ${RIGHTS[r]}`).join('; ')}.`;
}

const ERROR_ANSWERS: Record<string, string> = {
  '400': 'Invalid input, field by field (INVALID_INPUT, IDEMPOTENCY_KEY_INVALID, IDEMPOTENCY_KEY_REQUIRED, …)',
  '401': 'Not logged in, or the session has expired (UNAUTHENTICATED)',
  '403': 'A right is missing (RIGHT_REQUIRED) or a unit is outside the caller’s scope (UNIT_OUT_OF_SCOPE)',
  '404': 'Not found, or not visible to the caller',
  '409': 'Conflict: a duplicate, or the same Idempotency-Key still in progress (IDEMPOTENCY_IN_PROGRESS)',
  '422': 'A rule forbids it, or the Idempotency-Key was used for another request (IDEMPOTENCY_KEY_REUSED)',
};

const errorRef = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function tagOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  // '/api/admin/users' → 'admin'; '/api/units' → 'units'
  return parts[1] ?? 'api';
}

function operation(route: RouteSpec): OpenApiOperation {
  const changes = route.method !== 'get';
  const params = objectProperties(route.input?.params);
  const query = objectProperties(route.input?.query);
  const parameters: OpenApiParameter[] = [
    ...pathParamNames(route.path).map((name) => ({ name, in: 'path' as const, required: true, schema: params.properties[name] ?? { type: 'string' } })),
    ...Object.entries(query.properties).map(([name, schema]) => ({ name, in: 'query' as const, required: query.required.includes(name), schema })),
  ];
  // Keys belong to officers: citizen routes take none.
  if (changes && route.access !== 'public' && route.access !== 'citizen') {
    parameters.push({
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: route.idempotency === 'required',
      description:
        'A fresh random value (e.g. a UUID) per intended action: a repeated request with the same key gets the first answer again (header Idempotent-Replayed: true) instead of acting twice. Kept 24 hours.',
      schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x20-\\x7E]+$' },
    });
  }
  if (route.rawBody) {
    parameters.push({ name: 'X-File-Name', in: 'header', required: false, description: 'The file’s name, URL-encoded UTF-8', schema: { type: 'string' } });
  }
  const access = route.access;
  const right = typeof access === 'object' ? ('right' in access ? access.right : [...access.anyOf]) : undefined;
  const responses: Record<string, unknown> = {
    '2XX': {
      description: route.output ?? 'Success',
      ...(changes ? { headers: { [REPLAYED_HEADER]: { description: 'true when this is the stored answer of an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } } } } : {}),
    },
    ...Object.fromEntries(Object.entries(ERROR_ANSWERS).map(([status, text]) => [status, errorRef(text)])),
    ...(route.rawBody ? { '413': errorRef('The file is larger than UPLOAD_MAX_MB (FILE_TOO_LARGE)'), '415': errorRef('Not a PDF, JPEG or PNG by its content (UNSUPPORTED_FILE_TYPE)') } : {}),
  };
  const op: OpenApiOperation = {
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: route.summary,
    description: [accessText(access), route.output ? `Trả về: ${route.output}` : undefined].filter(Boolean).join('\n\n'),
    tags: [tagOf(route.path)],
    'x-access': access === 'public' || access === 'authenticated' || access === 'citizen' ? access : 'right' in access ? 'right' : 'any-of',
    ...(right !== undefined ? { 'x-required-right': right } : {}),
    ...(route.action !== undefined || changes ? { 'x-audit-action': route.action ?? `${route.method.toUpperCase()} ${route.path}` } : {}),
    security: access === 'public' ? [] : [{ bearerAuth: [] }],
    parameters,
    responses,
  };
  if (route.input?.body) {
    op.requestBody = { required: true, content: { 'application/json': { schema: inputSchema(route.input.body) } } };
  } else if (route.rawBody) {
    op.requestBody = {
      required: true,
      content: Object.fromEntries(route.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary', contentMediaType: t } }])),
    };
  }
  return op;
}

export function buildOpenApi(routes: readonly RouteSpec[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const p = openApiPath(route.path);
    paths[p] ??= {};
    paths[p][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chứng thực điện tử — API',
      version: '0.1.0',
      description:
        'Hồ sơ chứng thực bản sao điện tử và tài khoản công dân tại bộ phận một cửa cấp xã. Lỗi trả về dạng {error: {code, message (tiếng Việt), messageEn, details?}}. Mọi thao tác thay đổi dữ liệu nhận tiêu đề Idempotency-Key.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => tagOf(r.path)))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'The session token from POST /api/auth/login (and /api/auth/otp)' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'messageEn'],
              properties: {
                code: { type: 'string', examples: ['INVALID_INPUT'] },
                message: { type: 'string', description: 'Vietnamese, for the officer' },
                messageEn: { type: 'string' },
                details: { description: 'e.g. {fields: [{field, label, labelEn, problem, problemEn}]} for INVALID_INPUT: field is the input path, label what the screen calls it' },
              },
            },
          },
        },
      },
    },
  };
}
