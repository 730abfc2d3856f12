/**
 * Refusals name fields the way the screens label them: every field of every route's declared
 * input has a Vietnamese and an English label, and an invalid-input answer uses them in its
 * messages while `details.fields[].field` keeps the machine path the web app places errors by.
 */
import { expect } from 'chai';
import { z, type ZodType } from 'zod';
import { ROUTES } from '../../api/app';
import { inputSchema } from '../../api/docs/openapi';
import { ApiError, parseInput, type FieldProblem } from '../../api/errors';
import { fieldLabel, knownLabel } from '../../api/fieldLabels';

type JsonSchema = { [key: string]: unknown };

/** Every field path a JSON schema describes ("documents.*.type"), through lists, unions and references. */
function fieldPaths(schema: unknown, prefix: string, defs: Record<string, unknown>, out: Set<string>): Set<string> {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as JsonSchema;
  if (typeof s.$ref === 'string') return fieldPaths(defs[s.$ref.split('/').pop()!], prefix, defs, out);
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(s[key])) for (const x of s[key] as unknown[]) fieldPaths(x, prefix, defs, out);
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, sub] of Object.entries(s.properties as Record<string, unknown>)) {
      const path = prefix ? `${prefix}.${name}` : name;
      out.add(path);
      fieldPaths(sub, path, defs, out);
    }
  }
  if (s.items) fieldPaths(s.items, prefix ? `${prefix}.0` : '0', defs, out);
  return out;
}

function declaredFields(schema: ZodType): string[] {
  const json = inputSchema(schema);
  return [...fieldPaths(json, '', (json.$defs as Record<string, unknown> | undefined) ?? {}, new Set())];
}

function refusal(schema: ZodType, value: unknown): ApiError {
  try {
    parseInput(schema, value);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const route = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path)!;

describe('Field labels in refusals', () => {
  it('has a label for every field of every route’s declared params, query and body', () => {
    const missing: string[] = [];
    let fields = 0;
    for (const r of ROUTES) {
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = r.input?.[part];
        if (!schema) continue;
        for (const path of declaredFields(schema)) {
          fields++;
          if (!knownLabel(path)) missing.push(`${r.method.toUpperCase()} ${r.path} ${part}.${path}`);
        }
      }
    }
    expect(fields).to.be.greaterThan(100);
    expect(missing).to.deep.equal([]);
  });

  it('names the fields of an invalid delegation by their labels, in Vietnamese and English, and keeps the machine paths', () => {
    const body = route('post', '/api/delegations').input!.body!;
    const err = refusal(body, { unitId: '', toOfficerId: '', validFrom: '2026-11-23T10:00:00+07:00', validTo: '2026-11-24T10:00:00+07:00', reason: 'Đi công tác' });
    expect(err.status).to.equal(400);
    expect(err.code).to.equal('INVALID_INPUT');
    expect(err.vi).to.equal('Dữ liệu không hợp lệ — Đơn vị: thiếu mã đơn vị; Người được ủy quyền: thiếu người được ủy quyền');
    expect(err.en).to.equal('Invalid input — Unit: is missing; Delegate: is missing');
    const fields = (err.details as { fields: FieldProblem[] }).fields;
    expect(fields.map((f) => f.field)).to.deep.equal(['unitId', 'toOfficerId']);
    expect(fields[1]).to.deep.equal({ field: 'toOfficerId', label: 'Người được ủy quyền', labelEn: 'Delegate', problem: 'thiếu người được ủy quyền', problemEn: 'is missing' });
  });

  it('refuses an empty delegation form field by field instead of failing on the period check', () => {
    const body = route('post', '/api/delegations').input!.body!;
    const err = refusal(body, { unitId: '', toOfficerId: '', validFrom: '', validTo: '', reason: '' });
    expect(err.status).to.equal(400);
    expect((err.details as { fields: FieldProblem[] }).fields.map((f) => `${f.label}: ${f.problem}`)).to.deep.equal([
      'Đơn vị: thiếu mã đơn vị',
      'Người được ủy quyền: thiếu người được ủy quyền',
      'Từ: thiếu thời điểm bắt đầu',
      'Đến: thiếu thời điểm kết thúc',
      'Lý do: lý do ủy quyền phải có ít nhất 3 ký tự',
    ]);
  });

  it('tells a missing field from one of the wrong type in English, and takes a custom check’s own English', () => {
    const body = route('post', '/api/delegations').input!.body!;
    const valid = { unitId: '00000000-0000-4000-8000-000000000002', toOfficerId: '00000000-0000-4000-8000-000000000001', validFrom: '2026-11-23T10:00:00+07:00', validTo: '2026-11-24T10:00:00+07:00', reason: 'Đi công tác' };
    expect(refusal(body, { ...valid, unitId: 7 }).en).to.equal('Invalid input — Unit: must be text');
    expect(refusal(body, { ...valid, unitId: 'abc' }).en).to.equal('Invalid input — Unit: is not a valid identifier');
    expect(refusal(body, { ...valid, unitId: 'abc' }).vi).to.equal('Dữ liệu không hợp lệ — Đơn vị: mã đơn vị không hợp lệ');
    const backwards = refusal(body, { ...valid, validTo: '2026-11-22T10:00:00+07:00' });
    expect(backwards.vi).to.equal('Dữ liệu không hợp lệ — Đến: thời điểm kết thúc phải sau thời điểm bắt đầu');
    expect(backwards.en).to.equal('Invalid input — Until: must be after the start');
  });

  it('names an item of a list by its place: "Loại giấy tờ — bản chính 2"', () => {
    expect(fieldLabel('documents.1.type')).to.deep.equal({ vi: 'Loại giấy tờ — bản chính 2', en: 'Kind of paper — original 2' });
    expect(fieldLabel('rungs[0].trigger.percent')).to.deep.equal({ vi: 'Phần trăm thời hạn — bậc 1', en: 'Share of the time — rung 1' });
    expect(fieldLabel('unitIds.2')).to.deep.equal({ vi: 'Đơn vị 3', en: 'Unit 3' });
    expect(fieldLabel('(body)')).to.deep.equal({ vi: 'Dữ liệu gửi lên', en: 'Request data' });
  });

  it('never quotes a field’s API name (in parentheses, or a camel-case one bare) in the officers’ routes’ messages for empty or mistyped input', () => {
    const quoted: string[] = [];
    for (const r of ROUTES.filter((x) => x.path.startsWith('/api/') && !x.path.startsWith('/api/citizen/') && !x.path.startsWith('/api/public/'))) {
      for (const part of ['query', 'body'] as const) {
        const schema = r.input?.[part];
        if (!schema) continue;
        const names = new Set(declaredFields(schema).flatMap((p) => p.split('.')).filter((n) => !/^\d+$/.test(n)));
        const mistyped = Object.fromEntries([...names].map((n) => [n, 12345]));
        for (const value of [{}, mistyped]) {
          const r2 = (schema as z.ZodType).safeParse(value);
          if (r2.success) continue;
          for (const issue of r2.error.issues) {
            // "(unitIds)" quoted, or a camel-case name ("moreFileIds") standing bare in the sentence.
            const cited = [...issue.message.matchAll(/\(([A-Za-z][A-Za-z0-9]*)\)|\b([a-z]+[A-Z][A-Za-z0-9]*)\b/g)].map((m) => (m[1] ?? m[2])!).filter((n) => names.has(n));
            if (cited.length > 0) quoted.push(`${r.method.toUpperCase()} ${r.path}: ${issue.message}`);
          }
        }
      }
    }
    expect(quoted).to.deep.equal([]);
  });
});
