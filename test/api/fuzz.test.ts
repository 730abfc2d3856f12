/**
 * Hostile input against every route, generated from the OpenAPI document itself: wrong types,
 * missing fields, NUL and control characters, lone surrogates, a megabyte string, deep nesting,
 * NFD text, odd content types and encodings, malformed path and query values. Whatever the input,
 * the API answers 4xx with its JSON error (or 2xx when the input happens to be acceptable), never
 * 5xx. Requests are generated from a fixed seed, so a failure is reproducible; the counts per
 * status are printed.
 */
import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { ROUTES } from '../../api/app';
import { buildOpenApi, type OpenApiOperation } from '../../api/docs/openapi';
import type { RouteSpec } from '../../api/route';
import { startCaseApp, type CaseApp } from '../support/caseApp';
import { createTestOfficer, sessionFor } from '../support/identityApp';
import { RIGHT_CODES } from '../../domain/rights';
import { attachLandServices, type LandTestServices } from '../support/land';

type Json = unknown;
type Schema = Record<string, unknown>;

/** A small deterministic generator (mulberry32): the same seed gives the same requests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MEGABYTE = 'a'.repeat(1024 * 1024);
const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  'x\u0000y',
  'x\ud800y',
  '\udc00',
  'Nguye\u0302\u0303n Va\u0306n A\u0300',
  '\u202escan.exe',
  '\u0001\u0002\u001b[31m',
  "'; drop table units; --",
  '../../../../etc/passwd',
  '%00',
  '9'.repeat(400),
  '-1',
  '1e309',
  'null',
  '00000000-0000-0000-0000-000000000000',
  '2026-02-30',
  '31/02/2026',
  '<script>alert(1)</script>',
  MEGABYTE,
];
const HOSTILE_VALUES: readonly Json[] = [null, true, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [[[]]], { a: { b: { c: null } } }, ...HOSTILE_STRINGS];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** A plausible value for a schema, so that one field at a time can be made hostile. */
function plausible(schema: Schema | undefined, rand: () => number, depth = 0): Json {
  if (!schema || depth > 4) return 'x';
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (Array.isArray(schema.enum) && schema.enum.length) return pick(rand, schema.enum as Json[]);
  if (Array.isArray(schema.anyOf) && schema.anyOf.length) return plausible(schema.anyOf[0] as Schema, rand, depth + 1);
  switch (type) {
    case 'string':
      return schema.format === 'uuid' ? '5dfbb675-06ef-4b2a-9b06-c83d5ddb6bd0' : 'giá trị thử';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausible(schema.items as Schema, rand, depth + 1)];
    case 'object': {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries((schema.properties as Record<string, Schema>) ?? {})) out[k] = plausible(v, rand, depth + 1);
      return out;
    }
    default:
      return 'x';
  }
}

/** Percent-encoding, where a lone surrogate (not encodable as UTF-8) goes as the invalid bytes ED A0 80. */
function encode(value: string): string {
  return value
    .split(/([\ud800-\udfff])/)
    .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

function deepNesting(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  what: string;
}

/** The requests for one operation: body variants, query variants, path variants, transport variants. */
function probesFor(method: string, template: string, op: OpenApiOperation, rand: () => number): Probe[] {
  const probes: Probe[] = [];
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const fillPath = (value: (name: string) => string) => template.replace(/\{(\w+)\}/g, (_, name: string) => encode(value(name)));
  const goodPath = fillPath((name) => String(plausible(pathParams.find((p) => p.name === name)?.schema, rand)));
  const json = { 'content-type': 'application/json' };
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const send = (what: string, body: Json, path = goodPath) => probes.push({ method, path, headers: json, body: JSON.stringify(body), what });

  if (bodySchema || method !== 'get') {
    const base = plausible(bodySchema, rand) as Record<string, Json>;
    send('plausible body', base);
    send('empty object', {});
    send('array instead of object', [base]);
    send('string instead of object', 'chuỗi');
    for (const field of Object.keys((bodySchema?.properties as Record<string, Schema>) ?? {})) {
      send(`${field}: missing`, { ...base, [field]: undefined });
      for (let i = 0; i < 4; i++) send(`${field}: hostile`, { ...base, [field]: pick(rand, HOSTILE_VALUES) });
    }
    send('extra field', { ...base, ['x\u0000']: 1, __proto__: { admin: true }, constructor: { prototype: { x: 1 } } });
    probes.push({ method, path: goodPath, headers: json, body: deepNesting(20_000), what: 'nesting 20,000 deep' });
    probes.push({ method, path: goodPath, headers: json, body: '{"a": ', what: 'broken JSON' });
    probes.push({ method, path: goodPath, headers: { 'content-type': 'application/json; charset=latin1' }, body: JSON.stringify(base), what: 'latin1 charset' });
    probes.push({ method, path: goodPath, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: JSON.stringify(base), what: 'gzip declared, plain sent' });
    probes.push({ method, path: goodPath, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(base)), what: 'gzip body' });
    probes.push({ method, path: goodPath, headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: JSON.stringify(base), what: 'unknown encoding' });
    probes.push({ method, path: goodPath, headers: { 'content-type': 'text/plain' }, body: 'không phải JSON', what: 'text/plain' });
    probes.push({ method, path: goodPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=%00', what: 'form body' });
  }
  for (const q of queryParams) {
    for (let i = 0; i < 3; i++) {
      const value = String(pick(rand, HOSTILE_STRINGS)).slice(0, 4000);
      probes.push({ method, path: `${goodPath}?${encodeURIComponent(q.name)}=${encode(value)}`, headers: {}, what: `query ${q.name}` });
    }
    probes.push({ method, path: `${goodPath}?${encodeURIComponent(q.name)}=1&${encodeURIComponent(q.name)}=2`, headers: {}, what: `query ${q.name} twice` });
    probes.push({ method, path: `${goodPath}?${encodeURIComponent(q.name)}[a]=1`, headers: {}, what: `query ${q.name} as object` });
  }
  for (const p of pathParams) {
    for (const value of ['x\u0000', '..%2f..%2f', '%', 'a'.repeat(5000), '\ud800', ' ']) {
      probes.push({ method, path: fillPath((name) => (name === p.name ? value : String(plausible(pathParams.find((x) => x.name === name)?.schema, rand)))), headers: {}, what: `path ${p.name}` });
    }
  }
  return probes;
}

describe('API: hostile input on every route, from the OpenAPI document', function () {
  this.timeout(600_000);
  let app: CaseApp;
  let officer: string;
  let land: LandTestServices | undefined;

  before(async () => {
    app = await startCaseApp({ otpRequired: false });
    // The gateway's callback is public: probed like the rest, with the land services it needs.
    land = await attachLandServices(app);
    const id = await createTestOfficer(app.ctx.db, { username: 'fuzz.all', fullName: 'Người Thử Mọi Quyền', rights: [...RIGHT_CODES], unitIds: [app.org.district] });
    officer = await sessionFor(app, id);
  });
  after(async () => {
    await land?.close();
    await app?.close();
  });

  it('answers every request with a status below 500 and, for errors, its JSON error body', async () => {
    const doc = buildOpenApi(ROUTES as readonly RouteSpec[]);
    const rand = prng(20261206);
    const counts = new Map<string, number>();
    const failures: string[] = [];
    let sent = 0;
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        // A route that streams a raw upload is probed with JSON like the others: it must refuse it cleanly.
        for (const probe of probesFor(method, template, op, rand)) {
          let status: number;
          let text = '';
          try {
            const res = await fetch(`${app.baseUrl}${probe.path}`, {
              method: method.toUpperCase(),
              headers: { authorization: `Bearer ${officer}`, 'idempotency-key': `fuzz-${++sent}`, ...probe.headers },
              body: probe.body,
            });
            status = res.status;
            text = await res.text();
          } catch (err) {
            failures.push(`${method.toUpperCase()} ${probe.path.slice(0, 120)} (${probe.what}): no answer — ${String(err)}`);
            continue;
          }
          const bucket = `${Math.floor(status / 100)}xx`;
          counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
          if (status >= 500) failures.push(`${method.toUpperCase()} ${template} (${probe.what}) → ${status} ${text.slice(0, 200)}`);
          else if (status >= 400 && probe.path.startsWith('/api/')) {
            let body: { error?: { code?: string; message?: string } } | undefined;
            try {
              body = JSON.parse(text) as typeof body;
            } catch {
              body = undefined;
            }
            if (!body?.error?.code || !body.error.message) failures.push(`${method.toUpperCase()} ${template} (${probe.what}) → ${status} without the JSON error: ${text.slice(0, 120)}`);
          }
        }
      }
    }
    console.log(`      fuzz: ${sent} requests — ${[...counts.entries()].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const f of failures) console.log(`      fuzz failure: ${f}`);
    expect(failures, failures.slice(0, 40).join('\n')).to.deep.equal([]);
  });

  it('answers an unknown address with the JSON error, in Vietnamese', async () => {
    const res = await fetch(`${app.baseUrl}/api/khong-co-chuc-nang-nay`, { headers: { authorization: `Bearer ${officer}` } });
    expect(res.status).to.equal(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).to.equal('ROUTE_NOT_FOUND');
    expect(body.error.message).to.match(/^Không có chức năng/);
  });
});
