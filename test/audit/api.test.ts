/**
 * The auditor's routes on a real case: the timeline of its history, the raw history JSON (which
 * the SDK reads back and replays), and the replay verdict — AUDIT required, the case's commune in
 * the caller's scope (another unit's case answers 404 as if missing), and every read recorded in
 * the audit trail.
 */
import { expect } from 'chai';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { replayHistory } from '../../infra/replay';
import type { CaseTimeline } from '../../api/audit/history';
import { call, caseThrough, startCaseApp, SUBMIT_SIGN_SEAL, type CaseApp } from '../support/caseApp';
import { createTestOfficer, login } from '../support/identityApp';
import { workflowBundle } from '../certification/world';

describe('API audit: case history, export and replay', function () {
  this.timeout(120_000);
  let app: CaseApp;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  let caseCode: string;

  before(async () => {
    app = await startCaseApp({ otpRequired: false });
    const { org } = app;
    const officer = async (name: string, fullName: string, rights: Parameters<typeof createTestOfficer>[1]['rights'], unitIds: string[]) => {
      ids[name] = await createTestOfficer(app.ctx.db, { username: `${name}.audit`, fullName, rights, unitIds });
      tokens[name] = await login(app, `${name}.audit`);
    };
    await officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [org.deskA]);
    await officer('leader', 'Lò Văn Hùng', ['CERT_SIGN'], [org.communeA]);
    await officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [org.communeA]);
    await officer('auditor', 'Hoàng Minh Kiểm', ['AUDIT'], [org.district]);
    await officer('auditorB', 'Lý Thị Bản', ['AUDIT'], [org.communeB]);
    await officer('reporter', 'Đỗ Thanh Bình', ['CERT_REPORT', 'CASE_SUPERVISE'], [org.district]);
    caseCode = await caseThrough(app, tokens, SUBMIT_SIGN_SEAL, `audit-${process.pid}`);
  });
  after(async () => app?.close());

  async function auditEntries(action: string): Promise<Array<{ actor_id: string; target: string; outcome: string; status: number }>> {
    return app.ctx.db.query('select actor_id, target, outcome, status from audit_log where action = $1 order by seq', [action]);
  }

  it('renders the history as a timeline: who did what, when, which deadline', async () => {
    const res = await call<CaseTimeline>(app, 'GET', `/api/audit/cases/${caseCode}/history`, { token: tokens.auditor });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const t = res.body;
    expect(t).to.include({ caseCode, workflowId: `certification-${caseCode}`, workflowType: 'certification', status: 'COMPLETED' });
    expect(t.runId).to.be.a('string');
    // One entry per event, none dropped.
    expect(t.entries.map((e) => e.eventId)).to.deep.equal(Array.from({ length: t.historyLength }, (_, i) => i + 1));
    const received = t.entries[0]!;
    expect(received).to.deep.include({ kind: 'received', actor: { officerId: ids.receiver, fullName: 'Trần Ngọc Lan' } });
    expect(received.text.vi).to.contain(`Tiếp nhận hồ sơ ${caseCode}`).and.match(/, kèm bản quét \(1 tệp\)$/);
    expect(received.deadline).to.match(/^\d{4}-\d{2}-\d{2}T/);
    const actions = t.entries.filter((e) => e.kind === 'action').map((e) => [e.actor?.fullName, e.text.vi]);
    // The scan came with the reception: the workflow attached it, no officer action of its own.
    expect(t.entries.find((e) => e.kind === 'activity' && e.text.vi.startsWith('Kiểm tra và lưu bản quét'))).to.not.equal(undefined);
    expect(actions).to.deep.equal([
      ['Trần Ngọc Lan', 'Trình lãnh đạo ký'],
      ['Lò Văn Hùng', 'Ký bản sao điện tử'],
      ['Phạm Thị Mai', 'Cấp số chứng thực và đóng dấu'],
    ]);
    const sealed = t.entries.find((e) => e.kind === 'activity' && e.text.vi.startsWith('Cấp số chứng thực và đóng dấu số'));
    expect(sealed?.text.vi).to.match(/số chứng thực 1\/\d{4}-SCTĐT\/BS/);
    expect(sealed?.actor?.fullName).to.equal('Phạm Thị Mai');
    const timers = t.entries.filter((e) => e.kind === 'timer');
    expect(timers.length).to.be.greaterThan(0);
    for (const timer of timers) expect(timer.text.vi).to.match(/^Hẹn giờ kiểm tra thời hạn đến \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
    expect(t.entries.at(-1)).to.deep.include({ kind: 'closed', eventType: 'WorkflowExecutionCompleted' });
    expect(t.entries.at(-1)!.text.vi).to.match(/^Kết thúc hồ sơ: đã hoàn thành, số chứng thực 1\//);
    expect(await auditEntries('audit.case-history')).to.deep.equal([{ actor_id: ids.auditor, target: `case:${caseCode}`, outcome: 'success', status: 200 }]);
  });

  it('exports the raw history as Temporal JSON, which the SDK reads back and replays', async () => {
    const res = await fetch(`${app.baseUrl}/api/audit/cases/${caseCode}/history.json`, { headers: { authorization: `Bearer ${tokens.auditor}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(res.headers.get('content-disposition')).to.contain(`${caseCode}-lich-su-quy-trinh.json`);
    const json = (await res.json()) as { events: Array<{ eventId: string; eventType: string }> };
    expect(json.events[0]).to.include({ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' });
    expect(json.events.at(-1)!.eventType).to.equal('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    const history = historyFromJSON(json);
    expect(await replayHistory(history, `certification-${caseCode}`, { bundle: await workflowBundle() })).to.deep.equal({ deterministic: true });
  });

  it('replays the history against the current code and records the verdict in the trail', async () => {
    const res = await call(app, 'POST', `/api/audit/cases/${caseCode}/replay`, { token: tokens.auditor });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ caseCode, workflowId: `certification-${caseCode}`, deterministic: true });
    expect(res.body.divergence).to.equal(undefined);
    const rows: Array<{ details: { deterministic: boolean } }> = await app.ctx.db.query(`select details from audit_log where action = 'audit.case-replay'`);
    expect(rows.map((r) => r.details.deterministic)).to.deep.equal([true]);
  });

  it('needs AUDIT, answers 404 for another unit’s case or an unknown one, 401 without a session', async () => {
    for (const [method, path] of [
      ['GET', `/api/audit/cases/${caseCode}/history`],
      ['GET', `/api/audit/cases/${caseCode}/history.json`],
      ['POST', `/api/audit/cases/${caseCode}/replay`],
    ] as const) {
      const forbidden = await call(app, method, path, { token: tokens.reporter });
      expect(forbidden.status, path).to.equal(403);
      expect(forbidden.body.error.code).to.equal('RIGHT_REQUIRED');
      const outside = await call(app, method, path, { token: tokens.auditorB });
      expect(outside.status, path).to.equal(404);
      expect(outside.body.error).to.include({ code: 'CASE_NOT_FOUND', message: `Không tìm thấy hồ sơ ${caseCode}.` });
      const missing = await call(app, method, path.replace(caseCode, '000.15.43.H35-261123-9999'), { token: tokens.auditor });
      expect(missing.status, path).to.equal(404);
      expect(missing.body.error.code).to.equal('CASE_NOT_FOUND');
      expect((await call(app, method, path)).status).to.equal(401);
    }
    const bad = await call(app, 'GET', '/api/audit/cases/bad%20code/history', { token: tokens.auditor });
    expect(bad.status).to.equal(400);
  });
});
