/**
 * Certification cases through the REST API, on the real workflow and activities: one case end to
 * end as three officers (receiver at the commune's one-stop desk, leader, sealer), and the
 * refusals an officer meets — wrong right, wrong unit, wrong state, a missing or repeated
 * Idempotency-Key, bad input, a closed case — each a 4xx that says why in Vietnamese.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Client, Connection } from '@temporalio/client';
import { formatCaseCode } from '../../api/cases/caseCode';
import { localActivityOf } from '../../api/audit/timeline';
import { formatLocalDate } from '../../domain/calendar';
import { CERTIFICATION_WORKFLOW_TYPE, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CaseView } from '../../workflows/certification/types';
import { testEnv } from '../engine/harness';
import { loadUnitCalendar } from '../../infra/calendarStore';
import type { CertificationInput } from '../../workflows/certification/types';
import { call, pdfBytes, receptionBody, startCaseApp, uploadFile, type CaseApp } from '../support/caseApp';
import { createTestOfficer, login, sessionFor } from '../support/identityApp';

/** Calendar year in Hà Nội of an ISO instant. */
const hanoiYear = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).getUTCFullYear();

describe('API certification cases', function () {
  this.timeout(60_000);
  let app: CaseApp;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  let uploads = 0;

  before(async () => {
    app = await startCaseApp({ otpRequired: false });
    const { org } = app;
    const officer = async (name: string, fullName: string, rights: Parameters<typeof createTestOfficer>[1]['rights'], unitIds: string[]) => {
      ids[name] = await createTestOfficer(app.ctx.db, { username: `${name}.case`, fullName, rights, unitIds });
      tokens[name] = await login(app, `${name}.case`);
    };
    await officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [org.deskA]);
    await officer('leader', 'Lò Văn Hùng', ['CERT_SIGN'], [org.communeA]);
    await officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [org.communeA]);
    await officer('outsider', 'Vàng Thị Thảo', ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL'], [org.communeB]);
    await officer('reporter', 'Hoàng Minh Kiểm', ['CERT_REPORT'], [org.district]);
    await officer('delegate', 'Đỗ Thị Hộ Tịch', ['CERT_CREATE'], [org.deskA]);
  });
  after(async () => {
    await app?.close();
  });

  async function scanOf(who = 'receiver'): Promise<string> {
    return uploadFile(app, tokens[who], pdfBytes(`${process.pid}-${++uploads}`));
  }

  async function receive(overrides: Record<string, unknown> = {}): Promise<CaseView> {
    const res = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, overrides) });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }

  async function act(who: string, code: string, action: string, body: unknown = {}) {
    return call(app, 'POST', `/api/cases/${code}/${action}`, { token: tokens[who], body });
  }

  async function ok(who: string, code: string, action: string, body: unknown = {}): Promise<CaseView> {
    const res = await act(who, code, action, body);
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body as CaseView;
  }

  /** A case submitted to the leader. */
  async function signingCase(): Promise<CaseView> {
    const v = await receive({ scanFileId: await scanOf() });
    return ok('receiver', v.caseCode, 'submit');
  }

  async function until(code: string, status: string): Promise<CaseView> {
    for (let i = 0; i < 200; i++) {
      const res = await call<CaseView>(app, 'GET', `/api/cases/${code}`, { token: tokens.sealer });
      if (res.body.status === status) return res.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`case ${code} never reached ${status}`);
  }

  async function acceptedUpdates(code: string, name: string): Promise<number> {
    const history = await app.client.workflow.getHandle(certificationWorkflowId(code)).fetchHistory();
    return history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === name).length;
  }

  it('drives a case end to end: receive with an uploaded scan, submit, return, resubmit, sign, seal — number in the view, the register and the list', async () => {
    const fileId = await scanOf();
    const created = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, { scanFileId: fileId }) });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const view = created.body;
    // The desk receives for its commune: the case, its book and its calendar are the commune's.
    expect(view.caseCode).to.match(/^000\.15\.43\.H35-261123-\d{4}$/);
    expect(created.headers.get('location')).to.equal(`/api/cases/${view.caseCode}`);
    expect(view.unit).to.deep.equal({ id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' });
    expect(view.status).to.equal('receiving');
    expect(view.citizen).to.include({ citizenId: '012090001234', phone: '0987654321' });
    expect(view.fee.totalVnd).to.equal(2 * (2 * 2_000 + 1_000));
    expect(view.scan).to.include({ fileId, mimeType: 'application/pdf', broughtByCitizen: false });
    expect(view.currentStep).to.include({ step: 'receive', right: 'CERT_CREATE', budgetHours: 4 });
    expect(view.receivedBy).to.deep.equal({ officerId: ids.receiver, fullName: 'Trần Ngọc Lan' });
    const code = view.caseCode;

    const receiverInbox = await call(app, 'GET', '/api/inbox', { token: tokens.receiver });
    expect(receiverInbox.body.items.map((i: { caseCode: string }) => i.caseCode)).to.include(code);
    const leaderInbox = await call(app, 'GET', '/api/inbox', { token: tokens.leader });
    expect(leaderInbox.body.items.map((i: { caseCode: string }) => i.caseCode)).to.not.include(code);

    expect((await ok('receiver', code, 'submit')).status).to.equal('signing');
    const waiting = await call(app, 'GET', '/api/inbox', { token: tokens.leader });
    expect(waiting.body.items.find((i: { caseCode: string }) => i.caseCode === code)).to.include({ waitingFor: 'CERT_SIGN', viaDelegation: false });

    const returned = await ok('leader', code, 'return', { reason: 'Bản quét mờ trang 2, đề nghị quét lại' });
    expect(returned.status).to.equal('receiving');
    expect(returned.steps.find((s) => s.outcome === 'returned')).to.deep.include({ reason: 'Bản quét mờ trang 2, đề nghị quét lại', by: { officerId: ids.leader, fullName: 'Lò Văn Hùng' } });

    await ok('receiver', code, 'scan', { fileId: await scanOf() });
    expect((await ok('receiver', code, 'submit')).status).to.equal('signing');
    const signed = await ok('leader', code, 'sign');
    expect(signed.status).to.equal('sealing');
    expect(signed.signature!.signedBy.officerId).to.equal(ids.leader);

    const sealed = await ok('sealer', code, 'seal');
    const year = hanoiYear(sealed.result!.sealedAt);
    const number = `1/${year}-SCTĐT/BS`;
    expect(sealed.certificationNumber).to.equal(number);
    expect(sealed.result!.sealedBy.officerId).to.equal(ids.sealer);

    const done = await until(code, 'completed');
    expect(done.certificationNumber).to.equal(number);
    expect(existsSync(join(app.filesDir, done.result!.path)), done.result!.path).to.equal(true);
    expect(done.steps.map((s) => `${s.step}:${s.outcome}`)).to.deep.equal(['receive:submitted', 'sign:returned', 'receive:submitted', 'sign:signed', 'seal:sealed', 'deliver:delivered']);

    const register = await call(app, 'GET', `/api/register?unitId=${app.org.deskA}&year=${year}`, { token: tokens.sealer });
    expect(register.status, JSON.stringify(register.body)).to.equal(200);
    expect(register.body).to.deep.include({ total: 1, year, book: 'SCTĐT/BS' });
    expect(register.body.unit.id).to.equal(app.org.communeA);
    expect(register.body.items[0]).to.include({ seq: 1, number, caseCode: code, citizenName: 'Giàng A Páo', caseStatus: 'completed' });

    const listed = await call(app, 'GET', `/api/cases?q=${encodeURIComponent(code)}`, { token: tokens.reporter });
    expect(listed.status).to.equal(200);
    expect(listed.body.items).to.have.length(1);
    expect(listed.body.items[0]).to.include({ caseCode: code, status: 'completed', certificationNumber: number, citizenName: 'Giàng A Páo', overdue: false });

    const audit: Array<{ action: string; actor_id: string; unit_id: string; details: Record<string, unknown> }> = await app.ctx.db.query(
      `select action, actor_id, unit_id, details from audit_log where target = $1 and outcome = 'success' order by seq`,
      [`case:${code}`],
    );
    const requests = audit.filter((a) => !a.action.startsWith('case.event.'));
    // Reads are audited too (the view names the citizen); the test polled the case while it was delivered.
    expect(requests.filter((a) => a.action !== 'case.read').map((a) => a.action)).to.deep.equal(['case.receive', 'case.submit', 'case.return', 'case.scan', 'case.submit', 'case.sign', 'case.seal']);
    expect(requests.filter((a) => a.action === 'case.read').length).to.be.greaterThan(0);
    // What the workflow did lands there too, each event once.
    expect(audit.filter((a) => a.action.startsWith('case.event.')).map((a) => a.action)).to.deep.equal([
      'case.event.received',
      'case.event.scan.attached',
      'case.event.submitted',
      'case.event.returned',
      'case.event.scan.attached',
      'case.event.submitted',
      'case.event.signed',
      'case.event.sealed',
      'case.event.delivered',
      'case.event.delivery.email_sent',
      'case.event.completed',
    ]);
    expect(audit.every((a) => a.unit_id === app.org.communeA)).to.equal(true);
    expect(audit.find((a) => a.action === 'case.return')!.details).to.include({ action: 'return', step: 'sign' });
    expect(audit.find((a) => a.action === 'case.seal')!.actor_id).to.equal(ids.sealer);
  });

  it('refuses an officer without the right, naming it: a sealer cannot sign, a receiver cannot seal', async () => {
    const v = await signingCase();
    const bySealer = await act('sealer', v.caseCode, 'sign');
    expect(bySealer.status).to.equal(403);
    expect(bySealer.body.error.code).to.equal('RIGHT_REQUIRED');
    expect(bySealer.body.error.message).to.include('Ký bản sao chứng thực điện tử').and.include('CERT_SIGN');
    const byReceiver = await act('receiver', v.caseCode, 'seal');
    expect(byReceiver.status).to.equal(403);
    expect(byReceiver.body.error.message).to.include('CERT_SEAL');
    const audit: Array<{ outcome: string; status: number }> = await app.ctx.db.query(
      `select outcome, status from audit_log where action = 'case.sign' and actor_id = $1`,
      [ids.sealer],
    );
    expect(audit).to.deep.equal([{ outcome: 'refused', status: 403 }]);
  });

  it('hides a case from an officer of another commune and refuses to receive for a unit outside his scope', async () => {
    const v = await signingCase();
    const read = await call(app, 'GET', `/api/cases/${v.caseCode}`, { token: tokens.outsider });
    expect(read.status).to.equal(404);
    expect(read.body.error).to.include({ code: 'CASE_NOT_FOUND', message: `Không tìm thấy hồ sơ ${v.caseCode}.` });
    const sign = await act('outsider', v.caseCode, 'sign');
    expect(sign.status).to.equal(404);
    const list = await call(app, 'GET', '/api/cases', { token: tokens.outsider });
    expect(list.body.items.map((i: { caseCode: string }) => i.caseCode)).to.not.include(v.caseCode);
    const create = await call(app, 'POST', '/api/cases', { token: tokens.outsider, body: receptionBody(app.org.communeA) });
    expect(create.status).to.equal(403);
    expect(create.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
    const district = await call(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.district) });
    expect(district.status).to.equal(403);
  });

  it('reads an open case live from its workflow, a closed one from its projection once the engine says the run is closed, and checks an action against the projection', async () => {
    const live = app.ctx.temporal!;
    const v = await receive({ scanFileId: await scanOf() });
    const open = await call<CaseView>(app, 'GET', `/api/cases/${v.caseCode}`, { token: tokens.receiver });
    expect(open.headers.get('x-case-source')).to.equal('workflow');
    const queried: string[] = [];
    let runStatus: string | undefined;
    const counting = {
      workflow: {
        getHandle: (id: string) => {
          const handle = live.client.workflow.getHandle(id);
          return {
            query: (...args: Parameters<typeof handle.query>) => {
              queried.push(id);
              return handle.query(...args);
            },
            describe: async () => (runStatus ? { status: { name: runStatus } } : handle.describe()),
            executeUpdate: handle.executeUpdate.bind(handle),
          };
        },
      },
    } as unknown as Client;
    app.ctx.temporal = { client: counting, taskQueue: live.taskQueue };
    try {
      // The action's own check reads the projection; only the update reaches the workflow.
      const refused = await ok('receiver', v.caseCode, 'refuse', { ground: 'DAMAGED', note: 'Bản chính rách mất góc' });
      expect(refused.status).to.equal('refused');
      expect(queried).to.deep.equal([]);
      // The run ends once the refusal notice is issued; until then the engine says it runs, and it is asked.
      const closed = await app.client.workflow.getHandle(certificationWorkflowId(v.caseCode)).result();
      const again = await call<CaseView>(app, 'GET', `/api/cases/${v.caseCode}`, { token: tokens.receiver });
      expect(again.headers.get('x-case-source')).to.equal('projection');
      expect(again.body).to.deep.include({ caseCode: v.caseCode, status: 'refused', version: closed.version });
      expect(queried).to.deep.equal([]);
      // A run the engine holds open again (reset after it closed) is asked, whatever its projection says.
      runStatus = 'RUNNING';
      const reopened = await call<CaseView>(app, 'GET', `/api/cases/${v.caseCode}`, { token: tokens.receiver });
      expect(reopened.headers.get('x-case-source')).to.equal('workflow');
      expect(queried).to.have.length(1);
    } finally {
      app.ctx.temporal = live;
    }
  });

  it('answers a step out of order with 409 WRONG_STATE in Vietnamese, and a closed case with 409 CASE_CLOSED and its final view', async () => {
    const v = await receive({ scanFileId: await scanOf() });
    const seal = await act('sealer', v.caseCode, 'seal');
    expect(seal.status).to.equal(409);
    expect(seal.body.error.code).to.equal('WRONG_STATE');
    expect(seal.body.error.message).to.equal(`Không thể cấp số và đóng dấu: hồ sơ ${v.caseCode} đang tiếp nhận, chờ trình ký (bước 2).`);

    const noScan = await receive();
    const submit = await act('receiver', noScan.caseCode, 'submit');
    expect(submit.status).to.equal(422);
    expect(submit.body.error.code).to.equal('SCAN_REQUIRED');

    const refused = await ok('receiver', v.caseCode, 'refuse', { ground: 'DAMAGED', note: 'Bản chính rách mất góc, không đọc được số hiệu' });
    expect(refused.status).to.equal('refused');
    expect(refused.refusal).to.include({ ground: 'DAMAGED', groundText: 'Bản chính bị hư hỏng, cũ nát, không xác định được nội dung' });
    const after = await act('receiver', v.caseCode, 'submit');
    expect(after.status).to.equal(409);
    expect(after.body.error.code).to.equal('CASE_CLOSED');
    expect(after.body.error.message).to.include('đã bị từ chối');
    expect(after.body.error.details.case).to.include({ caseCode: v.caseCode, status: 'refused' });
    const badGround = await act('receiver', noScan.caseCode, 'refuse', { ground: 'UGLY', note: 'không rõ' });
    expect(badGround.status).to.equal(400);
    expect(badGround.body.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['ground']);
  });

  it('needs an Idempotency-Key to receive or act, and acts once for a key sent twice', async () => {
    const noKey = await call(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA), key: null });
    expect(noKey.status).to.equal(400);
    expect(noKey.body.error.code).to.equal('IDEMPOTENCY_KEY_REQUIRED');
    expect(noKey.body.error.message).to.include('Idempotency-Key');

    const body = receptionBody(app.org.deskA, { scanFileId: await scanOf() });
    const first = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body, key: 'nhan-ho-so-1' });
    const again = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body, key: 'nhan-ho-so-1' });
    expect([first.status, again.status]).to.deep.equal([201, 201]);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body.caseCode).to.equal(first.body.caseCode);
    const code = first.body.caseCode;
    const issued: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from case_codes where idempotency_key = 'nhan-ho-so-1'`);
    expect(issued[0].n).to.equal(1);

    const submitNoKey = await call(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {}, key: null });
    expect(submitNoKey.status).to.equal(400);
    const once = await call<CaseView>(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {}, key: 'trinh-ky-1' });
    const twice = await call<CaseView>(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {}, key: 'trinh-ky-1' });
    expect([once.status, twice.status]).to.deep.equal([200, 200]);
    expect(twice.headers.get('idempotent-replayed')).to.equal('true');
    expect(twice.body.version).to.equal(once.body.version);
    expect(await acceptedUpdates(code, 'submit')).to.equal(1);
  });

  it('keeps the case code of a reception whose workflow could not be started, so the retry with the same key opens that case once', async () => {
    const live = app.ctx.temporal!;
    const env = await testEnv();
    const dead = await Connection.connect({ address: env.address });
    await dead.close();
    app.ctx.temporal = { client: new Client({ connection: dead, namespace: env.client.options.namespace }), taskQueue: live.taskQueue };
    const body = receptionBody(app.org.deskA);
    let failed;
    const logged: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      failed = await call(app, 'POST', '/api/cases', { token: tokens.receiver, body, key: 'nhan-lai-1' });
    } finally {
      app.ctx.temporal = live;
      console.error = consoleError;
    }
    expect(logged, 'the cause is logged for the operator').to.not.be.empty;
    expect(failed.status).to.equal(503);
    expect(failed.body.error.code).to.equal('ENGINE_UNAVAILABLE');
    const issued: Array<{ case_code: string }> = await app.ctx.db.query(`select case_code from case_codes where idempotency_key = 'nhan-lai-1'`);
    expect(issued).to.have.length(1);
    const retried = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body, key: 'nhan-lai-1' });
    expect(retried.status, JSON.stringify(retried.body)).to.equal(201);
    expect(retried.body.caseCode).to.equal(issued[0].case_code);
    expect((await app.ctx.db.query(`select 1 from case_codes where idempotency_key = 'nhan-lai-1'`)).length).to.equal(1);
  });

  it('receives a case with its scan once: when the engine stops answering after the start, the case is confirmed from its projection and a retry with the same key finds the same case', async () => {
    const live = app.ctx.temporal!;
    const scanFileId = await scanOf();
    const body = receptionBody(app.org.deskA, { scanFileId });
    // The start goes through; every later question to the engine fails, as when it dies right after.
    let asked = 0;
    const mute = {
      workflow: {
        start: live.client.workflow.start.bind(live.client.workflow),
        getHandle: () => ({
          query: async () => {
            asked++;
            throw new Error('14 UNAVAILABLE: the engine went away');
          },
        }),
      },
    } as unknown as Client;
    app.ctx.temporal = { client: mute, taskQueue: live.taskQueue };
    let first;
    try {
      first = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body, key: 'nhan-kem-ban-quet' });
    } finally {
      app.ctx.temporal = live;
    }
    // The workflow wrote its first projection once the scan was attached: the reception reads that, not the engine.
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body.scan).to.include({ fileId: scanFileId, pages: 3 });
    expect(asked).to.equal(0);
    const retried = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body, key: 'nhan-kem-ban-quet' });
    expect(retried.status, JSON.stringify(retried.body)).to.equal(201);
    expect(retried.body.caseCode).to.equal(first.body.caseCode);
    expect(retried.body.scan).to.include({ fileId: scanFileId, pages: 3 });
    // The workflow attached it once, as its first act; the retry only looked.
    const history = await app.client.workflow.getHandle(certificationWorkflowId(retried.body.caseCode)).fetchHistory();
    // The scan check runs as a local activity of the reception's workflow task: one marker, no activity task.
    expect(history.events!.filter((e) => localActivityOf(e)?.type === 'verifyScan')).to.have.length(1);
    expect(history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'verifyScan')).to.have.length(0);
    expect(await acceptedUpdates(retried.body.caseCode, 'attachScan')).to.equal(0);
  });

  it('tells why the scan received with a case could not be attached, and the case waits for another', async () => {
    const scanFileId = await scanOf();
    // The upload is on record but its bytes are gone from the store when the worker reads them.
    rmSync((await app.ctx.files!.path(scanFileId))!);
    const res = await call<CaseView & { scanAttachError?: { code: string; message: string } }>(app, 'POST', '/api/cases', {
      token: tokens.receiver,
      body: receptionBody(app.org.deskA, { scanFileId }),
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.scan).to.equal(undefined);
    expect(res.body.initialScanError?.code).to.equal('ACTION_FAILED');
    expect(res.body.scanAttachError).to.include({ code: 'ACTION_FAILED' });
    expect(res.body.scanAttachError!.message).to.match(/^Chưa thực hiện được thao tác/);
    const again = await ok('receiver', res.body.caseCode, 'scan', { fileId: await scanOf() });
    expect(again.scan).to.include({ pages: 3 });
  });

  it('skips a case code whose workflow id the engine already holds (a database restored from an older backup)', async () => {
    const counters: Array<{ last_seq: number }> = await app.ctx.db.query(`select last_seq from case_code_counters where unit_id = $1 and day = '2026-11-23'`, [app.org.communeA]);
    const taken = formatCaseCode('000.15.43.H35', '2026-11-23', (counters[0]?.last_seq ?? 0) + 1);
    const foreign = await app.client.workflow.start(CERTIFICATION_WORKFLOW_TYPE, { args: [{}], taskQueue: app.taskQueue, workflowId: certificationWorkflowId(taken) });
    const warnings: unknown[] = [];
    const consoleWarn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    let res;
    try {
      res = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA) });
    } finally {
      console.warn = consoleWarn;
    }
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.caseCode).to.not.equal(taken);
    expect(res.body.caseCode).to.equal(formatCaseCode('000.15.43.H35', '2026-11-23', (counters[0]?.last_seq ?? 0) + 2));
    expect(warnings).to.have.length(1);
    expect((await foreign.describe()).runId).to.equal(foreign.firstExecutionRunId);
  });

  it('rejects bad input field by field in Vietnamese and starts nothing', async () => {
    const before: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from case_codes');
    const res = await call(app, 'POST', '/api/cases', {
      token: tokens.receiver,
      body: receptionBody(app.org.deskA, {
        citizen: { fullName: 'Giàng A Páo', citizenId: '999090001234', birthDate: '1990-05-12', phone: '0241234567' },
        documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 0, copies: 1 }],
      }),
    });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('INVALID_INPUT');
    const fields = Object.fromEntries(res.body.error.details.fields.map((f: { field: string; problem: string }) => [f.field, f.problem]));
    expect(res.body.error.message).to.include('Số trang — bản chính 1: số trang của bản chính phải từ 1 trở lên');
    expect(fields['citizen.citizenId']).to.include('Mã tỉnh');
    expect(fields['citizen.phone']).to.include('số điện thoại cố định');
    expect(fields['documents.0.pages']).to.equal('số trang của bản chính phải từ 1 trở lên');

    const mismatch = await call(app, 'POST', '/api/cases', {
      token: tokens.receiver,
      body: receptionBody(app.org.deskA, { citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1991-05-12' } }),
    });
    expect(mismatch.status).to.equal(400);
    expect(mismatch.body.error.details.fields.map((f: { field: string; label: string; problem: string }) => ({ field: f.field, label: f.label, problem: f.problem }))).to.deep.equal([
      { field: 'citizen.birthDate', label: 'Ngày sinh', problem: 'Năm sinh 1991 không khớp với số CCCD (chữ số thứ 5–6 là "90", tức năm 1990)' },
    ]);
    const foreignFile = await call(app, 'POST', '/api/cases', {
      token: tokens.receiver,
      body: receptionBody(app.org.deskA, { scanFileId: await scanOf('outsider') }),
    });
    expect(foreignFile.status).to.equal(422);
    expect(foreignFile.body.error.code).to.equal('FILE_NOT_FOUND');
    const after: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from case_codes');
    expect(after[0].n).to.equal(before[0].n);
  });

  it('refuses text PostgreSQL cannot store before any case starts: a NUL or a lone surrogate in the citizen or an original', async () => {
    const before: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from case_codes');
    for (const [overrides, field] of [
      [{ citizen: { fullName: 'Giàng\u0000A Páo', citizenId: '012090001234', birthDate: '1990-05-12' } }, 'citizen.fullName'],
      [{ documents: [{ type: 'Giấy khai sinh\ud800', issuer: 'UBND xã', pages: 3, copies: 1 }] }, 'documents.0.type'],
    ] as const) {
      const res = await call(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, overrides as Record<string, unknown>) });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('INVALID_TEXT');
      expect(res.body.error.details.fields[0].field).to.equal(field);
    }
    const after: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from case_codes');
    expect(after[0]!.n).to.equal(before[0]!.n);
  });

  it('extends the deadline by up to 2 working days on a reason, beyond only with the written agreement (422 without)', async () => {
    const v = await receive();
    const tooLong = await act('receiver', v.caseCode, 'extend', { workingDays: 3, reason: 'Nhiều bản chính nhiều trang' });
    expect(tooLong.status).to.equal(422);
    expect(tooLong.body.error.code).to.equal('EXTENSION_NEEDS_AGREEMENT');
    expect(tooLong.body.error.message).to.include('văn bản thỏa thuận với người yêu cầu');
    const two = await ok('receiver', v.caseCode, 'extend', { workingDays: 2, reason: 'Nhiều bản chính nhiều trang' });
    expect(Date.parse(two.overallDueAt)).to.be.greaterThan(Date.parse(v.overallDueAt));
    const agreement = await uploadFile(app, tokens.receiver, pdfBytes(`thoa-thuan-${process.pid}`), 'thoa-thuan.pdf');
    const more = await ok('leader', v.caseCode, 'extend', { workingDays: 1, reason: 'Công dân đồng ý chờ thêm', writtenAgreementFileId: agreement });
    expect(more.extensions.map((e) => e.workingDays)).to.deep.equal([2, 1]);
    expect(more.extensions[1]).to.include({ writtenAgreementRef: `file:${agreement}` });
    const noReason = await act('receiver', v.caseCode, 'complex', { complex: true });
    expect(noReason.status).to.equal(400);
    expect(noReason.body.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['reason']);
    const complex = await ok('receiver', v.caseCode, 'complex', { complex: true, reason: 'Nhiều bản chính, nhiều trang' });
    expect(complex.currentStep).to.include({ budgetHours: 16 });
    expect(complex.complexChanges!.map((c) => c.reason)).to.deep.equal(['Nhiều bản chính, nhiều trang']);
  });

  it('receives a complex case only with its reason, and extends its overall deadline at once', async () => {
    const missing = await call(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, { complex: true }) });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal(['complexReason']);
    const v = await receive({ complex: true, complexReason: 'Hồ sơ nhiều bản chính' });
    expect(v.currentStep).to.include({ budgetHours: 16 });
    expect(v.extensions.map((e) => ({ cause: e.cause, reason: e.reason }))).to.deep.equal([{ cause: 'complex', reason: 'Hồ sơ phức tạp, số lượng lớn: Hồ sơ nhiều bản chính' }]);
    expect(Date.parse(v.overallDueAt)).to.equal(Date.parse(v.extensions[0]!.newDueAt));
  });

  it('refuses to submit a scan whose pages do not match the originals declared, until the declaration or the scan is corrected', async () => {
    // The walkthrough's case: a 250-page household book and a 3-page birth certificate, with a 3-page scan.
    const documents = [
      { type: 'Sổ hộ khẩu', issuer: 'Công an huyện Tam Đường', pages: 250, copies: 1 },
      { type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 1 },
    ];
    const v = await receive({ documents, scanFileId: await scanOf() });
    expect(v.fee.totalVnd).to.equal(200_000 + 5_000);
    expect(v.scan!.parts.map((p) => p.pages)).to.deep.equal([3]);
    const refused = await act('receiver', v.caseCode, 'submit');
    expect(refused.status).to.equal(422);
    expect(refused.body.error.code).to.equal('SCAN_PAGES_MISMATCH');
    expect(refused.body.error.message).to.equal(
      'Số trang bản quét không khớp với bản chính đã khai: bản quét có 3 trang nhưng các bản chính khai tổng cộng 253 trang. Hãy sửa số trang đã khai hoặc đính kèm bản quét đủ trang trước khi trình ký.',
    );
    expect(await acceptedUpdates(v.caseCode, 'submit')).to.equal(0);

    // A scan split per original: the book's file is checked against the book, the certificate's against the certificate.
    const book = await uploadFile(app, tokens.receiver, pdfBytes(`so-ho-khau-${process.pid}`, 250));
    const birth = await uploadFile(app, tokens.receiver, pdfBytes(`khai-sinh-${process.pid}`, 2));
    const split = await ok('receiver', v.caseCode, 'scan', { fileId: book, moreFileIds: [birth], fileOriginals: [0, 1] });
    expect(split.scan!.parts.map((p) => ({ pages: p.pages, document: p.document }))).to.deep.equal([
      { pages: 250, document: 0 },
      { pages: 2, document: 1 },
    ]);
    const stillWrong = await act('receiver', v.caseCode, 'submit');
    expect(stillWrong.status).to.equal(422);
    expect(stillWrong.body.error.message).to.contain('bản chính 2 (Giấy khai sinh) khai 3 trang, bản quét của nó có 2 trang');
    const badSplit = await act('receiver', v.caseCode, 'scan', { fileId: book, moreFileIds: [birth], fileOriginals: [0] });
    expect(badSplit.status).to.equal(400);

    // The certificate really has 2 pages: the officer corrects the declaration, the fee follows.
    const unreasoned = await act('receiver', v.caseCode, 'originals', { documents });
    expect(unreasoned.status).to.equal(400);
    const corrected = await ok('receiver', v.caseCode, 'originals', { documents: [documents[0], { ...documents[1], pages: 2 }], reason: 'Giấy khai sinh chỉ có 2 trang, khai nhầm' });
    expect(corrected.documents[1]).to.include({ pages: 2 });
    expect(corrected.fee.totalVnd).to.equal(200_000 + 4_000);
    expect(corrected.originalsCorrections!.map((c) => ({ before: c.before.feeVnd, after: c.after.feeVnd, reason: c.reason }))).to.deep.equal([
      { before: 205_000, after: 204_000, reason: 'Giấy khai sinh chỉ có 2 trang, khai nhầm' },
    ]);
    const audited: Array<{ details: { reason: string; pages: number } }> = await app.ctx.db.query(
      `select details from audit_log where action = 'case.originals' and target = $1 and outcome = 'success'`,
      [`case:${v.caseCode}`],
    );
    expect(audited).to.have.length(1);
    expect(audited[0]!.details).to.include({ action: 'originals', reason: 'Giấy khai sinh chỉ có 2 trang, khai nhầm', documents: 2, pages: 252, copies: 2 });
    const submitted = await ok('receiver', v.caseCode, 'submit');
    expect(submitted.status).to.equal('signing');
    // The list shows the corrected fee too.
    const listed = await call(app, 'GET', `/api/cases?q=${v.caseCode}`, { token: tokens.receiver });
    expect(listed.body.items.find((i: { caseCode: string }) => i.caseCode === v.caseCode)?.feeVnd).to.equal(204_000);
  });

  it('withdraws a case at the citizen’s request, before the seal', async () => {
    const v = await signingCase();
    const res = await ok('receiver', v.caseCode, 'withdraw', { reason: 'Công dân không cần bản sao nữa' });
    expect(res.status).to.equal('withdrawn');
    expect(res.withdrawal).to.include({ reason: 'Công dân không cần bản sao nữa' });
    const leaderInbox = await call(app, 'GET', '/api/inbox', { token: tokens.leader });
    expect(leaderInbox.body.items.map((i: { caseCode: string }) => i.caseCode)).to.not.include(v.caseCode);
  });

  it('lets an officer holding a signing delegation see the case in his inbox and sign it', async () => {
    const v = await signingCase();
    const before = await call(app, 'GET', '/api/inbox', { token: tokens.delegate });
    expect(before.body.items.map((i: { caseCode: string }) => i.caseCode)).to.not.include(v.caseCode);
    const denied = await act('delegate', v.caseCode, 'sign');
    expect(denied.status).to.equal(403);
    const delegation = await call(app, 'POST', '/api/delegations', {
      token: tokens.leader,
      body: { unitId: app.org.communeA, toOfficerId: ids.delegate, validFrom: app.clock.now().toISOString(), validTo: '2026-11-30T10:00:00Z', reason: 'Lãnh đạo đi công tác huyện' },
    });
    expect(delegation.status, JSON.stringify(delegation.body)).to.equal(201);
    const inbox = await call(app, 'GET', '/api/inbox', { token: tokens.delegate });
    expect(inbox.body.items.find((i: { caseCode: string }) => i.caseCode === v.caseCode)).to.include({ waitingFor: 'CERT_SIGN', viaDelegation: true });
    const signed = await ok('delegate', v.caseCode, 'sign');
    expect(signed.signature!.signedBy).to.deep.equal({ officerId: ids.delegate, fullName: 'Đỗ Thị Hộ Tịch' });
    const audit: Array<{ details: Record<string, unknown> }> = await app.ctx.db.query(
      `select details from audit_log where action = 'case.sign' and actor_id = $1 and outcome = 'success'`,
      [ids.delegate],
    );
    expect(audit[0].details).to.include({ delegationId: delegation.body.id, delegatedBy: ids.leader });
  });

  it('lists the officer’s cases with filters, next deadline first', async () => {
    const a = await receive({ citizen: { fullName: 'Lò Thị Hoa', citizenId: '012190001235', birthDate: '1990-01-02' } });
    const b = await signingCase();
    const get = async (query: string, who = 'reporter') => {
      const res = await call(app, 'GET', `/api/cases${query}`, { token: tokens[who] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body as { total: number; items: Array<{ caseCode: string; dueAt: string; overdue: boolean; status: string }> };
    };
    const all = await get('?pageSize=200');
    const dues = all.items.map((i) => Date.parse(i.dueAt));
    expect(dues).to.deep.equal([...dues].sort((x, y) => x - y));
    expect(all.total).to.equal(all.items.length);

    const signing = await get('?status=signing');
    expect(signing.items.map((i) => i.caseCode)).to.include(b.caseCode).and.not.include(a.caseCode);
    expect((await get('?step=receive')).items.map((i) => i.caseCode)).to.include(a.caseCode).and.not.include(b.caseCode);
    expect((await get('?q=l%C3%B2%20th%E1%BB%8B%20hoa')).items.map((i) => i.caseCode)).to.deep.equal([a.caseCode]);
    expect((await get(`?officerId=${ids.leader}`)).total).to.equal(0);
    expect((await get(`?officerId=${ids.receiver}&unitId=${app.org.deskA}`)).items.map((i) => i.caseCode)).to.include(a.caseCode);
    // The day after the latest deadline (a case is received before its deadline), in Hà Nội time:
    // a fixed date would meet the cases whenever the suite runs on or after it.
    const afterEvery = formatLocalDate(Math.max(...dues) + 86_400_000);
    expect((await get(`?from=${afterEvery}`)).total).to.equal(0);
    expect((await get('?overdue=true')).total).to.equal(0);

    // A day after the latest deadline every open case is overdue (a session of that day reads the
    // list). The deadlines come from the engine's clock, not the API's: moved past them, not by a fixed span.
    const before = app.clock.now();
    app.clock.set(new Date(Math.max(...dues) + 86_400_000));
    try {
      tokens.later = await sessionFor(app, ids.reporter);
      const overdue = await get('?overdue=true&status=receiving,signing', 'later');
      expect(overdue.items.map((i) => i.caseCode)).to.include.members([a.caseCode, b.caseCode]);
      expect(overdue.items.every((i) => i.overdue)).to.equal(true);
      expect((await get(`?dueBefore=${encodeURIComponent(app.clock.now().toISOString())}&status=signing`, 'later')).items.map((i) => i.caseCode)).to.include(b.caseCode);
    } finally {
      app.clock.set(before);
    }

    const outside = await call(app, 'GET', `/api/cases?unitId=${app.org.communeB}`, { token: tokens.receiver });
    expect(outside.status).to.equal(403);
    const badStatus = await call(app, 'GET', '/api/cases?status=done', { token: tokens.reporter });
    expect(badStatus.status).to.equal(400);
    expect(badStatus.body.error.details.fields[0].field).to.equal('status');
    const register = await call(app, 'GET', `/api/register?unitId=${app.org.communeA}`, { token: tokens.receiver });
    expect(register.status).to.equal(403);
  });

  it('tells in the inbox the working time left until the earlier deadline, and which cases are at risk or overdue', async () => {
    // A case received at 07:30 on Monday 23/11/2026 (the case clock set there), before the office
    // opens: its 4 working hours count from 08:00, so reception is due at 12:00 and warned at 11:00
    // (75% of the budget); the overall deadline is 17:00 the same day.
    const caseCode = `HS-INBOX-${process.pid}`;
    const input: CertificationInput = {
      caseCode,
      unit: { id: app.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      calendar: await loadUnitCalendar(app.ctx.db, app.org.communeA),
      receivedBy: { officerId: ids.receiver, fullName: 'Trần Ngọc Lan' },
      citizen: { fullName: 'Sùng Thị Dua', citizenId: '012190001236', birthDate: '1990-03-04' },
      documents: [{ type: 'Bằng tốt nghiệp', issuer: 'Trường THPT Tam Đường', pages: 1, copies: 1 }],
      complex: false,
      // The suite's engine may already be ahead of the wall clock (earlier tests skipped time).
      clockOffsetMs: Date.parse('2026-11-23T07:30:00+07:00') - (await (await testEnv()).currentTimeMs()),
    };
    await app.client.workflow.start(CERTIFICATION_WORKFLOW_TYPE, { args: [input], taskQueue: app.taskQueue, workflowId: certificationWorkflowId(caseCode) });
    const view = await until(caseCode, 'receiving');
    expect(view.currentStep).to.include({ warnAt: '2026-11-23T04:00:00.000Z', dueAt: '2026-11-23T05:00:00.000Z' });
    expect(view.overallDueAt).to.equal('2026-11-23T10:00:00.000Z');

    const itemAt = async (localTime: string) => {
      app.clock.set(new Date(`2026-11-23T${localTime}:00+07:00`));
      const token = await sessionFor(app, ids.receiver);
      const res = await call(app, 'GET', '/api/inbox?pageSize=200', { token });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body.items.find((i: { caseCode: string }) => i.caseCode === caseCode) as { remainingWorkingMinutes: number; atRisk: boolean; overdue: boolean; dueAt: string };
    };
    const before = app.clock.now();
    try {
      expect(await itemAt('09:00')).to.include({ remainingWorkingMinutes: 180, atRisk: false, overdue: false, dueAt: '2026-11-23T05:00:00.000Z' });
      expect(await itemAt('10:45')).to.include({ remainingWorkingMinutes: 75, atRisk: false, overdue: false });
      expect(await itemAt('11:00')).to.include({ remainingWorkingMinutes: 60, atRisk: true, overdue: false });
      expect(await itemAt('11:30')).to.include({ remainingWorkingMinutes: 30, atRisk: true, overdue: false });
      // Past the deadline the time left is negative and counts no lunch break; the row is overdue rather than at risk.
      expect(await itemAt('13:30')).to.include({ remainingWorkingMinutes: -30, atRisk: false, overdue: true });
    } finally {
      app.clock.set(before);
    }
  });
});
