/**
 * The supervisors' morning digest: the activity mails each supervisor once per day through the
 * outbox, and the schedule the worker ensures at start starts the digest workflow at 07:30
 * Hồ Chí Minh City time on working days (driven by the engine's clock under time skipping).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import nodemailer from 'nodemailer';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { createSupervisorDigestActivities, digestMailKey } from '../../activities/supervisorDigest';
import type { DigestCase } from '../../domain/supervision/digest';
import { listMailOutbox, MailOutbox } from '../../infra/mail/mailOutbox';
import { DEFAULT_MAIL_FROM } from '../../infra/mail/mailTransport';
import { ensureSupervisorDigestSchedule, SUPERVISOR_DIGEST_SCHEDULE_ID } from '../../infra/supervisorDigestSchedule';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { requireTimeSkipping, testEnv, uniqueId } from '../engine/harness';

const AT = new Date('2026-12-07T00:30:00Z');

describe('supervision: the supervisors\' morning digest', function () {
  this.timeout(180_000);

  describe('the activity', () => {
    let fresh: FreshDatabase;
    const ids = { commune: '', other: '', supervisor: '', quiet: '', clerk: '' };

    before(async () => {
      fresh = await freshDatabase();
      const db = fresh.db;
      const unit = async (name: string) => {
        const code = `T${randomUUID().slice(0, 6)}`;
        const rows: Array<{ id: string }> = await db.query(`insert into units (code, name, level, path) values ($1, $2, 'commune', $3) returning id`, [code, name, `/${code}/`]);
        return rows[0].id;
      };
      const officer = async (name: string, email: string | null, rights: string[], unitId: string) => {
        const rows: Array<{ id: string }> = await db.query(
          `insert into officers (username, full_name, citizen_id, email, password_hash, password_changed_at, created_at)
           values ($1, $2, $3, $4, 'x', now(), now()) returning id`,
          [`u${randomUUID().slice(0, 8)}`, name, randomUUID().slice(0, 12), email],
        );
        const id = rows[0].id;
        await db.query(`insert into officer_units (officer_id, unit_id, assigned_at) values ($1, $2, now())`, [id, unitId]);
        for (const r of rights) await db.query(`insert into officer_rights (officer_id, right_code, granted_at) values ($1, $2, now())`, [id, r]);
        return id;
      };
      ids.commune = await unit('UBND phường Ba Đình');
      ids.other = await unit('UBND phường Kim Mã');
      ids.supervisor = await officer('Lê Giám Sát', 'giamsat@example.test', ['CASE_SUPERVISE'], ids.commune);
      ids.quiet = await officer('Phạm Yên Ổn', 'yenon@example.test', ['CASE_SUPERVISE'], ids.other);
      ids.clerk = await officer('Ngô Tiếp Nhận', 'tiepnhan@example.test', ['CERT_CREATE'], ids.commune);
    });
    after(async () => fresh?.close());

    it('mails each supervisor with cases at risk once per day, and nobody else', async () => {
      let transported = 0;
      const transport = nodemailer.createTransport({ jsonTransport: true });
      transport.use('compile', (_mail, done) => {
        transported++;
        done();
      });
      const mail = new MailOutbox(fresh.db, transport as never, { from: DEFAULT_MAIL_FROM, now: () => AT.getTime() });
      const atRisk = async (units: string[]): Promise<DigestCase[]> =>
        units.includes(ids.commune)
          ? [{ caseCode: 'CT-777', unitName: 'UBND phường Ba Đình', citizenName: 'Nguyễn Văn A', step: 'sign', dueAt: '2026-12-07T09:00:00Z', remainingWorkingMinutes: 30, state: 'atRisk' }]
          : [];
      const { sendSupervisorDigests } = createSupervisorDigestActivities({ db: fresh.db, mail, now: () => AT, baseUrl: 'https://mot-cua.example.test/', atRisk });

      expect(await sendSupervisorDigests({ day: '2026-12-07' })).to.deep.equal({ mailed: 1, nothingAtRisk: 1 });
      // The same morning again (a retried or repeated run): the outbox already sent it.
      await sendSupervisorDigests({ day: '2026-12-07' });
      expect(transported).to.equal(1);
      let outbox = await listMailOutbox(fresh.db);
      expect(outbox.items.map((i) => [i.key, i.to, i.status])).to.deep.equal([[digestMailKey(ids.supervisor, '2026-12-07'), 'giamsat@example.test', 'sent']]);
      expect(outbox.items[0].subject).to.equal('[Chứng thực] 1 hồ sơ cần chú ý ngày 07/12/2026 (0 quá hạn)');

      await sendSupervisorDigests({ day: '2026-12-08' });
      expect(transported).to.equal(2);
      outbox = await listMailOutbox(fresh.db);
      expect(outbox.total).to.equal(2);
    });

    it('refuses a malformed day', async () => {
      const { sendSupervisorDigests } = createSupervisorDigestActivities({ db: fresh.db, mail: { send: () => Promise.reject(new Error('not called')) }, now: () => AT, baseUrl: 'x', atRisk: async () => [] });
      let error: unknown;
      await sendSupervisorDigests({ day: '07/12/2026' }).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(Error);
    });
  });

  describe('the schedule', () => {
    afterEach(async () => {
      const env = await testEnv();
      await env.client.schedule.getHandle(SUPERVISOR_DIGEST_SCHEDULE_ID).delete().catch(() => undefined);
    });

    it('is created once and updated on later worker starts, at 07:30 in Asia/Ho_Chi_Minh on working days', async () => {
      const env = await testEnv();
      const taskQueue = uniqueId('digest-q');
      expect(await ensureSupervisorDigestSchedule(env.client, taskQueue)).to.equal('created');
      await env.client.schedule.getHandle(SUPERVISOR_DIGEST_SCHEDULE_ID).pause('kiểm thử');
      expect(await ensureSupervisorDigestSchedule(env.client, `${taskQueue}-2`)).to.equal('updated');
      const d = await env.client.schedule.getHandle(SUPERVISOR_DIGEST_SCHEDULE_ID).describe();
      expect(d.action.type === 'startWorkflow' && d.action.taskQueue).to.equal(`${taskQueue}-2`);
      expect(d.state.paused, 'an update keeps the pause an operator set').to.equal(true);
      expect(d.spec.timezone).to.equal('Asia/Ho_Chi_Minh');
      for (const t of d.info.nextActionTimes) {
        expect([t.getUTCHours(), t.getUTCMinutes()]).to.deep.equal([0, 30]);
        expect(t.getUTCDay()).to.be.within(1, 5);
      }
    });

    it('starts the digest workflow at the next 07:30, which sends the digest of that day', async function () {
      await requireTimeSkipping(this);
      const env = await testEnv();
      const taskQueue = uniqueId('digest-q');
      const days: string[] = [];
      const worker = await Worker.create({
        connection: env.nativeConnection,
        namespace: env.client.options.namespace,
        taskQueue,
        workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') }),
        activities: {
          sendSupervisorDigests: async ({ day }: { day: string }) => {
            days.push(day);
            return { mailed: 1, nothingAtRisk: 0 };
          },
        },
      });
      await worker.runUntil(async () => {
        await ensureSupervisorDigestSchedule(env.client, taskQueue);
        const handle = env.client.schedule.getHandle(SUPERVISOR_DIGEST_SCHEDULE_ID);
        const next = (await handle.describe()).info.nextActionTimes[0];
        await env.sleep(next.getTime() - (await env.currentTimeMs()) + 60_000);
        const d = await handle.describe();
        expect(d.info.numActionsTaken).to.equal(1);
        const started = d.info.recentActions[0].action.workflow.workflowId;
        expect(started).to.equal(`${SUPERVISOR_DIGEST_SCHEDULE_ID}-${next.toISOString().replace('.000Z', 'Z')}`);
        // Waiting for a result lets the test server's clock run on: paused first, the schedule
        // cannot take the next day's action and leave a run behind for a worker that has stopped.
        await handle.pause('kiểm thử xong');
        const result = await env.client.workflow.getHandle(started).result();
        const expectedDay = new Date(next.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
        expect(result).to.deep.equal({ day: expectedDay, mailed: 1, nothingAtRisk: 0 });
        expect(days).to.deep.equal([expectedDay]);
      });
    });
  });
});
