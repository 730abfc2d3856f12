/**
 * A case whose projection PostgreSQL refuses (text it cannot store, sent to the workflow without
 * the API's door check) does not retry for ever in silence: the workflow records why on the case,
 * and the consistency check, walking the engine's running workflows, names the case that is in no
 * list.
 */
import { expect } from 'chai';
import { casesToCheck, checkReadModel } from '../../api/supervision/consistency';
import { receiveCase, startWorld, type World } from './world';

describe('certification workflow: a projection PostgreSQL refuses', function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());

  it('is told on the case at once and found by the consistency check, though the case is in no list', async () => {
    const c = await receiveCase(world, '2026-11-30 09:00', { citizen: { fullName: 'Giàng\u0000A Páo', citizenId: '012090001234', birthDate: '1990-05-12' } });
    let view = await c.view();
    for (let i = 0; i < 200 && !view.projectionError; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await c.view();
    }
    expect(view.projectionError).to.include({ code: 'PROJECTION_REJECTED' });
    expect(view.projectionError!.message).to.match(/22021|22P05|invalid byte sequence/);
    expect(await world.database.db.query('select 1 from certification_cases where case_code = $1', [c.caseCode])).to.deep.equal([]);

    const codes = await casesToCheck(world.database.db, [world.org.communeA], new Date(0), world.env.client);
    expect(codes).to.include(c.caseCode);
    const report = await checkReadModel(world.database.db, world.env.client, [c.caseCode]);
    expect(report.mismatches).to.have.length(1);
    expect(report.mismatches[0]!.differences[0]).to.match(/^case: ∅ ≠ present — the workflow runs but its projection was never written \(PostgreSQL refused/);
  });
});
