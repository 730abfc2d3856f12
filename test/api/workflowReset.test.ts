/**
 * POST /api/admin/cases/:code/workflow-reset on the real certification workflow: the case's
 * workflow is reset, the old run terminated with the reason, the case goes on working on the new
 * run, and the call is in the audit trail; bad input, an unknown case, a case of another unit and
 * an impossible reset point are 4xx with a Vietnamese message.
 */
import { expect } from 'chai';
import { resetWorkflow } from '../../infra/workflowReset';
import { certificationWorkflowId } from '../../workflows/certification/messages';
import type { CaseView } from '../../workflows/certification/types';
import { call, pdfBytes, receptionBody, startCaseApp, uploadFile, type CaseApp } from '../support/caseApp';
import { createTestOfficer, login } from '../support/identityApp';

describe('API case workflow reset', function () {
  this.timeout(60_000);
  let app: CaseApp;
  const tokens: Record<string, string> = {};

  before(async () => {
    app = await startCaseApp({ otpRequired: false });
    const officer = async (name: string, rights: Parameters<typeof createTestOfficer>[1]['rights'], unitIds: string[]) => {
      await createTestOfficer(app.ctx.db, { username: `${name}.reset`, fullName: `Cán bộ ${name}`, rights, unitIds });
      tokens[name] = await login(app, `${name}.reset`);
    };
    await officer('receiver', ['CERT_CREATE'], [app.org.deskA]);
    await officer('leader', ['CERT_SIGN'], [app.org.communeA]);
    await officer('admin', ['USER_ADMIN'], [app.org.communeA]);
    await officer('otherAdmin', ['USER_ADMIN'], [app.org.communeB]);
  });
  after(async () => {
    await app?.close();
  });

  /** The case's row in the case list. */
  async function caseRow(code: string): Promise<{ status: string; step: string; step_right: string; version: number; run_id: string }> {
    const rows = await app.ctx.db.query('select status, step, step_right, version, run_id from certification_cases where case_code = $1', [code]);
    return rows[0];
  }

  async function receivedCase(): Promise<string> {
    const scanFileId = await uploadFile(app, tokens.receiver, pdfBytes(`reset-${Math.random()}`));
    const res = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, { scanFileId }) });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.caseCode;
  }

  it('resets the case workflow: the old run is terminated with the reason, the case works on the new run, and the audit trail says so', async () => {
    const code = await receivedCase();
    const workflowId = certificationWorkflowId(code);
    const before = await app.client.workflow.getHandle(workflowId).describe();
    const res = await call(app, 'POST', `/api/admin/cases/${code}/workflow-reset`, { token: tokens.admin, body: { reason: 'Bản triển khai lỗi ngày 6/12' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ caseCode: code, workflowId, previousRunId: before.runId });
    expect(res.body.runId).to.be.a('string').and.not.equal(before.runId);

    const old = await app.client.workflow.getHandle(workflowId, before.runId).describe();
    expect(old.status.name).to.equal('TERMINATED');
    const history = await app.client.workflow.getHandle(workflowId, before.runId).fetchHistory();
    expect(history.events?.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason).to.equal('Bản triển khai lỗi ngày 6/12');
    expect((await app.client.workflow.getHandle(workflowId).describe()).runId).to.equal(res.body.runId);

    // The case goes on: the receiver submits it on the new run.
    const submitted = await call<CaseView>(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {} });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
    expect(submitted.body.caseCode).to.equal(code);

    const audit: Array<{ outcome: string; unit_id: string; details: Record<string, unknown> }> = await app.ctx.db.query(
      `select outcome, unit_id, details from audit_log where action = 'case.workflow-reset' and target = $1`,
      [`case:${code}`],
    );
    expect(audit).to.have.length(1);
    expect(audit[0].outcome).to.equal('success');
    expect(audit[0].details).to.include({ previousRunId: before.runId, runId: res.body.runId, reason: 'Bản triển khai lỗi ngày 6/12', to: 'last', reapply: 'all' });
  });

  it('a reset to an earlier point puts the case list back on the new run: status, step and version as the new run has them', async () => {
    const code = await receivedCase();
    const submitted = await call<CaseView>(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {} });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
    const row = () => caseRow(code);
    expect(await row()).to.include({ status: 'signing', step: 'sign', step_right: 'CERT_SIGN', version: submitted.body.version });

    // Back to the reception's first task, the submission not delivered again: the case is at step 2 again.
    const res = await call(app, 'POST', `/api/admin/cases/${code}/workflow-reset`, { token: tokens.admin, body: { to: 'first', reapply: 'none', reason: 'Trình ký nhầm do bản triển khai lỗi' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.listRewritten).to.equal(true);
    const live = await app.client.workflow.getHandle(certificationWorkflowId(code)).query<CaseView>('caseView');
    expect(live.status).to.equal('receiving');
    expect(live.version).to.be.below(submitted.body.version);
    expect(await row()).to.include({ status: 'receiving', step: 'receive', step_right: 'CERT_CREATE', version: live.version });
    const inbox = await call<{ items: Array<{ caseCode: string; status: string }> }>(app, 'GET', `/api/cases?status=receiving`, { token: tokens.receiver });
    expect(inbox.status, JSON.stringify(inbox.body)).to.equal(200);
    expect(inbox.body.items.find((c) => c.caseCode === code)?.status).to.equal('receiving');

    // The new run's next change, at a version the old run had already written, reaches the list.
    const again = await call<CaseView>(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {} });
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body.version).to.be.at.most(submitted.body.version);
    expect(await row()).to.include({ status: 'signing', version: again.body.version });
  });

  it('a reset made with the cluster\'s own tools (not through the system): the new run\'s first change reaches the case list, at a version the old run had passed', async () => {
    const code = await receivedCase();
    const submitted = await call<CaseView>(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {} });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(200);
    const returned = await call<CaseView>(app, 'POST', `/api/cases/${code}/return`, { token: tokens.leader, body: { reason: 'Bản quét mờ, đề nghị quét lại' } });
    expect(returned.status, JSON.stringify(returned.body)).to.equal(200);
    const handle = app.client.workflow.getHandle(certificationWorkflowId(code));
    const oldRun = (await handle.describe()).runId;
    // As Temporal's web UI or CLI would: ResetWorkflowExecution alone (the API's call without its case-list write),
    // to the first workflow task, nothing reapplied.
    await resetWorkflow(app.client, { workflowId: certificationWorkflowId(code), runId: oldRun, to: 'first', reapply: 'none', reason: 'đặt lại từ công cụ của cụm Temporal' });
    const again = await call<CaseView>(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {} });
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body.version).to.be.below(returned.body.version);
    const row = await caseRow(code);
    expect(row).to.include({ status: 'signing', version: again.body.version, run_id: (await handle.describe()).runId });
    expect(row.run_id).to.not.equal(oldRun);
  });

  it('refuses bad input, an unknown case, a case of another unit and an impossible reset point', async () => {
    const code = await receivedCase();
    const path = `/api/admin/cases/${code}/workflow-reset`;
    const noReason = await call(app, 'POST', path, { token: tokens.admin, body: { to: 'first' } });
    expect(noReason.status).to.equal(400);
    expect(noReason.body.error.message).to.match(/lý do/);
    const badTo = await call(app, 'POST', path, { token: tokens.admin, body: { to: 'hôm qua', reason: 'Bản triển khai lỗi' } });
    expect(badTo.status).to.equal(400);
    const unknown = await call(app, 'POST', `/api/admin/cases/000.00.00.H00-010101-9999/workflow-reset`, { token: tokens.admin, body: { reason: 'Bản triển khai lỗi' } });
    expect(unknown.status).to.equal(404);
    const foreign = await call(app, 'POST', path, { token: tokens.otherAdmin, body: { reason: 'Bản triển khai lỗi' } });
    expect(foreign.status).to.equal(404);
    const notATask = await call(app, 'POST', path, { token: tokens.admin, body: { to: 2, reason: 'Bản triển khai lỗi' } });
    expect(notATask.status, JSON.stringify(notATask.body)).to.equal(422);
    expect(notATask.body.error.code).to.equal('RESET_POINT_INVALID');
    expect(notATask.body.error.message).to.match(/^Không thể đặt lại/);
  });
});
