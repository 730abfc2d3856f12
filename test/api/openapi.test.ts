/**
 * The OpenAPI document at /api/docs and its page at /api/docs/ui describe every declared route:
 * method, path, the right it needs, its parameters and body, and the error answers.
 */
import { expect } from 'chai';
import { ROUTES } from '../../api/app';
import { openApiPath, type OpenApiDocument, type OpenApiOperation } from '../../api/docs/openapi';
import { http, startTestApp, type TestApp } from '../support/identityApp';

const label = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

/** Every $ref in the document, wherever it is. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

describe('API description (OpenAPI 3.1)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let doc: OpenApiDocument;
  const op = (method: string, path: string): OpenApiOperation => doc.paths[openApiPath(path)]![method]!;

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    const res = await http<OpenApiDocument>(app, 'GET', '/api/docs');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    doc = res.body;
  });
  after(async () => {
    await app?.close();
  });

  it('is an OpenAPI 3.1 document with a bearer security scheme and an error schema, served without logging in', () => {
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.info.title).to.be.a('string').and.not.equal('');
    expect(doc.info.version).to.be.a('string');
    expect(doc.components.securitySchemes).to.deep.equal({
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'The session token from POST /api/auth/login (and /api/auth/otp)' },
    });
    expect(doc.components.schemas!.Error).to.have.nested.property('properties.error.required').that.deep.equals(['code', 'message', 'messageEn']);
    for (const ref of refs(doc)) {
      const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).to.not.equal(undefined);
    }
  });

  it('lists every declared route once, with its method, OpenAPI path, summary and access rule', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    expect(listed.sort()).to.deep.equal(ROUTES.map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`).sort());
    expect(Object.keys(doc.paths).filter((p) => p.includes(':'))).to.deep.equal([]);
    const ids = listed.map((l) => {
      const [method, path] = l.split(' ');
      return doc.paths[path][method.toLowerCase()].operationId;
    });
    expect(new Set(ids).size, 'operationIds are unique').to.equal(ids.length);
    for (const route of ROUTES) {
      const o = op(route.method, route.path);
      expect(o.summary, label(route)).to.equal(route.summary);
      const access = route.access;
      if (access === 'public') {
        expect(o.security, label(route)).to.deep.equal([]);
        expect(o['x-access']).to.equal('public');
      } else {
        expect(o.security, label(route)).to.deep.equal([{ bearerAuth: [] }]);
        if (access === 'authenticated' || access === 'citizen') {
          expect(o['x-access']).to.equal(access);
          expect(o['x-required-right']).to.equal(undefined);
        } else if ('right' in access) {
          expect(o['x-required-right'], label(route)).to.equal(access.right);
          expect(o.description, label(route)).to.include(access.right);
        } else {
          expect(o['x-required-right'], label(route)).to.deep.equal([...access.anyOf]);
          for (const r of access.anyOf) expect(o.description, label(route)).to.include(r);
        }
      }
      for (const status of ['400', '401', '403', '404', '409', '422']) {
        expect(o.responses[status], `${label(route)} ${status}`).to.have.nested.property('content.application/json.schema.$ref', '#/components/schemas/Error');
      }
    }
  });

  it('declares each path parameter, typed from the route’s schema when it has one', () => {
    for (const route of ROUTES) {
      const o = op(route.method, route.path);
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const declared = o.parameters.filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name), label(route)).to.deep.equal(names);
      for (const p of declared) {
        expect(p.required, label(route)).to.equal(true);
        expect(openApiPath(route.path), label(route)).to.include(`{${p.name}}`);
      }
    }
    const userId = op('get', '/api/admin/users/:id').parameters.find((p) => p.name === 'id')!;
    expect(userId.schema).to.include({ type: 'string', format: 'uuid' });
    const right = op('delete', '/api/admin/users/:id/rights/:right').parameters.find((p) => p.name === 'right')!;
    expect(right.schema.enum).to.include('CERT_SIGN');
  });

  it('gives request bodies and query parameters from the zod schemas, as a client sends them', () => {
    // Every route that takes a JSON body documents it; logout takes none and uploads are raw bytes.
    const withoutBody = new Set(['POST /api/auth/logout', 'POST /api/citizen/logout', 'POST /api/citizen/notifications/:id/read', 'POST /api/citizen/notifications/read-all', 'POST /api/citizen-accounts/requests/:id/otp', 'POST /api/notifications/:id/read', 'POST /api/notifications/read-all']);
    expect(ROUTES.filter((r) => r.rawBody).map(label)).to.include.members(['POST /api/files', 'POST /api/public/verify/pdf']);
    for (const route of ROUTES.filter((r) => ['post', 'put', 'patch'].includes(r.method) && !r.rawBody && !withoutBody.has(label(r)))) {
      expect(route.input?.body, `${label(route)} declares input.body`).to.not.equal(undefined);
      expect(op(route.method, route.path).requestBody, label(route)).to.have.nested.property('content.application/json.schema.type', 'object');
    }
    const create = op('post', '/api/admin/users').requestBody!.content['application/json'].schema;
    expect(create.required).to.include.members(['username', 'fullName', 'citizenId', 'password', 'unitIds']);
    expect(create.required).to.not.include('rights'); // it has a default
    expect(op('post', '/api/auth/login').requestBody!.content['application/json'].schema).to.have.nested.property('properties.password.maxLength', 256);

    const due = op('get', '/api/calendar/due').parameters.filter((p) => p.in === 'query');
    expect(due.map((p) => [p.name, p.required])).to.deep.equal([
      ['unitId', true],
      ['start', false],
      ['hours', false],
      ['workingDays', false],
      ['rule', false],
    ]);
    const audit = op('get', '/api/audit').parameters.find((p) => p.name === 'outcome')!;
    expect(audit.schema.enum).to.deep.equal(['success', 'refused', 'error']);

    const upload = op('post', '/api/files');
    expect(Object.keys(upload.requestBody!.content)).to.include.members(['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream']);
    expect(upload.responses).to.have.property('413');
    expect(upload.responses).to.have.property('415');
  });

  it('documents the Idempotency-Key header on every state-changing route that needs a login, and nowhere else', () => {
    for (const route of ROUTES) {
      const header = op(route.method, route.path).parameters.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      // Keys belong to officers: citizen routes take none.
      const expected = route.method !== 'get' && route.access !== 'public' && route.access !== 'citizen';
      expect(header !== undefined, label(route)).to.equal(expected);
      if (header) expect(header.required, label(route)).to.equal(route.idempotency === 'required');
    }
  });

  it('serves a self-contained HTML page listing every route', async () => {
    const res = await fetch(`${app.baseUrl}/api/docs/ui`);
    const html = await res.text();
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
    expect(html).to.match(/^<!doctype html>/);
    for (const route of ROUTES) expect(html, label(route)).to.include(`<code>${openApiPath(route.path)}</code>`);
    expect(html).to.not.match(/(src|href)="https?:/);
    expect(html).to.include('Cần quyền USER_ADMIN');
    // Summaries are escaped, not interpreted: the login summary's quotes arrive as entities.
    expect(html).to.include('{status:&quot;ok&quot;, token');
  });
});
