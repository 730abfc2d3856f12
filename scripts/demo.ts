/**
 * `npm run demo`: one certification case through the running system's REST API (`npm start`),
 * as the three demo officers of UBND xã Nùng Năng — lan.tn receives it at the one-stop desk,
 * attaches a scan and issues the fee receipt, hung.lv signs it, mai.pt numbers and seals it — then
 * prints the case code, its certification number, its deadlines and where the certified copy was
 * written; a few more cases for the supervisor, one signed by lan.tn under hung.lv's signing
 * delegation (TUQ.); then lan.tn opens a citizen's portal account at the desk (ID scan, request,
 * SMS code, account); last, the demo citizen gets a signing certificate
 * from the system's embedded authority, as a .p12 file, and logs in to the portal with it, signing
 * as the reference signer does (`npm run signer`); signed in, she books an appointment at the
 * commune on the portal (seed 001 part II) and lan.tn checks her in and receives a case from it.
 *
 * The certificate is issued with the system's own authority: PKI_MASTER_KEY, else the key
 * `npm start` keeps in .data/pki-master.key.
 * API: DEMO_API_URL (default http://127.0.0.1:3000). The SMS login codes are read from the local
 * SMS outbox of the system's database: DATABASE_URL, else the one `npm start` recorded in
 * .data/system.json (not needed when the system runs with OTP_REQUIRED=false).
 */
import { DEFAULT_LOCAL_TAX_PORT } from '../infra/landTax/landServicesFromEnv';
import { textPagePdf, textPagesPdf } from '../infra/pdf/simplePdf';
import { createPrivateKey, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client as PgClient } from 'pg';
import { dataRoot } from '../db/databaseUrl';
import { openDatabase } from '../db/dataSource';
import { DEMO_CITIZEN, DEMO_PASSWORD } from '../db/seed/demo';
import { pkiFromEnv } from '../infra/certificationServices';
import { landObligationPaid } from './lib/demoLand';
import { issueCitizenCertificate } from '../infra/pki/citizenCertificates';
import { writePkcs12 } from '../infra/pki/pkcs12';
import { P12Keystore } from '../signer/p12Keystore';
import { formatLocalDateTime } from '../domain/calendar';
import { fileStoreConfigFromEnv } from '../infra/fileStore';
import type { CaseView } from '../workflows/certification/types';
import { companionDatabaseUrl } from './lib/systemFile';

const API = (process.env.DEMO_API_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');

interface Answer<T> {
  status: number;
  body: T;
}

// Bodies are whatever the API answers; each use below reads the fields it documents.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function request<T = any>(method: string, url: string, options: { token?: string; body?: unknown; raw?: { data: Buffer; name: string } } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (method !== 'GET') headers['idempotency-key'] = randomUUID();
  let body: Uint8Array | string | undefined;
  if (options.raw) {
    headers['content-type'] = 'application/octet-stream';
    headers['x-file-name'] = encodeURIComponent(options.raw.name);
    body = new Uint8Array(options.raw.data);
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${API}${url}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function expectStatus<T>(what: string, answer: Answer<T>, status: number): T {
  if (answer.status !== status) {
    const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new Error(`${what}: HTTP ${answer.status} ${error ? `${error.code}: ${error.message}` : JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** The newest login code sent to the officer, from the local SMS outbox. */
async function smsCode(username: string): Promise<string> {
  const url = companionDatabaseUrl();
  if (!url) throw new Error(`${username} needs an SMS code, and no database is known to read it from: start the system with \`npm start\` or set DATABASE_URL`);
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    const rows = await pg.query<{ body: string }>(
      `select s.body from sms_outbox s join officers o on o.phone = s.to_phone where o.username = $1 order by s.seq desc limit 1`,
      [username],
    );
    const code = /\b(\d{6})\b/.exec(rows.rows[0]?.body ?? '')?.[1];
    if (!code) throw new Error(`no SMS code was found for ${username} in the SMS outbox`);
    return code;
  } finally {
    await pg.end();
  }
}

async function login(username: string): Promise<string> {
  const first = expectStatus(`login ${username}`, await request('POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } }), 200);
  if (first.status === 'ok') return first.token as string;
  const second = expectStatus(`SMS code of ${username}`, await request('POST', '/api/auth/otp', { body: { challengeToken: first.challengeToken, code: await smsCode(username) } }), 200);
  return second.token as string;
}

/** A small PDF standing for the scan of an original of `pages` pages, different on every run. */
function scanPdf(pages: number): Buffer {
  const made = new Date().toISOString();
  return textPagesPdf(Array.from({ length: pages }, (_, i) => ['GIAY KHAI SINH - BAN CHINH', `Ban quet ${made}`, `Trang ${i + 1}/${pages}`]));
}

const local = (iso: string | undefined) => (iso ? `${formatLocalDateTime(Date.parse(iso))} (giờ Hà Nội)` : '—');

async function main(): Promise<void> {
  console.log(`API: ${API}`);
  const health = await fetch(`${API}/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`the API at ${API} does not answer: start the system with \`npm start\` (or set DEMO_API_URL)`);

  const receiver = await login('lan.tn');
  const leader = await login('hung.lv');
  const sealer = await login('mai.pt');
  console.log('logged in: lan.tn (tiếp nhận), hung.lv (lãnh đạo ký), mai.pt (cấp số, đóng dấu)');

  const me = expectStatus('GET /api/auth/me', await request<{ id: string; units: Array<{ id: string; code: string; name: string; oneStop: boolean }> }>('GET', '/api/auth/me', { token: receiver }), 200);
  // lan.tn works at the commune's one-stop desk; the case will belong to the commune.
  const desk = me.units.find((u) => u.oneStop) ?? me.units[0];
  if (!desk) throw new Error('lan.tn is assigned to no unit');
  const upload = expectStatus('upload the scan', await request('POST', '/api/files', { token: receiver, raw: { data: scanPdf(3), name: 'ban-quet-giay-khai-sinh.pdf' } }), 201);
  console.log(`scan uploaded: ${upload.fileId} (${upload.mimeType}, ${upload.bytes} bytes)`);

  const received = expectStatus(
    'POST /api/cases',
    await request<CaseView>('POST', '/api/cases', {
      token: receiver,
      body: {
        unitId: desk.id,
        citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12', phone: '0987654321', email: 'pao@example.vn' },
        documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 2 }],
        scanFileId: upload.fileId,
      },
    }),
    201,
  );
  const code = received.caseCode;
  console.log(`received at ${desk.name}: case ${code}, fee ${received.fee.totalVnd.toLocaleString('vi-VN')} đồng`);
  await collectFee(receiver, code);

  const step = async (token: string, action: string, label: string) => {
    const view = expectStatus(label, await request<CaseView>('POST', `/api/cases/${encodeURIComponent(code)}/${action}`, { token, body: {} }), 200);
    console.log(`${label}: ${view.status}`);
    return view;
  };
  await step(receiver, 'submit', 'submitted by lan.tn');
  await step(leader, 'sign', 'signed by hung.lv');
  await step(sealer, 'seal', 'sealed by mai.pt');

  let view: (CaseView & { verifyUrl?: string }) | undefined;
  for (let i = 0; i < 300; i++) {
    view = expectStatus('GET /api/cases/:code', await request<CaseView & { verifyUrl?: string }>('GET', `/api/cases/${encodeURIComponent(code)}`, { token: sealer }), 200);
    if (view.status === 'completed') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!view || view.status !== 'completed') throw new Error(`case ${code} did not complete (status ${view?.status})`);

  const filesDir = fileStoreConfigFromEnv().dir;
  console.log('');
  console.log(`Mã hồ sơ (case code):              ${view.caseCode}`);
  console.log(`Số chứng thực (number):            ${view.certificationNumber}`);
  console.log(`Tiếp nhận (received):              ${local(view.receivedAt)} by ${view.receivedBy.fullName}`);
  console.log(`Hạn trả kết quả (overall due):     ${local(view.overallDueAt)}`);
  for (const s of view.steps) {
    if (!s.dueAt) continue;
    console.log(`  bước ${s.step.padEnd(8)} hạn ${local(s.dueAt)}, xong ${local(s.endedAt)}${s.late ? ' — TRỄ HẠN' : ''} (${s.outcome ?? 'đang mở'})`);
  }
  console.log(`Bản sao chứng thực (result):       ${view.result!.path}`);
  console.log(`  on disk:                         ${path.join(filesDir, view.result!.path)}`);
  console.log(`Kiểm tra (public verification):    ${view.verifyUrl ?? '—'}`);
  console.log(`Trả kết quả (delivery):            ${view.delivery?.channels.map((c) => `${c.channel}=${c.status}`).join(', ')}`);

  await openCasesForTheSupervisor(receiver, leader, desk.id, me.id);
  await citizenAccountAtTheDesk(receiver, desk.id);
  const citizen = await citizenLogsInWithACertificate();
  await appointmentBookedAndReceived(citizen, receiver, desk);
  await supportRequestFiledAndClosed(receiver, desk.id);
  await landObligationPaid(API, request, expectStatus, citizen, receiver);
  await provinceSubscribesToAlerts();
  await integrationCheckOnce();
}

/** The province's administrator registers for "Gửi thư cho công dân" alerts and confirms the phone with the code from the SMS outbox. */
async function provinceSubscribesToAlerts(): Promise<void> {
  const admin = await login('quantri.tinh').catch(() => undefined);
  if (!admin) {
    console.log('error alerts: no quantri.tinh in this database (demo data from before alerts); skipped');
    return;
  }
  const list = expectStatus('GET /api/alert-subscriptions', await request<{ units: Array<{ id: string; name: string }> }>('GET', '/api/alert-subscriptions', { token: admin }), 200);
  const province = list.units[0]!;
  const created = expectStatus(
    'POST /api/alert-subscriptions',
    await request<{ id: string; addresses: Array<{ id: string; channel: string; address: string }> }>('POST', '/api/alert-subscriptions', {
      token: admin,
      body: { unitId: province.id, serviceType: 'citizen-mail', phones: ['0912000198'], emails: ['canhbao@laichau.example.vn'] },
    }),
    201,
  );
  const phone = created.addresses.find((a) => a.channel === 'sms')!;
  let code: string | undefined;
  for (let i = 0; i < 50 && !code; i++) {
    code = await smsCodeTo(phone.address).catch(() => undefined);
    if (!code) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expectStatus('confirm the alert phone', await request('POST', `/api/alert-subscriptions/${created.id}/addresses/${phone.id}/confirm`, { token: admin, body: { code } }), 200);
  console.log(`error alerts: ${province.name} subscribed to "Gửi thư cho công dân" — ${phone.address} confirmed with its SMS code; canhbao@laichau.example.vn waits for the code in the mailbox (${API}/#/alerts)`);
}

/**
 * Seed 003, "Kiểm tra API": the province's administrator configures an API and the integration
 * officer daumoi.tinh checks it once: the tax authority's lookup of the demo dossier (the local tax
 * service npm start runs, or LAND_TAX_URL), which the allow-list admits by default.
 */
async function integrationCheckOnce(): Promise<void> {
  const admin = await login('quantri.tinh').catch(() => undefined);
  const officer = await login('daumoi.tinh').catch(() => undefined);
  if (!admin || !officer) {
    console.log('Kiểm tra API: no quantri.tinh or daumoi.tinh in this database (demo data from before the API check); skipped');
    return;
  }
  const taxBase = (process.env.LAND_TAX_URL || `http://127.0.0.1:${process.env.LOCAL_TAX_PORT || DEFAULT_LOCAL_TAX_PORT}`).replace(/\/$/, '');
  const dataUrl = `${taxBase}/obligations?dossierCode=H35.15-DD-2026-000123&idNumber=012090001234`;
  const list = expectStatus('GET /api/api-endpoints', await request<{ units: Array<{ id: string; name: string }>; items: Array<{ id: string; dataUrl: string; status: string }> }>('GET', '/api/api-endpoints', { token: admin }), 200);
  let endpointId = list.items.find((e) => e.dataUrl === dataUrl && e.status === 'active')?.id;
  if (!endpointId) {
    const created = expectStatus(
      'POST /api/api-endpoints',
      await request<{ id: string }>('POST', '/api/api-endpoints', {
        token: admin,
        body: { unitId: list.units[0]!.id, apiType: 'land-obligation-lookup', name: 'Tra cứu nghĩa vụ tài chính (cơ quan thuế)', dataUrl, httpMethod: 'GET', bodyTemplate: '' },
      }),
      201,
    );
    endpointId = created.id;
  }
  type Answer = { response?: { status?: number; timeMs: number; body: string; error?: { message: string } } };
  const answer = expectStatus('POST /api/api-check/send', await request<Answer>('POST', '/api/api-check/send', { token: officer, body: { mode: 'configured', endpointId } }), 200);
  const r = answer.response;
  console.log(`Kiểm tra API (API check) by daumoi.tinh: GET ${dataUrl} → ${r?.error ? r.error.message : `${r?.status} in ${r?.timeMs} ms, ${r?.body.slice(0, 60)}`} (${API}/#/api-check)`);
}

/**
 * Seed 001 part II: the demo citizen books an appointment at the commune of lan.tn's desk — the
 * procedure, the agency, the paper type and the first free slot — and lan.tn checks her in and
 * receives the case from the appointment, which carries its code.
 */
async function appointmentBookedAndReceived(citizen: string, receiver: string, desk: { id: string; code?: string; name: string }): Promise<void> {
  type Agency = { id: string; code: string; name: string; level: string };
  const agencies = expectStatus('GET /api/citizen/appointments/agencies', await request<{ items: Agency[] }>('GET', '/api/citizen/appointments/agencies?procedure=vn', { token: citizen }), 200).items;
  const commune = agencies.find((a) => a.level === 'commune' && desk.code?.startsWith(a.code)) ?? agencies.find((a) => a.level === 'commune');
  if (!commune) throw new Error('no commune takes appointments for copies of Vietnamese papers');
  const papers = expectStatus('GET /api/citizen/appointments/paper-types', await request<{ items: string[] }>('GET', `/api/citizen/appointments/paper-types?unitId=${commune.id}`, { token: citizen }), 200).items;
  const paperType = papers.find((p) => p === 'Giấy khai sinh') ?? papers[0]!;
  let slotStart: string | undefined;
  for (let d = 0; d < 30 && !slotStart; d++) {
    const date = formatLocalDateTime(Date.now() + d * 86_400_000).slice(0, 10);
    const day = expectStatus('GET /api/citizen/appointments/slots', await request<{ slots: Array<{ start: string; free: number }> }>('GET', `/api/citizen/appointments/slots?unitId=${commune.id}&date=${date}`, { token: citizen }), 200);
    slotStart = day.slots.find((s) => s.free > 0)?.start;
  }
  if (!slotStart) throw new Error(`${commune.name} has no free appointment slot in the next 30 days`);
  const booked = await request<{ code: string; status: string; slot: { start: string; end: string } }>('POST', '/api/citizen/appointments', { token: citizen, body: { procedure: 'vn', unitId: commune.id, paperType, slotStart } });
  const appointment = expectStatus('POST /api/citizen/appointments', booked, booked.status === 200 ? 200 : 201);
  console.log('');
  console.log(`Lịch hẹn (appointment):            ${appointment.code} — ${commune.name}, ${local(appointment.slot.start)}, ${paperType}`);

  expectStatus('POST /api/appointments/:code/check-in', await request('POST', `/api/appointments/${appointment.code}/check-in`, { token: receiver, body: {} }), 200);
  const seen = expectStatus('GET /api/appointments/:code', await request('GET', `/api/appointments/${appointment.code}`, { token: receiver }), 200);
  const who = seen.citizen as { fullName: string; idNumber: string; birthDate?: string; phone?: string; email?: string };
  const received = expectStatus(
    'POST /api/cases (from the appointment)',
    await request<CaseView & { appointmentCode?: string }>('POST', '/api/cases', {
      token: receiver,
      body: {
        unitId: desk.id,
        appointmentCode: appointment.code,
        citizen: { fullName: who.fullName, citizenId: who.idNumber, birthDate: who.birthDate ?? DEMO_CITIZEN.birthDate, ...(who.phone ? { phone: who.phone } : {}), ...(who.email ? { email: who.email } : {}) },
        documents: [{ type: seen.paperType as string, issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 }],
      },
    }),
    201,
  );
  const after = expectStatus('GET /api/appointments/:code', await request('GET', `/api/appointments/${appointment.code}`, { token: receiver }), 200);
  console.log(`  tiếp nhận từ lịch hẹn (received): case ${received.caseCode} by lan.tn; appointment ${after.status as string}${after.caseCode ? ` → ${after.caseCode as string}` : ''}`);
  console.log(`  on screen: ${API}/#/portal/appointments (citizen), ${API}/#/appointments (desk)`);
}

/** The citizen pays after reception: lan.tn records it (cash) and prints the receipt (biên lai). */
async function collectFee(receiver: string, code: string): Promise<void> {
  const answer = await request('POST', `/api/cases/${encodeURIComponent(code)}/fee-receipt`, { token: receiver, body: { method: 'cash' } });
  const receipt = expectStatus('POST /api/cases/:code/fee-receipt', answer, 201);
  const pdf = await fetch(`${API}/api/cases/${encodeURIComponent(code)}/fee-receipt/pdf`, { headers: { authorization: `Bearer ${receiver}` } });
  if (!pdf.ok) throw new Error(`GET /api/cases/:code/fee-receipt/pdf: HTTP ${pdf.status}`);
  const name = /filename="([^"]+)"/.exec(pdf.headers.get('content-disposition') ?? '')?.[1] ?? '?';
  console.log(`fee receipt ${receipt.receiptNo}: ${receipt.amountText} from ${receipt.payerName} (${receipt.method}), printed as ${name} (${(await pdf.arrayBuffer()).byteLength} bytes)`);
}

/**
 * hung.lv lets lan.tn (công chức Tư pháp – Hộ tịch at the desk) sign for the commune for a week,
 * picking her by name; a delegation already in force from an earlier run is kept.
 */
async function delegateSigning(leader: string, communeId: string, delegateId: string): Promise<string> {
  const candidates = expectStatus('GET /api/delegations/candidates', await request('GET', `/api/delegations/candidates?unitId=${communeId}&q=${encodeURIComponent('Trần Ngọc Lan')}`, { token: leader }), 200);
  const picked = (candidates.items as Array<{ id: string; fullName: string; signature: { form: string; headTitle: string } }>).find((c) => c.id === delegateId);
  if (!picked) throw new Error('lan.tn is not among the officers hung.lv may delegate to');
  const now = Date.now();
  const answer = await request('POST', '/api/delegations', {
    token: leader,
    body: { unitId: communeId, toOfficerId: delegateId, validFrom: new Date(now).toISOString(), validTo: new Date(now + 7 * 86_400_000).toISOString(), reason: 'Lãnh đạo đi công tác huyện' },
  });
  const error = (answer.body as { error?: { code?: string } }).error;
  if (answer.status === 409 && error?.code === 'DELEGATION_OVERLAPS') return `${picked.signature.form}. ${picked.signature.headTitle} (ủy quyền đã có)`;
  const delegation = expectStatus('POST /api/delegations', answer, 201);
  return `${delegation.signature.form}. ${delegation.signature.headTitle}`;
}

/**
 * A few more cases left at different points, so the supervisor's dashboard (binh.dt, #/supervision),
 * the reports (#/reports) and the auditor's timeline (kiemtra, #/audit) have something to show:
 * one refused, one waiting at reception, one waiting for the leader, one extended and signed by
 * lan.tn under hung.lv's delegation, waiting for the seal.
 */
async function openCasesForTheSupervisor(receiver: string, leader: string, deskId: string, receiverId: string): Promise<void> {
  // The 5th and 6th digits of a CCCD number are the last two of the birth year.
  const open = async (fullName: string, citizenId: string, document: string) => {
    const birthDate = `19${citizenId.slice(4, 6)}-03-02`;
    const upload = expectStatus('upload a scan', await request('POST', '/api/files', { token: receiver, raw: { data: scanPdf(2), name: 'ban-quet.pdf' } }), 201);
    const body = { unitId: deskId, citizen: { fullName, citizenId, birthDate }, documents: [{ type: document, issuer: 'UBND xã Nùng Năng', pages: 2, copies: 1 }], scanFileId: upload.fileId };
    return expectStatus('POST /api/cases', await request<CaseView>('POST', '/api/cases', { token: receiver, body }), 201).caseCode;
  };
  const act = async (token: string, code: string, action: string, body: unknown = {}) =>
    expectStatus(`${action} ${code}`, await request<CaseView>('POST', `/api/cases/${encodeURIComponent(code)}/${action}`, { token, body }), 200);

  const refused = await open('Sùng Thị Dợ', '012188004321', 'Giấy chứng nhận quyền sử dụng đất');
  await act(receiver, refused, 'refuse', { ground: 'DAMAGED', note: 'Bản chính bị rách, mờ, không xác định được nội dung' });
  const waiting = await open('Lò Văn Pếnh', '012087005678', 'Bằng tốt nghiệp');
  const signing = await open('Vàng Thị Chía', '012192006789', 'Sổ hộ khẩu');
  await act(receiver, signing, 'submit');
  const extended = await open('Tẩn Láo Sử', '012085007890', 'Giấy khai sinh');
  await act(receiver, extended, 'extend', { workingDays: 1, reason: 'Bản chính cần đối chiếu thêm với sổ gốc' });
  await act(receiver, extended, 'submit');
  const leaderMe = expectStatus('GET /api/auth/me', await request<{ units: Array<{ id: string; level: string }> }>('GET', '/api/auth/me', { token: leader }), 200);
  const commune = leaderMe.units.find((u) => u.level === 'commune') ?? leaderMe.units[0];
  if (!commune) throw new Error('hung.lv is assigned to no unit');
  const form = await delegateSigning(leader, commune.id, receiverId);
  const signed = await act(receiver, extended, 'sign');
  console.log('');
  console.log(`Hồ sơ khác (more cases): ${refused} refused, ${waiting} at reception, ${signing} waiting for the leader, ${extended} extended, waiting for the seal`);
  console.log(`  ${extended} signed by ${signed.signature?.signedBy.fullName} under ${form}, on behalf of ${signed.signature?.delegation?.delegatedBy.fullName ?? '—'}`);
  console.log('  supervisor binh.dt: #/supervision and #/reports; auditor kiemtra: #/audit');
}

/** Seed 000 part B: lan.tn opens a portal account for a citizen, reading the code from the SMS outbox as the citizen would tell it. */
async function citizenAccountAtTheDesk(officer: string, deskId: string): Promise<void> {
  const idNumber = `0120950${String(Date.now()).slice(-5)}`;
  const phone = `098${String(Date.now()).slice(-7)}`;
  const scan = expectStatus(
    'upload the ID scan',
    await request('POST', '/api/citizen-accounts/id-scans', { token: officer, raw: { data: textPagePdf(['CAN CUOC - MAT TRUOC', 'CAN CUOC - MAT SAU', idNumber]), name: 'CCCD-2-mat.pdf' } }),
    201,
  );
  const started = expectStatus(
    'POST /api/citizen-accounts/requests',
    await request('POST', '/api/citizen-accounts/requests', {
      token: officer,
      body: { citizen: { fullName: 'Lý Văn Seo', citizenId: idNumber, birthDate: '1995-08-20', phone }, unitId: deskId, idScanFileId: scan.fileId },
    }),
    201,
  );
  const id = started.requestId as string;
  expectStatus('send the code', await request('POST', `/api/citizen-accounts/requests/${id}/otp`, { token: officer }), 200);
  const created = expectStatus('confirm the code', await request('POST', `/api/citizen-accounts/requests/${id}/confirm`, { token: officer, body: { otp: await smsCodeTo(phone) } }), 200);
  console.log('');
  console.log(`Tài khoản công dân (citizen account): ${created.account.username} — ${created.citizen.fullName}, request ${id}, ${created.status}`);
  console.log(`  giấy đề nghị (request form):       ${API}${started.form.url}`);
}

const DEMO_CERTIFICATE_PIN = '123456';

/**
 * Seed 001, login way 2 ("USB ký số"): the demo citizen's certificate from the embedded authority,
 * written as a .p12 file (PIN 123456) for trying the portal by hand, and a login with it through the
 * API — challenge, signature by the file's key, session — without password or SMS code.
 */
async function citizenLogsInWithACertificate(): Promise<string> {
  const url = companionDatabaseUrl();
  if (!url) throw new Error('no database is known to issue the citizen certificate from: start the system with `npm start` or set DATABASE_URL');
  const keyFile = path.join(dataRoot(), 'pki-master.key');
  const env = { ...process.env, PKI_MASTER_KEY: process.env.PKI_MASTER_KEY || (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : '') };
  const db = await openDatabase(url, 2);
  let file: string;
  try {
    const { pki } = pkiFromEnv(db, env);
    const issued = await issueCitizenCertificate(pki, { idNumber: DEMO_CITIZEN.idNumber, fullName: DEMO_CITIZEN.fullName });
    const ca = (await pki.authority()).certificate;
    file = path.join(dataRoot(), `chung-thu-so-${DEMO_CITIZEN.idNumber}.p12`);
    fs.writeFileSync(file, writePkcs12({ certificate: issued.certificatePem, chain: [ca], privateKey: createPrivateKey(issued.privateKeyPem) }, DEMO_CERTIFICATE_PIN, DEMO_CITIZEN.fullName), { mode: 0o600 });
  } finally {
    await db.destroy();
  }
  const keystore = P12Keystore.open(fs.readFileSync(file), DEMO_CERTIFICATE_PIN);
  const [certificate] = keystore.certificates();
  const challenge = expectStatus('POST /api/citizen/certificate/challenge', await request('POST', '/api/citizen/certificate/challenge', { body: { purpose: 'login' } }), 201);
  const signature = keystore.sign(certificate.id, challenge.challenge as string, DEMO_CERTIFICATE_PIN);
  const session = expectStatus('POST /api/citizen/login/certificate', await request('POST', '/api/citizen/login/certificate', { body: { challengeId: challenge.challengeId, signature } }), 200);
  console.log('');
  console.log(`Đăng nhập bằng chữ ký số (certificate login): ${session.account.fullName} (${session.account.username}), no password, no SMS code`);
  console.log(`  tệp chứng thư số (.p12, PIN ${DEMO_CERTIFICATE_PIN}):   ${file}`);
  console.log(`  try it: npm run signer -- --p12 ${path.relative(process.cwd(), file)} --origin ${new URL(API).origin}, then ${API}/#/portal/login → "USB ký số"`);
  return session.token as string;
}

/**
 * Seed 003: lan.tn files a support request for her desk with a log attached; the province's support
 * team (hotro) takes it from its queue and closes it; the outcome goes to the feedback e-mail.
 */
async function supportRequestFiledAndClosed(requester: string, deskId: string): Promise<void> {
  const log = expectStatus(
    'upload the attachment',
    await request('POST', '/api/support/attachments', { token: requester, raw: { data: Buffer.from(`Nhật ký lỗi ${new Date().toISOString()}\nGET /api/thanh-toan-thue-dat → 503\n`), name: 'nhat-ky-loi.txt' } }),
    201,
  );
  const filed = expectStatus(
    'POST /api/support/requests',
    await request<{ code: string; dueAt: string }>('POST', '/api/support/requests', {
      token: requester,
      body: {
        unitId: deskId,
        serviceGroup: 'dvcqg',
        service: 'Thanh toán nghĩa vụ tài chính về đất đai',
        requesterName: 'Trần Ngọc Lan',
        requesterPhone: '0912000102',
        contactName: 'Lò Văn Hùng',
        contactPhone: '0912000103',
        feedbackEmail: 'lan.tn@nungnang.example.vn',
        title: 'Xã Nùng Năng - hỗ trợ cấu hình URL API thanh toán nghĩa vụ tài chính đất đai',
        description: 'Đề nghị cấu hình API cho xã Nùng Năng:\n1. API dịch vụ: API BNDP thanh toán thuế đất\n- URL API: https://dvc.nungnang.example.vn/api/thanh-toan',
        attachmentFileIds: [log.fileId],
      },
    }),
    201,
  );
  const team = await login('hotro');
  const act = async (action: string, body: unknown) =>
    expectStatus(`${action} ${filed.code}`, await request<{ status: string; closedOnTime?: boolean }>('POST', `/api/support/requests/${filed.code}/${action}`, { token: team, body }), 200);
  await act('take', {});
  const done = await act('resolve', { text: 'Đã cấu hình URL API thanh toán nghĩa vụ tài chính đất đai cho xã Nùng Năng' });
  console.log('');
  console.log(`Yêu cầu hỗ trợ (support request): ${filed.code}, due ${local(filed.dueAt)}, taken and closed by hotro: ${done.status}${done.closedOnTime ? ' (đúng hạn)' : ''}`);
  console.log('  the outcome e-mail went to lan.tn@nungnang.example.vn; requester lan.tn and team hotro: #/support');
}

/** The newest 6-digit code sent to a phone, from the local SMS outbox. */
async function smsCodeTo(phone: string): Promise<string> {
  const url = companionDatabaseUrl();
  if (!url) throw new Error('no database is known to read the citizen\'s SMS code from: start the system with `npm start` or set DATABASE_URL');
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    const rows = await pg.query<{ body: string }>(`select body from sms_outbox where to_phone = $1 order by seq desc limit 1`, [phone]);
    const code = /\b(\d{6})\b/.exec(rows.rows[0]?.body ?? '')?.[1];
    if (!code) throw new Error(`no SMS code was found for ${phone} in the SMS outbox`);
    return code;
  } finally {
    await pg.end();
  }
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
