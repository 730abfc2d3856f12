/**
 * A breach reaches the case list — the desks' inboxes and the supervisors' SLA dashboard read it —
 * as soon as its timer fires, not once its notice has gone out: while the SMS gateway is down and
 * the notice waits for it, the supervisors' figures already count the breach. When the gateway
 * comes back the notice goes out once, and the list then names whom it told.
 */
import { expect } from 'chai';
import type { SmsSender } from '../../infra/sms/smsSender';
import { requireTimeSkipping } from '../engine/harness';
import { until } from '../support/until';
import { local, receiveCase, replay, startWorld, type World } from './world';

/** A gateway in front of the outbox that refuses every message while it is down. */
class FlakyGateway implements SmsSender {
  readonly provider = 'test-gateway';
  down = true;
  refused = 0;
  constructor(private readonly outbox: SmsSender) {}
  send(...args: Parameters<SmsSender['send']>): ReturnType<SmsSender['send']> {
    if (!this.down) return this.outbox.send(...args);
    this.refused++;
    return Promise.reject(new Error('SMS gateway unreachable (connect ETIMEDOUT)'));
  }
}

describe('certification workflow: a breach on the case list while its notice waits for the SMS gateway', function () {
  this.timeout(120_000);
  let world: World;
  let gateway: FlakyGateway | undefined;

  before(async () => {
    world = await startWorld({ smsGateway: (outbox) => (gateway = new FlakyGateway(outbox)) });
  });
  after(async () => world?.close());
  beforeEach(async function () {
    await requireTimeSkipping(this);
  });

  it('counts the breach at once, sends its SMS once the gateway is back, then records whom it told', async () => {
    const { supervisor } = world.officers;
    const db = world.database.db;
    const c = await receiveCase(world, '2026-11-27 11:30');
    const row = async () => {
      const rows: Array<{ breaches: number; version: number; view: { breaches: Array<{ notified: Array<{ officerId: string }> }> } }> = await db.query(
        'select breaches, version, view from certification_cases where case_code = $1',
        [c.caseCode],
      );
      return rows[0]!;
    };

    // The step's breach at 16:30; its notice texts the supervisor and fails while the gateway is down.
    await c.advanceTo('2026-11-27 16:31');
    await until('the breach notice to try the gateway', async () => (gateway!.refused > 0 ? true : undefined));
    const meanwhile = await row();
    expect(meanwhile.breaches).to.equal(1);
    expect(meanwhile.view.breaches.map((b) => b.notified)).to.deep.equal([[]]);
    expect(await db.query(`select count(*)::int as n from sms_outbox where body like $1`, [`%${c.caseCode}%`])).to.deep.equal([{ n: 0 }]);

    gateway!.down = false;
    await c.advanceTo('2026-11-27 16:45');
    const told = await c.view();
    expect(told.breaches.map((b) => `${b.scope} ${b.step} ${local(b.at)}`)).to.deep.equal(['step receive 2026-11-27 16:30']);
    expect(told.breaches[0]!.notified.map((o) => o.officerId)).to.deep.equal([supervisor.id]);
    const sms: Array<{ to_phone: string }> = await db.query(`select to_phone from sms_outbox where body like $1`, [`%${c.caseCode}%`]);
    expect(sms.map((s) => s.to_phone)).to.deep.equal([supervisor.phone]);
    const after = await row();
    expect(after.breaches).to.equal(1);
    expect(after.version).to.equal(told.version);
    expect(after.view.breaches.map((b) => b.notified.map((o) => o.officerId))).to.deep.equal([[supervisor.id]]);
    await replay(c.handle);
  });
});
