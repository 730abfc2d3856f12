/**
 * Every declared endpoint × every right: an officer holding only that right gets a 2xx where the
 * route allows it and 403 everywhere else; without a session every endpoint answers 401. Each
 * route has a sample request here, and the test fails when a route has none, so a new endpoint
 * cannot skip the matrix.
 */
import { bookTestAppointment, nextSlot } from '../support/appointments';
import { supportRequestIn } from '../support/supportDesk';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROUTES } from '../../api/app';
import { FileStore } from '../../infra/fileStore';
import { tinyPng } from '../support/scanImages';
import { checkIdScanContent, ID_SCAN_MAX_BYTES } from '../../infra/idScanContent';
import { storeReceivedMessage } from '../../infra/mail/localSmtpServer';
import { writePkcs12 } from '../../infra/pki/pkcs12';
import { testPki } from '../pki/fixtures';
import { RIGHT_CODES, type Right } from '../../domain/rights';
import type { Access, RouteSpec } from '../../api/route';
import { attachCaseEngine, pdfBytes, receptionBody, type CaseEngine } from '../support/caseApp';
import { attachLandServices, type LandTestServices } from '../support/land';
import { createTestOfficer, sessionFor, startTestApp, TEST_PASSWORD, type HttpResult, type TestApp } from '../support/identityApp';

interface Sample {
  path: string;
  body?: unknown;
  /** An upload: raw bytes instead of JSON. */
  raw?: { contentType: string; data: Buffer };
}

/** A small PNG, different for each call. */
function pngBytes(n: number): Buffer {
  return tinyPng(`matrix sample ${n}`);
}

/** Every state-changing sample carries a fresh Idempotency-Key: some routes require one. */
async function call(app: TestApp, method: string, sample: Sample, token?: string): Promise<HttpResult> {
  const headers: Record<string, string> = {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(method !== 'GET' ? { 'idempotency-key': `matrix-${next()}` } : {}),
  };
  if (sample.raw) headers['content-type'] = sample.raw.contentType;
  else if (sample.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.baseUrl}${sample.path}`, {
    method,
    headers,
    body: sample.raw ? sample.raw.data : sample.body !== undefined ? JSON.stringify(sample.body) : undefined,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

function allows(access: Access, right: Right | 'none'): boolean {
  if (typeof access !== 'object') return access !== 'citizen';
  if ('right' in access) return access.right === right;
  return right !== 'none' && access.anyOf.includes(right);
}

function accessLabel(access: Access): string {
  if (typeof access !== 'object') return 'any officer';
  return 'right' in access ? access.right : `any of ${access.anyOf.join(', ')}`;
}

type SampleFor = (app: TestApp, callerId: string) => Promise<Sample>;

let serial = 0;
const next = () => ++serial;

async function officerIn(app: TestApp, unitIds: string[], rights: Right[] = []): Promise<string> {
  return createTestOfficer(app.ctx.db, { username: `target${next()}`, unitIds, rights });
}

function citizenId(n: number): string {
  return `035085${String(n).padStart(6, '0')}`;
}

/** A province-level unit inside the callers' district (their scope), for alert subscriptions. */
async function alertProvince(app: TestApp): Promise<string> {
  const rows: Array<{ id: string }> = await app.ctx.db.query(`insert into units (code, name, level, parent_id, path) values ($1, 'Tỉnh mẫu', 'province', $2, '') returning id`, [
    `000.${next()}.98.H35`,
    app.org.district,
  ]);
  await app.ctx.db.query(`update units set path = (select path from units where id = $2) || $1 || '/' where id = $1`, [rows[0].id, app.org.district]);
  return rows[0].id;
}

/** A subscription of such a unit with one unconfirmed phone, whose code is `code` when given. */
async function alertAddress(app: TestApp, code?: string): Promise<{ subscriptionId: string; addressId: string }> {
  const subs: Array<{ id: string }> = await app.ctx.db.query(
    `insert into alert_subscriptions (unit_id, service_type, status, created_at, updated_at) values ($1, 'platform', 'active', now(), now()) returning id`,
    [await alertProvince(app)],
  );
  const rows: Array<{ id: string }> = await app.ctx.db.query(`insert into alert_addresses (subscription_id, channel, address) values ($1, 'sms', '0912345678') returning id`, [subs[0].id]);
  if (code) {
    await app.ctx.db.query(`update alert_addresses set code_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex'), code_expires_at = now() + interval '1 day' where id = $1`, [rows[0].id, `${rows[0].id}:${code}`]);
  }
  return { subscriptionId: subs[0].id, addressId: rows[0].id };
}

/** A configured API of such a province unit, pointing at the test app itself, which the console may call. */
async function apiEndpoint(app: TestApp): Promise<{ id: string; dstCode: string }> {
  const host = new URL(app.baseUrl).host;
  app.ctx.apiCheck = { allowHosts: [host], timeoutMs: 5000, maxBytes: 65_536 };
  const unitId = await alertProvince(app);
  const rows: Array<{ id: string; code: string }> = await app.ctx.db.query(
    `insert into api_endpoints (unit_id, api_type, name, data_url, method, status, created_at, updated_at)
     values ($1, 'land-obligation-lookup', 'Tra cứu mẫu', $2, 'GET', 'active', now(), now()) returning id, (select code from units where id = $1) as code`,
    [unitId, `${app.baseUrl}/api/health-probe`],
  );
  return { id: rows[0].id, dstCode: rows[0].code };
}

/** A date no other sample uses: consecutive Saturdays from 2031. */
function freshSaturday(n: number): string {
  return new Date(Date.UTC(2031, 0, 4) + n * 7 * 86_400_000).toISOString().slice(0, 10);
}

async function ownHoliday(app: TestApp, n: number): Promise<string> {
  const rows: Array<{ id: string }> = await app.ctx.db.query(
    `insert into calendar_holidays (date, name, kind, unit_id) values ($1, 'Nghỉ thử', 'holiday', $2) returning id`,
    [freshSaturday(n), app.org.communeA],
  );
  return rows[0].id;
}

/** An officer of communeA holding every case right, who prepares the cases the samples act on. */
let caseOfficer: { id: string; token: string } | undefined;

async function caseOfficerOf(app: TestApp): Promise<{ id: string; token: string }> {
  if (!caseOfficer) {
    const id = await createTestOfficer(app.ctx.db, { username: 'matrix.cases', fullName: 'Cán bộ Mẫu', unitIds: [app.org.communeA], rights: ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL'] });
    caseOfficer = { id, token: await sessionFor(app, id) };
  }
  return caseOfficer;
}

/** A PDF scan uploaded by `officerId` (visible to him). */
async function scanBy(app: TestApp, officerId: string): Promise<string> {
  const stored = await app.ctx.files!.put(pdfBytes(`matrix-${next()}`), { uploadedBy: officerId, originalName: 'ban-quet.pdf' });
  return stored.fileId;
}

/** A case of communeA brought to `state` through the API by the case officer; returns its code. */
async function caseIn(app: TestApp, state: 'receiving' | 'signing' | 'sealing'): Promise<string> {
  const o = await caseOfficerOf(app);
  const created = await call(app, 'POST', { path: '/api/cases', body: receptionBody(app.org.communeA, { scanFileId: await scanBy(app, o.id) }) }, o.token);
  if (created.status !== 201) throw new Error(`sample case: ${created.status} ${JSON.stringify(created.body)}`);
  const code = (created.body as { caseCode: string }).caseCode;
  const steps = state === 'receiving' ? [] : state === 'signing' ? ['submit'] : ['submit', 'sign'];
  for (const step of steps) {
    const res = await call(app, 'POST', { path: `/api/cases/${code}/${step}`, body: {} }, o.token);
    if (res.status !== 200) throw new Error(`sample case ${step}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return code;
}

/** A case of communeA whose fee the case officer has collected; returns its code. */
async function caseWithReceipt(app: TestApp): Promise<string> {
  const o = await caseOfficerOf(app);
  const code = await caseIn(app, 'receiving');
  const res = await call(app, 'POST', { path: `/api/cases/${code}/fee-receipt`, body: { method: 'transfer' } }, o.token);
  if (res.status !== 201) throw new Error(`sample receipt: ${res.status} ${JSON.stringify(res.body)}`);
  return code;
}

/** A message in the embedded server's mailbox, with one attachment; returns its id. */
async function storedMail(app: TestApp): Promise<string> {
  const raw = [
    `Message-ID: <matrix-${next()}@chungthuc.local>`,
    'From: <no-reply@chungthuc.local>',
    'To: <cong.dan@example.vn>',
    'Subject: Matrix sample',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'sample',
    '--b',
    'Content-Type: application/pdf; name="sample.pdf"',
    'Content-Disposition: attachment; filename="sample.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    pdfBytes('matrix-mail').toString('base64').replace(/.{76}/g, '$&\r\n'),
    '--b--',
    '',
  ].join('\r\n');
  const stored = await storeReceivedMessage(app.ctx.db, Buffer.from(raw), { from: 'no-reply@chungthuc.local', to: ['cong.dan@example.vn'] }, app.clock.now());
  return stored.id;
}

/** Signing and returning are open to a delegate too: the sample caller gets a delegation for communeA. */
async function delegateTo(app: TestApp, callerId: string): Promise<void> {
  const o = await caseOfficerOf(app);
  const now = app.clock.now().getTime();
  await app.ctx.db.query(
    `insert into signing_delegations (unit_id, from_officer_id, to_officer_id, valid_from, valid_to, reason, created_at, created_by)
     values ($1, $2, $3, $4, $5, 'Đi công tác', $4, $2)`,
    [app.org.communeA, o.id, callerId, new Date(now - 3_600_000), new Date(now + 7 * 86_400_000)],
  );
}

/** An ACCOUNT_CREATE officer of deskA, who opens the account requests the samples act on. */
let deskOfficer: { id: string; token: string } | undefined;

/** An account request of deskA awaiting its code, with a code sent when asked; its id and that code. */
async function accountRequestIn(app: TestApp, codeSent = false): Promise<{ id: string; code: string }> {
  deskOfficer ??= await (async () => {
    const id = await createTestOfficer(app.ctx.db, { username: 'matrix.desk', fullName: 'Cán bộ Một cửa Mẫu', unitIds: [app.org.deskA], rights: ['ACCOUNT_CREATE'] });
    return { id, token: await sessionFor(app, id) };
  })();
  const created = await call(app, 'POST', { path: '/api/citizen-accounts/requests', body: await accountRequestBody(app, deskOfficer.id) }, deskOfficer.token);
  if (created.status !== 201) throw new Error(`sample account request: ${created.status} ${JSON.stringify(created.body)}`);
  const id = (created.body as { requestId: string }).requestId;
  if (!codeSent) return { id, code: '' };
  const sent = await call(app, 'POST', { path: `/api/citizen-accounts/requests/${id}/otp` }, deskOfficer.token);
  if (sent.status !== 200) throw new Error(`sample code: ${sent.status} ${JSON.stringify(sent.body)}`);
  return { id, code: app.ctx.otpCodes!.code(`account-request:${id}:1`) };
}

async function accountRequestBody(app: TestApp, uploaderId: string): Promise<Record<string, unknown>> {
  const n = next();
  const scan = await app.ctx.files!.put(pdfBytes(`cccd-${n}`), { uploadedBy: uploaderId, originalName: 'CCCD.pdf', check: checkIdScanContent, maxBytes: ID_SCAN_MAX_BYTES });
  return { citizen: { fullName: 'Công Dân Mẫu', citizenId: citizenId(n), birthDate: '1985-06-15', phone: '0987000111' }, unitId: app.org.deskA, idScanFileId: scan.fileId };
}

const SAMPLES: Record<string, SampleFor> = {
  'POST /api/citizen-accounts/id-scans': async () => ({ path: '/api/citizen-accounts/id-scans', raw: { contentType: 'application/pdf', data: pdfBytes(`id-scan-${next()}`) } }),
  'GET /api/reception/citizen': async (app) => {
    const idNumber = citizenId(next());
    await app.ctx.db.query(
      `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, assurance_level, verified_by, created_at)
       values ('citizen', $1, $1, 'Công Dân Cổng', 'cong dan cong', '1985-06-15', '0987000222', 'IAL2', 'mobile', now())`,
      [idNumber],
    );
    return { path: `/api/reception/citizen?idNumber=${idNumber}` };
  },
  'GET /api/citizen-accounts/lookup': async () => ({ path: `/api/citizen-accounts/lookup?idNumber=${citizenId(next())}` }),
  'GET /api/citizen-accounts': async () => ({ path: '/api/citizen-accounts?name=mau' }),
  'GET /api/citizen-accounts/requests': async () => ({ path: '/api/citizen-accounts/requests' }),
  'POST /api/citizen-accounts/requests': async (app, callerId) => ({ path: '/api/citizen-accounts/requests', body: await accountRequestBody(app, callerId) }),
  'GET /api/citizen-accounts/requests/:id': async (app) => ({ path: `/api/citizen-accounts/requests/${(await accountRequestIn(app)).id}` }),
  'GET /api/citizen-accounts/requests/:id/form': async (app) => ({ path: `/api/citizen-accounts/requests/${(await accountRequestIn(app)).id}/form` }),
  'POST /api/citizen-accounts/requests/:id/otp': async (app) => ({ path: `/api/citizen-accounts/requests/${(await accountRequestIn(app)).id}/otp` }),
  'POST /api/citizen-accounts/requests/:id/confirm': async (app) => {
    const r = await accountRequestIn(app, true);
    return { path: `/api/citizen-accounts/requests/${r.id}/confirm`, body: { otp: r.code } };
  },
  'POST /api/citizen-accounts/requests/:id/cancel': async (app) => ({ path: `/api/citizen-accounts/requests/${(await accountRequestIn(app)).id}/cancel`, body: { reason: 'Công dân đổi ý' } }),
  'POST /api/auth/logout': async () => ({ path: '/api/auth/logout' }),
  'GET /api/auth/me': async () => ({ path: '/api/auth/me' }),
  'POST /api/auth/password': async () => ({ path: '/api/auth/password', body: { currentPassword: TEST_PASSWORD, newPassword: `matkhaumoi${next()}` } }),
  'GET /api/sms-outbox': async () => ({ path: '/api/sms-outbox' }),
  'GET /api/admin/public-address': async () => ({ path: '/api/admin/public-address' }),
  'POST /api/admin/cases/:code/workflow-reset': async (app) => ({
    path: `/api/admin/cases/${await caseIn(app, 'receiving')}/workflow-reset`,
    body: { to: 'last', reason: 'Đặt lại sau bản triển khai lỗi' },
  }),
  'GET /api/admin/users/export': async () => ({ path: '/api/admin/users/export?format=csv' }),
  'GET /api/admin/users': async () => ({ path: '/api/admin/users?name=a' }),
  'GET /api/admin/users/:id': async (app) => ({ path: `/api/admin/users/${await officerIn(app, [app.org.communeA])}` }),
  'POST /api/admin/users': async (app) => {
    const n = next();
    return { path: '/api/admin/users', body: { username: `moi${n}`, fullName: 'Nguyễn Văn Mới', citizenId: citizenId(n), password: 'matkhau123', unitIds: [app.org.communeA], rights: ['CERT_CREATE'] } };
  },
  'PATCH /api/admin/users/:id': async (app) => ({ path: `/api/admin/users/${await officerIn(app, [app.org.communeA])}`, body: { fullName: 'Tên Đã Sửa' } }),
  'POST /api/admin/users/:id/units': async (app) => ({ path: `/api/admin/users/${await officerIn(app, [app.org.communeA])}/units`, body: { unitId: app.org.communeB } }),
  'DELETE /api/admin/users/:id/units/:unitId': async (app) => ({ path: `/api/admin/users/${await officerIn(app, [app.org.communeA, app.org.communeB])}/units/${app.org.communeB}` }),
  'POST /api/admin/users/:id/rights': async (app) => ({ path: `/api/admin/users/${await officerIn(app, [app.org.communeA])}/rights`, body: { right: 'CERT_REPORT' } }),
  'DELETE /api/admin/users/:id/rights/:right': async (app) => ({ path: `/api/admin/users/${await officerIn(app, [app.org.communeA], ['CERT_CREATE'])}/rights/CERT_CREATE` }),
  'GET /api/units': async () => ({ path: '/api/units' }),
  'POST /api/admin/units': async (app) => {
    const n = next();
    return { path: '/api/admin/units', body: { code: `000.${String(40 + (n % 50)).padStart(2, '0')}.43.H35.${String(n % 100).padStart(2, '0')}`, name: `Tổ công tác ${n}`, level: 'office', parentId: app.org.communeA } };
  },
  'PATCH /api/admin/units/:id': async () => ({ path: '/api/admin/units/UNIT', body: { name: 'Bộ phận Một cửa xã Nùng Năng (mới)' } }),
  'GET /api/me/one-stop-units': async () => ({ path: '/api/me/one-stop-units' }),
  'POST /api/delegations': async (app) => ({
    path: '/api/delegations',
    body: { unitId: app.org.communeA, toOfficerId: await officerIn(app, [app.org.communeA]), validFrom: '2026-11-24T01:00:00Z', validTo: '2026-11-30T10:00:00Z', reason: 'Đi công tác huyện' },
  }),
  'GET /api/delegations': async () => ({ path: '/api/delegations' }),
  'GET /api/delegations/candidates': async (app) => ({ path: `/api/delegations/candidates?unitId=${app.org.communeA}` }),
  'DELETE /api/delegations/:id': async (app, callerId) => {
    const to = await officerIn(app, [app.org.communeA]);
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into signing_delegations (unit_id, from_officer_id, to_officer_id, valid_from, valid_to, reason, created_at, created_by)
       values ($1, $2, $3, $4, $5, 'Nghỉ phép', $4, $2) returning id`,
      [app.org.communeA, callerId, to, new Date('2026-11-24T01:00:00Z'), new Date('2026-11-30T10:00:00Z')],
    );
    return { path: `/api/delegations/${rows[0].id}` };
  },
  'GET /api/appointments/schedule': async (app) => ({ path: `/api/appointments/schedule?unitId=${app.org.communeA}&date=${(await nextSlot(app, app.org.communeA)).date}` }),
  'GET /api/appointments/:code': async (app) => ({ path: `/api/appointments/${(await bookTestAppointment(app)).code}` }),
  'POST /api/appointments/:code/check-in': async (app) => ({ path: `/api/appointments/${(await bookTestAppointment(app)).code}/check-in`, body: {} }),
  'POST /api/appointments/:code/reschedule': async (app) => {
    const booked = await bookTestAppointment(app);
    const later = await nextSlot(app, app.org.communeA, Date.parse(booked.slotStart));
    return { path: `/api/appointments/${booked.code}/reschedule`, body: { slotStart: later.start, reason: 'Cán bộ đi họp đột xuất' } };
  },
  'POST /api/appointments/reschedule': async (app) => {
    const booked = await bookTestAppointment(app);
    const day = await nextSlot(app, app.org.communeA, Date.parse(booked.slotStart) + 86_400_000);
    return { path: '/api/appointments/reschedule', body: { unitId: app.org.communeA, date: booked.slotStart.slice(0, 10), slotStart: booked.slotStart, toDate: day.date, reason: 'Cơ quan họp toàn thể' } };
  },
  'GET /api/units/:unitId/appointment-settings': async (app) => ({ path: `/api/units/${app.org.communeA}/appointment-settings` }),
  'PUT /api/units/:unitId/appointment-settings': async () => ({ path: '/api/units/UNIT/appointment-settings', body: { slotMinutes: 30, capacity: 3, offersVn: true, offersForeign: false } }),
  'PUT /api/units/:unitId/paper-types': async () => ({ path: '/api/units/UNIT/paper-types', body: { names: ['Giấy khai sinh', 'Học bạ'] } }),
  'GET /api/support/service-groups': async () => ({ path: '/api/support/service-groups' }),
  'POST /api/support/attachments': async () => ({ path: '/api/support/attachments', raw: { contentType: 'text/plain', data: Buffer.from(`Nhật ký lỗi ${next()}\n`) } }),
  'POST /api/support/requests': async (app) => ({
    path: '/api/support/requests',
    body: { unitId: app.org.communeA, serviceGroup: 'khac', requesterName: 'Đào Mạnh Luân', requesterPhone: '0912345678', feedbackEmail: 'phanhoi@xa.example.vn', title: `Yêu cầu ${next()}`, description: 'Mô tả' },
  }),
  'GET /api/support/requests': async () => ({ path: '/api/support/requests?status=received' }),
  'GET /api/support/queue': async () => ({ path: '/api/support/queue' }),
  'GET /api/support/requests/:code': async (app) => ({ path: `/api/support/requests/${(await supportRequestIn(app)).code}` }),
  'GET /api/support/requests/:code/attachments/:fileId': async (app) => {
    const r = await supportRequestIn(app);
    return { path: `/api/support/requests/${r.code}/attachments/${r.fileId}` };
  },
  'POST /api/support/requests/:code/take': async (app) => ({ path: `/api/support/requests/${(await supportRequestIn(app)).code}/take`, body: {} }),
  'POST /api/support/requests/:code/ask': async (app, callerId) => ({ path: `/api/support/requests/${(await supportRequestIn(app, { takenBy: callerId })).code}/ask`, body: { text: 'Đơn vị gửi giúp URL API?' } }),
  'POST /api/support/requests/:code/answer': async (app) => ({ path: `/api/support/requests/${(await supportRequestIn(app, { waiting: true })).code}/answer`, body: { text: 'https://api.xa.example.vn' } }),
  'POST /api/support/requests/:code/resolve': async (app, callerId) => ({ path: `/api/support/requests/${(await supportRequestIn(app, { takenBy: callerId })).code}/resolve`, body: { text: 'Đã cấu hình xong' } }),
  'POST /api/support/requests/:code/reject': async (app) => ({ path: `/api/support/requests/${(await supportRequestIn(app)).code}/reject`, body: { text: 'Không thuộc phạm vi hỗ trợ' } }),
  'POST /api/support/requests/:code/cancel': async (app) => ({ path: `/api/support/requests/${(await supportRequestIn(app)).code}/cancel`, body: { text: 'Đơn vị đã tự xử lý' } }),
  'GET /api/calendar/units/:unitId': async (app) => ({ path: `/api/calendar/units/${app.org.communeA}?from=2026-11-01&to=2026-11-30` }),
  'PUT /api/calendar/units/:unitId/office-hours': async (app) => ({
    path: `/api/calendar/units/${app.org.communeA}/office-hours`,
    body: { hours: { 1: [{ start: '07:30', end: '11:30' }, { start: '13:30', end: '17:00' }], 2: [{ start: '07:30', end: '11:30' }] } },
  }),
  'DELETE /api/calendar/units/:unitId/office-hours': async (app) => {
    await app.ctx.db.query(
      `insert into unit_office_hours (unit_id, hours, updated_at) values ($1, '{"1":[{"start":"08:00","end":"11:00"}]}', now()) on conflict (unit_id) do nothing`,
      [app.org.communeB],
    );
    return { path: `/api/calendar/units/${app.org.communeB}/office-hours` };
  },
  'POST /api/calendar/holidays': async (app) => ({ path: '/api/calendar/holidays', body: { date: freshSaturday(next()), name: 'Nghỉ địa phương', kind: 'holiday', unitId: app.org.communeA } }),
  'DELETE /api/calendar/holidays/:id': async (app) => ({ path: `/api/calendar/holidays/${await ownHoliday(app, next())}` }),
  'POST /api/calendar/working-days': async (app) => ({ path: '/api/calendar/working-days', body: { date: freshSaturday(next()), name: 'Làm bù', unitId: app.org.communeA } }),
  'DELETE /api/calendar/working-days/:id': async (app) => {
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into calendar_working_days (date, name, unit_id) values ($1, 'Làm bù thử', $2) returning id`,
      [freshSaturday(next()), app.org.communeA],
    );
    return { path: `/api/calendar/working-days/${rows[0].id}` };
  },
  'GET /api/calendar/due': async (app) => ({ path: `/api/calendar/due?unitId=${app.org.communeA}&hours=2` }),
  'GET /api/audit': async () => ({ path: '/api/audit' }),
  'GET /api/audit/verify': async () => ({ path: '/api/audit/verify' }),
  'GET /api/audit/cases/:code/history': async (app) => ({ path: `/api/audit/cases/${await caseIn(app, 'receiving')}/history` }),
  'GET /api/audit/cases/:code/history.json': async (app) => ({ path: `/api/audit/cases/${await caseIn(app, 'receiving')}/history.json` }),
  'POST /api/audit/cases/:code/replay': async (app) => ({ path: `/api/audit/cases/${await caseIn(app, 'receiving')}/replay`, body: {} }),
  'GET /api/units/:unitId/escalation-ladder': async (app) => ({ path: `/api/units/${app.org.communeA}/escalation-ladder` }),
  'PUT /api/units/:unitId/escalation-ladder': async (app) => ({ path: `/api/units/${app.org.communeA}/escalation-ladder`, body: { rungs: [] } }),
  'GET /api/notifications': async () => ({ path: '/api/notifications' }),
  'GET /api/alert-subscriptions': async () => ({ path: '/api/alert-subscriptions' }),
  'POST /api/alert-subscriptions': async (app) => ({
    path: '/api/alert-subscriptions',
    body: { unitId: await alertProvince(app), serviceType: 'citizen-mail', phones: ['0912345678'], emails: ['canhbao@tinh.gov.vn'] },
  }),
  'POST /api/alert-subscriptions/:id/addresses/:addressId/confirm': async (app) => {
    const a = await alertAddress(app, '246810');
    return { path: `/api/alert-subscriptions/${a.subscriptionId}/addresses/${a.addressId}/confirm`, body: { code: '246810' } };
  },
  'POST /api/alert-subscriptions/:id/addresses/:addressId/resend': async (app) => {
    const a = await alertAddress(app);
    return { path: `/api/alert-subscriptions/${a.subscriptionId}/addresses/${a.addressId}/resend` };
  },
  'POST /api/alert-subscriptions/:id/pause': async (app) => ({ path: `/api/alert-subscriptions/${(await alertAddress(app)).subscriptionId}/pause` }),
  'POST /api/alert-subscriptions/:id/resume': async (app) => ({ path: `/api/alert-subscriptions/${(await alertAddress(app)).subscriptionId}/resume` }),
  'DELETE /api/alert-subscriptions/:id': async (app) => ({ path: `/api/alert-subscriptions/${(await alertAddress(app)).subscriptionId}` }),
  'GET /api/alerts': async () => ({ path: '/api/alerts' }),
  'GET /api/api-check/options': async () => ({ path: '/api/api-check/options' }),
  'POST /api/api-check/send': async (app) => {
    const e = await apiEndpoint(app);
    return { path: '/api/api-check/send', body: { mode: 'new', url: `${app.baseUrl}/api/health-probe`, dstCode: e.dstCode, apiType: 'session', httpMethod: 'GET' } };
  },
  'GET /api/api-endpoints': async () => ({ path: '/api/api-endpoints' }),
  'POST /api/api-endpoints': async (app) => ({
    path: '/api/api-endpoints',
    body: { unitId: await alertProvince(app), apiType: 'payment-receipt', name: 'Biên lai', dataUrl: 'https://api.laichau.example.vn/bien-lai' },
  }),
  'PUT /api/api-endpoints/:id': async (app) => {
    const e = await apiEndpoint(app);
    const unitId: Array<{ unit_id: string }> = await app.ctx.db.query(`select unit_id from api_endpoints where id = $1`, [e.id]);
    return { path: `/api/api-endpoints/${e.id}`, body: { unitId: unitId[0].unit_id, apiType: 'payment-receipt', name: 'Biên lai', dataUrl: 'https://api.laichau.example.vn/bien-lai' } };
  },
  'POST /api/api-endpoints/:id/disable': async (app) => ({ path: `/api/api-endpoints/${(await apiEndpoint(app)).id}/disable` }),
  'POST /api/api-endpoints/:id/enable': async (app) => ({ path: `/api/api-endpoints/${(await apiEndpoint(app)).id}/enable` }),
  'GET /api/land-payments': async () => ({ path: '/api/land-payments?status=paid' }),
  'GET /api/land-payments/:orderId': async (app) => ({ path: `/api/land-payments/${await landPaymentIn(app)}` }),
  'GET /api/land-payments/:orderId/receipt': async (app) => ({ path: `/api/land-payments/${await landPaymentIn(app, true)}/receipt` }),
  'POST /api/notifications/:id/read': async (app, callerId) => {
    const rows: Array<{ id: string }> = await app.ctx.db.query(
      `insert into officer_notifications (officer_id, kind, title, body, created_at, dedupe_key) values ($1, 'test', 'T', 'B', now(), gen_random_uuid()::text) returning id`,
      [callerId],
    );
    return { path: `/api/notifications/${rows[0].id}/read` };
  },
  'POST /api/notifications/read-all': async () => ({ path: '/api/notifications/read-all' }),
  'POST /api/files': async () => ({ path: '/api/files', raw: { contentType: 'image/png', data: pngBytes(next()) } }),
  'GET /api/files/:id': async (app, callerId) => {
    const stored = await app.ctx.files!.put(pngBytes(next()), { uploadedBy: callerId, originalName: 'mau.png' });
    return { path: `/api/files/${stored.fileId}` };
  },
  'POST /api/cases': async (app) => ({ path: '/api/cases', body: receptionBody(app.org.deskA) }),
  'POST /api/cases/:code/scan': async (app, callerId) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/scan`, body: { fileId: await scanBy(app, callerId) } }),
  'POST /api/cases/:code/complex': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/complex`, body: { complex: true, reason: 'Nhiều bản chính' } }),
  'POST /api/cases/:code/originals': async (app) => ({
    path: `/api/cases/${await caseIn(app, 'receiving')}/originals`,
    body: { documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 1 }], reason: 'Khai nhầm số bản sao' },
  }),
  'POST /api/cases/:code/submit': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/submit`, body: {} }),
  'POST /api/cases/:code/refuse': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/refuse`, body: { ground: 'SECRET', note: 'Bản chính có dấu mật' } }),
  'POST /api/cases/:code/sign': async (app, callerId) => {
    await delegateTo(app, callerId);
    return { path: `/api/cases/${await caseIn(app, 'signing')}/sign`, body: {} };
  },
  'POST /api/cases/:code/return': async (app, callerId) => {
    await delegateTo(app, callerId);
    return { path: `/api/cases/${await caseIn(app, 'signing')}/return`, body: { reason: 'Bản quét thiếu trang' } };
  },
  'POST /api/cases/:code/seal': async (app) => ({ path: `/api/cases/${await caseIn(app, 'sealing')}/seal`, body: {} }),
  'POST /api/cases/:code/extend': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/extend`, body: { workingDays: 1, reason: 'Nhiều bản chính' } }),
  'POST /api/cases/:code/withdraw': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/withdraw`, body: { reason: 'Công dân rút hồ sơ' } }),
  'GET /api/cases/:code': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}` }),
  'POST /api/cases/:code/fee-payment': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/fee-payment` }),
  'POST /api/cases/:code/fee-receipt': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/fee-receipt`, body: { method: 'cash' } }),
  'GET /api/cases/:code/fee-receipt': async (app) => ({ path: `/api/cases/${await caseWithReceipt(app)}/fee-receipt` }),
  'GET /api/cases/:code/fee-receipt/pdf': async (app) => ({ path: `/api/cases/${await caseWithReceipt(app)}/fee-receipt/pdf` }),
  'GET /api/cases': async () => ({ path: '/api/cases?overdue=false' }),
  'GET /api/inbox': async () => ({ path: '/api/inbox' }),
  'GET /api/register': async (app) => ({ path: `/api/register?unitId=${app.org.communeA}&year=2026` }),
  'GET /api/register/fee-receipts': async (app) => ({ path: `/api/register/fee-receipts?unitId=${app.org.communeA}&year=2026` }),
  'GET /api/reports/certification': async (app) => ({ path: `/api/reports/certification?unitId=${app.org.district}&from=2026-11-01&to=2026-12-01` }),
  'GET /api/mail/messages': async () => ({ path: '/api/mail/messages?subject=matrix' }),
  'GET /api/mail/messages/:id': async (app) => ({ path: `/api/mail/messages/${await storedMail(app)}` }),
  'GET /api/mail/messages/:id/raw': async (app) => ({ path: `/api/mail/messages/${await storedMail(app)}/raw` }),
  'GET /api/mail/messages/:id/attachments/:index': async (app) => ({ path: `/api/mail/messages/${await storedMail(app)}/attachments/0` }),
  'GET /api/mail/outbox': async () => ({ path: '/api/mail/outbox' }),
  'GET /api/supervision/dashboard': async () => ({ path: '/api/supervision/dashboard' }),
  'GET /api/supervision/consistency': async () => ({ path: '/api/supervision/consistency' }),
  'GET /api/documents': async () => ({ path: '/api/documents' }),
  'GET /api/cases/:code/reception-receipt': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/reception-receipt` }),
  'GET /api/cases/:code/documents': async (app) => ({ path: `/api/cases/${await caseIn(app, 'receiving')}/documents` }),
  'GET /api/documents/:id': async (app, callerId) => ({ path: `/api/documents/${await documentHeldBy(app, callerId)}` }),
  'GET /api/pki/certificates': async () => ({ path: '/api/pki/certificates?kind=person' }),
  'POST /api/pki/certificates/import': async (app) => {
    const { leader } = testPki();
    const p12 = writePkcs12({ certificate: leader.certificate, chain: leader.chain, privateKey: leader.privateKey }, 'matkhau');
    return { path: '/api/pki/certificates/import', body: { p12Base64: p12.toString('base64'), password: 'matkhau', officerId: await officerIn(app, [app.org.communeA]) } };
  },
  'POST /api/pki/certificates/:serial/revoke': async (app) => {
    const officerId = await officerIn(app, [app.org.communeA]);
    const signer = await app.ctx.pki!.personalSigner({ officerId, fullName: 'Lãnh Đạo Mẫu', title: 'Phó Chủ tịch UBND xã', unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' } });
    return { path: `/api/pki/certificates/${signer.serial}/revoke`, body: { reason: 'keyCompromise' } };
  },
};

/** A land payment of communeA, paid with its receipt on file when `receipt`. */
async function landPaymentIn(app: TestApp, receipt = false): Promise<string> {
  const orderId = `DD261207-${String(next()).padStart(8, '0')}`;
  await app.ctx.db.query(
    `insert into land_payments (order_id, dossier_code, id_number, notice_number, taxpayer, items, amount_vnd, property, unit_id, locality_name, holder_id, status, created_at, expires_at)
     values ($1, 'H35.15-DD-2026-MATRIX', '012090001234', $1, 'Giàng A Páo', '[]', 1000, '{"address":"Nùng Năng"}', $2, 'UBND xã Nùng Năng', '012090001234', 'created', now(), now() + interval '15 minutes')`,
    [orderId, app.org.communeA],
  );
  if (receipt) {
    const relative = join('land', orderId, 'bien-lai.pdf');
    mkdirSync(join(matrixFilesDir, 'land', orderId), { recursive: true });
    writeFileSync(join(matrixFilesDir, relative), pdfBytes(orderId));
    const docs: Array<{ id: string }> = await app.ctx.db.query(
      `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
       values ('H35.15-DD-2026-MATRIX', $1, 'land_receipt', 'citizen', '012090001234', 'payer', 'Biên lai mẫu', $2, repeat('b', 64), 10, now()) returning id`,
      [app.org.communeA, relative],
    );
    await app.ctx.db.query(`update land_payments set status = 'paid', receipt_no = $2, receipt_document_id = $3 where order_id = $1`, [orderId, `BL-DD-2026-${orderId.slice(-6)}`, docs[0].id]);
  }
  return orderId;
}

/** A paper in `officerId`'s document list, with its file in the case folder. */
async function documentHeldBy(app: TestApp, officerId: string): Promise<string> {
  const code = `HS-MATRIX-${next()}`;
  const relative = join('cases', code, 'ban-sao.pdf');
  mkdirSync(join(matrixFilesDir, 'cases', code), { recursive: true });
  writeFileSync(join(matrixFilesDir, relative), pdfBytes(code));
  const rows: Array<{ id: string }> = await app.ctx.db.query(
    `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
     values ($1, $2, 'certified_copy', 'officer', $3, 'receiver', 'Bản sao mẫu', $4, repeat('a', 64), 10, now()) returning id`,
    [code, app.org.communeA, officerId, relative],
  );
  return rows[0].id;
}

const matrixFilesDir = mkdtempSync(join(tmpdir(), 'matrix-files-'));
const key = (r: RouteSpec) => `${r.method.toUpperCase()} ${r.path}`;
// Citizen routes refuse every officer (test/citizen/login.test.ts walks them with an officer's token).
const guarded = ROUTES.filter((r) => r.access !== 'public' && r.access !== 'citizen');

describe('API access matrix: every endpoint × every right', function () {
  this.timeout(300_000);
  let app: TestApp;
  let engine: CaseEngine | undefined;
  let land: LandTestServices | undefined;
  const filesDir = matrixFilesDir;
  const callers = new Map<Right | 'none', string>();

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    app.ctx.files = new FileStore(app.ctx.db, app.clock, { dir: filesDir, maxBytes: 1024 * 1024 });
    engine = await attachCaseEngine(app, filesDir);
    land = await attachLandServices(app);
    for (const right of [...RIGHT_CODES, 'none'] as const) {
      callers.set(right, await createTestOfficer(app.ctx.db, { username: `only.${right.toLowerCase()}`, unitIds: [app.org.district, app.org.deskA], rights: right === 'none' ? [] : [right] }));
    }
  });
  after(async () => {
    await land?.close();
    await engine?.stop();
    await app?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('has a sample request for every guarded route, and no sample for a route that does not exist', () => {
    expect(guarded.map(key).filter((k) => !SAMPLES[k]), 'routes without a sample').to.deep.equal([]);
    expect(Object.keys(SAMPLES).filter((k) => !guarded.some((r) => key(r) === k)), 'samples without a route').to.deep.equal([]);
  });

  it('answers 401 without a session on every guarded route', async () => {
    for (const route of guarded) {
      const sample = await SAMPLES[key(route)](app, callers.get('none')!);
      const res = await call(app, route.method.toUpperCase(), sample);
      expect(res.status, key(route)).to.equal(401);
      expect(res.body.error.code, key(route)).to.equal('UNAUTHENTICATED');
    }
  });

  it('POST /api/admin/users/:id/rights — never to oneself: the USER_ADMIN caller granting himself any right gets 403, audited', async () => {
    const adminId = callers.get('USER_ADMIN')!;
    const token = await sessionFor(app, adminId);
    const outcomes: string[] = [];
    for (const right of RIGHT_CODES) {
      const res = await call(app, 'POST', { path: `/api/admin/users/${adminId}/rights`, body: { right } }, token);
      outcomes.push(`${right}: ${res.status} ${res.body?.error?.code}`);
    }
    expect(outcomes).to.deep.equal(RIGHT_CODES.map((r) => `${r}: 403 SELF_GRANT_FORBIDDEN`));
    const audited: Array<{ n: number }> = await app.ctx.db.query(
      `select count(*)::int as n from audit_log where action = 'admin.users.right.grant' and actor_id = $1 and target = $2 and outcome = 'refused' and details->>'reason' = 'self-grant'`,
      [adminId, `officer:${adminId}`],
    );
    expect(audited[0].n).to.equal(RIGHT_CODES.length);
  });

  for (const route of guarded) {
    it(`${key(route)} — ${accessLabel(route.access)}`, async () => {
      const outcomes: string[] = [];
      for (const [right, officerId] of callers) {
        const allowed = allows(route.access, right);
        let sample = await SAMPLES[key(route)](app, officerId);
        if (sample.path.includes('/UNIT')) {
          const unit = await app.ctx.db.query(`insert into units (code, name, level, parent_id, path) values ($1, 'Tổ tạm', 'office', $2, '') returning id`, [`000.${next()}.99.H35`, app.org.communeA]);
          const parentPath: Array<{ path: string }> = await app.ctx.db.query('select path from units where id = $1', [app.org.communeA]);
          await app.ctx.db.query('update units set path = $2 where id = $1', [unit[0].id, `${parentPath[0].path}${unit[0].id}/`]);
          sample = { ...sample, path: sample.path.replace('UNIT', unit[0].id) };
        }
        const res = await call(app, route.method.toUpperCase(), sample, await sessionFor(app, officerId));
        const ok = allowed ? res.status >= 200 && res.status < 300 : res.status === 403 && res.body?.error?.code === 'RIGHT_REQUIRED';
        outcomes.push(`${right}: ${res.status}${ok ? '' : ` ✗ ${JSON.stringify(res.body).slice(0, 300)}`}`);
      }
      expect(outcomes.filter((o) => o.includes('✗')), outcomes.join('\n')).to.deep.equal([]);
    });
  }
});
