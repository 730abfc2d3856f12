import { expect } from 'chai';
import { freshDatabase, type FreshDatabase } from '../test/support/database';
import { openDatabase } from './dataSource';

describe('openDatabase', () => {
  let fresh: FreshDatabase;
  before(async () => {
    fresh = await freshDatabase();
  });
  after(async () => fresh?.close());

  it('opens with a pool of one connection (a companion command): the migration lock and the migrations do not wait for each other', async () => {
    const db = await openDatabase(fresh.url, 1);
    try {
      expect(await db.query('select count(*)::int as n from migrations')).to.deep.equal([{ n: db.migrations.length }]);
    } finally {
      await db.destroy();
    }
  });
});
