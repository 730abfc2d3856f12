/**
 * An order nobody pays expires on the workflow's own timer: on the engine's time skipping, with
 * the real activities and PostgreSQL, 15 minutes after it was created (not a minute before).
 */
import { expect } from 'chai';
import { Worker } from '@temporalio/worker';
import { createLandPaymentActivities } from '../../activities/landPayment';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import { landPaymentViewQuery, landPaymentWorkflowId } from '../../workflows/landPayment/messages';
import type { LandPaymentInput, LandPaymentView } from '../../workflows/landPayment/types';
import type { landPayment } from '../../workflows/landPayment';
import { workflowBundle } from '../certification/world';
import { requireTimeSkipping, testEnv, uniqueId } from '../engine/harness';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { seedTestOrg, type Org } from '../support/identityApp';

describe('Land payment: an unpaid order expires on time skipping', function () {
  this.timeout(120_000);
  let database: FreshDatabase;
  let org: Org;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;

  before(async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    database = await freshDatabase();
    org = await seedTestOrg(database.db);
    const activities = createLandPaymentActivities({
      db: database.db,
      filesDir: '/nonexistent',
      sms: new LocalSmsSender(database.db, () => new Date()),
      locality: { deliver: async () => Promise.reject(new Error('an expired order delivers nothing')) },
    });
    taskQueue = uniqueId('land');
    worker = await Worker.create({ connection: env.nativeConnection, namespace: env.client.options.namespace, taskQueue, workflowBundle: await workflowBundle(), activities });
    running = worker.run();
  });
  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await database?.close();
  });

  it('stays open 14 minutes, is expired at 15, and records the expiry in its events', async () => {
    const env = await testEnv();
    const orderId = 'DD261207-EXP1RY01';
    const createdAt = await env.currentTimeMs();
    const notice = { noticeNumber: 'LPTB-EXP', taxpayer: 'Giàng A Páo', items: [{ content: 'Lệ phí trước bạ nhà đất', amountVnd: 1_378_500 }], totalVnd: 1_378_500 };
    await database.db.query(
      `insert into land_payments (order_id, dossier_code, id_number, notice_number, taxpayer, items, amount_vnd, property, unit_id, locality_name, holder_id, status, created_at, expires_at)
       values ($1, 'H35.15-DD-2026-EXP', '012090001234', 'LPTB-EXP', 'Giàng A Páo', $2, 1378500, '{"address":"Nùng Năng"}', $3, 'UBND xã Nùng Năng', '012090001234', 'created', $4, $5)`,
      [orderId, JSON.stringify(notice.items), org.communeA, new Date(createdAt), new Date(createdAt + 15 * 60_000)],
    );
    const input: LandPaymentInput = {
      orderId,
      dossierCode: 'H35.15-DD-2026-EXP',
      notice,
      unit: { id: org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      createdAt: new Date(createdAt).toISOString(),
      expiresAt: new Date(createdAt + 15 * 60_000).toISOString(),
      clockOffsetMs: 0,
    };
    const handle = await env.client.workflow.start<typeof landPayment>('landPayment', { args: [input], taskQueue, workflowId: landPaymentWorkflowId(orderId) });
    await env.sleep(14 * 60_000);
    expect((await handle.query(landPaymentViewQuery)).status).to.equal('created');
    await env.sleep(2 * 60_000);
    const ended: LandPaymentView = await handle.result();
    expect(ended.status).to.equal('expired');
    expect(Date.parse(ended.endedAt!) - createdAt).to.be.within(15 * 60_000, 16 * 60_000);
    const row: Array<{ status: string; ended_at: Date }> = await database.db.query('select status, ended_at from land_payments where order_id = $1', [orderId]);
    expect(row[0]!.status).to.equal('expired');
    const events: Array<{ kind: string }> = await database.db.query('select kind from land_payment_events where order_id = $1 order by seq', [orderId]);
    expect(events.map((e) => e.kind)).to.deep.equal(['created', 'expired']);
  });
});
