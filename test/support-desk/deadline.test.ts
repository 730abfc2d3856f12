/**
 * A support request's 8 working hours on the engine's time skipping, with the real workflow, its
 * activities, PostgreSQL and the SMTP path: filed on a Friday at 15:00 the deadline crosses the
 * evening, the weekend and Monday's lunch break; the team is warned at 75 %, the supervisors told
 * at the breach; the outcome e-mail goes once though its activity fails after sending and runs again.
 */
import { expect } from 'chai';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { createSupportActivities, type SupportActivities } from '../../activities/supportRequest';
import { formatLocalDateTime, parseLocalDateTime, vietnamCivilServiceCalendar } from '../../domain/calendar';
import { resolveSupportUpdate, supportViewQuery, supportWorkflowId, takeSupportUpdate } from '../../workflows/supportRequest/messages';
import type { SupportInput, SupportView } from '../../workflows/supportRequest/types';
import type { supportRequest } from '../../workflows/supportRequest';
import { workflowBundle } from '../certification/world';
import { requireTimeSkipping, testEnv, uniqueId } from '../engine/harness';
import { startCertificationServices, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';
import { until } from '../support/until';

const FILED_AT = '2026-11-27 15:00'; // a Friday

describe('Support request: 8 working hours on time skipping', function () {
  this.timeout(240_000);
  let database: FreshDatabase;
  let org: Org;
  let services: TestCertificationServices;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  let handler: { id: string; fullName: string };
  let supervisor: string;
  const emailAttempts: string[] = [];

  before(async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    database = await freshDatabase();
    org = await seedTestOrg(database.db);
    services = await startCertificationServices(database.db);
    handler = { id: await createTestOfficer(database.db, { username: 'ht.xuly', fullName: 'Lê Văn Xử Lý', email: 'xuly@tinh.example.vn', rights: ['SUPPORT_HANDLE'], unitIds: [org.province] }), fullName: 'Lê Văn Xử Lý' };
    supervisor = await createTestOfficer(database.db, { username: 'ht.giamsat', fullName: 'Phạm Giám Sát', email: 'giamsat@huyen.example.vn', rights: ['CASE_SUPERVISE'], unitIds: [org.district] });
    await createTestOfficer(database.db, { username: 'ht.khac', fullName: 'Giám Sát Xã Khác', rights: ['CASE_SUPERVISE'], unitIds: [org.communeB] });
    const real = createSupportActivities({ db: database.db, mail: services.mail, links: services.links });
    // The outcome e-mail's first run fails after the message went out, as a worker killed then would.
    const activities: SupportActivities = {
      ...real,
      async emailSupportRequester(input) {
        const sent = await real.emailSupportRequester(input);
        emailAttempts.push(input.noticeId);
        if (input.kind === 'closed' && emailAttempts.filter((k) => k === input.noticeId).length === 1) throw new Error('worker lost after sending');
        return sent;
      },
    };
    taskQueue = uniqueId('support');
    worker = await Worker.create({ connection: env.nativeConnection, namespace: env.client.options.namespace, taskQueue, workflowBundle: await workflowBundle(), activities });
    running = worker.run();
  });
  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await services?.close();
    await database?.close();
  });

  it('warns the team at 75 %, tells the supervisors at the breach, and e-mails the late outcome once', async () => {
    const env = await testEnv();
    const code = 'YC-261127-DL8WH';
    const filedAt = parseLocalDateTime(FILED_AT);
    await database.db.query(
      `insert into support_requests (code, unit_id, service_group, requester_name, requester_phone, feedback_email, title, description, created_by, request_key, created_at, status, updated_at)
       values ($1, $2, 'dvcqg', 'Đào Mạnh Luân', '0912000111', 'phanhoi@xa.example.vn', 'Cấu hình URL API thanh toán thuế đất', 'Đề nghị cấu hình API', $3, 'k1', $4, 'received', $4)`,
      [code, org.communeA, handler.id, new Date(filedAt)],
    );
    const input: SupportInput = {
      code,
      unit: { id: org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      calendar: vietnamCivilServiceCalendar(),
      form: {
        serviceGroup: 'dvcqg',
        requesterName: 'Đào Mạnh Luân',
        requesterPhone: '0912000111',
        feedbackEmail: 'phanhoi@xa.example.vn',
        notifyEachChange: false,
        title: 'Cấu hình URL API thanh toán thuế đất',
        description: 'Đề nghị cấu hình API',
        attachments: [],
      },
      filedBy: { officerId: handler.id, fullName: 'Đào Mạnh Luân' },
      filedAt: new Date(filedAt).toISOString(),
      clockOffsetMs: filedAt - (await env.currentTimeMs()),
    };
    const offset = input.clockOffsetMs!;
    const handle: WorkflowHandle<typeof supportRequest> = await env.client.workflow.start<typeof supportRequest>('supportRequest', { args: [input], taskQueue, workflowId: supportWorkflowId(code) });
    const view = async () => handle.query(supportViewQuery);
    const local = (iso: string | undefined) => (iso ? formatLocalDateTime(Date.parse(iso)) : undefined);
    const advanceTo = async (at: string) => {
      const gap = parseLocalDateTime(at) - ((await env.currentTimeMs()) + offset);
      if (gap > 0) await env.sleep(gap);
    };
    const told = async (kind: string) =>
      ((await database.db.query('select officer_id from officer_notifications where kind = $1 order by officer_id', [kind])) as Array<{ officer_id: string }>).map((r) => r.officer_id);

    // Friday 15:00 → 2 h Friday, 4 h Monday morning: 6 h (75 %) at Monday noon; 8 h at 15:00.
    expect([local((await view()).warnAt), local((await view()).dueAt)]).to.deep.equal(['2026-11-30 12:00', '2026-11-30 15:00']);
    const actor = { officerId: handler.id, fullName: handler.fullName, rights: ['SUPPORT_HANDLE'], unitIds: [org.province, org.district, org.communeA, org.communeB, org.deskA, org.deskB] };
    await handle.executeUpdate(takeSupportUpdate, { args: [{ actor, idempotencyKey: 'take-1', text: '' }] });

    await advanceTo('2026-11-30 11:58');
    expect(await told('support_warning'), 'no warning before 75 %').to.deep.equal([]);
    await advanceTo('2026-11-30 12:01');
    await until('the warning', async () => ((await told('support_warning')).length > 0 ? true : undefined));
    expect(await told('support_warning'), 'the handler who took it').to.deep.equal([handler.id]);

    await advanceTo('2026-11-30 14:58');
    expect(await told('support_breach')).to.deep.equal([]);
    await advanceTo('2026-11-30 15:01');
    await until('the breach notices', async () => ((await told('support_breach')).length >= 2 ? true : undefined));
    expect(await told('support_breach'), 'the handler and the supervisor over the commune, not the other commune’s').to.deep.equal([handler.id, supervisor].sort());
    expect(local((await view()).breachedAt)).to.match(/^2026-11-30 15:0/);

    await handle.executeUpdate(resolveSupportUpdate, { args: [{ actor, idempotencyKey: 'done-1', text: 'Đã cấu hình URL API cho đơn vị' }] });
    const ended: SupportView = await handle.result();
    expect([ended.status, ended.closedOnTime]).to.deep.equal(['done', false]);
    expect(ended.emails.map((e) => `${e.kind} ${e.status}`)).to.deep.equal(['closed sent']);
    expect(emailAttempts.filter((k) => k.startsWith('closed')), 'the activity ran twice').to.have.length(2);
    const outbox: Array<{ status: string; to_address: string }> = await database.db.query(`select status, to_address from mail_outbox where key like $1`, [`support:${code}:closed-%`]);
    expect(outbox).to.deep.equal([{ status: 'sent', to_address: 'phanhoi@xa.example.vn' }]);
    const delivered: Array<{ subject: string; text: string }> = await database.db.query(`select subject, text_body as text from mail_messages where 'phanhoi@xa.example.vn' = any(envelope_to)`);
    expect(delivered, 'one message reached the server').to.have.length(1);
    expect(delivered[0]!.subject).to.contain('Đã xử lý xong');
    expect(delivered[0]!.text).to.contain('Đã cấu hình URL API cho đơn vị').and.to.contain('quá hạn');
    const history: Array<{ kind: string }> = await database.db.query('select kind from support_events where code = $1 order by seq', [code]);
    expect(history.map((h) => h.kind)).to.deep.equal(['received', 'taken', 'deadline.warning', 'deadline.breach', 'done', 'requester.emailed']);
  });
});

