/** The run database of `npm start`: a restart of `npm start` finds PostgreSQL on the same port, with its data. */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { resolveDatabase } from '../../db/databaseUrl';

const ROOT = path.resolve(__dirname, '../..');

describe('system: the run database keeps its port and data across restarts', function () {
  this.timeout(120_000);
  const dataDir = path.join(ROOT, '.data', `run-db-test-${process.pid}`);
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('records the port of the embedded PostgreSQL and uses it again, with the rows written before', async () => {
    const env = { DATA_DIR: dataDir };
    const first = await resolveDatabase({ purpose: 'run', env });
    const port = new URL(first.url).port;
    try {
      expect(fs.readFileSync(path.join(dataDir, 'pg.port'), 'utf8').trim()).to.equal(port);
      const c = new Client({ connectionString: first.url });
      await c.connect();
      await c.query('create table kept (n int); insert into kept values (42)');
      await c.end();
      // The supervisor restarts a dead PostgreSQL with the same handle: same port, same data.
      await first.embedded!.kill('SIGKILL');
      await first.embedded!.start();
      expect(new URL(first.embedded!.url).port).to.equal(port);
    } finally {
      await first.stop();
    }
    // A new `npm start`.
    const second = await resolveDatabase({ purpose: 'run', env });
    try {
      expect(new URL(second.url).port).to.equal(port);
      const c = new Client({ connectionString: second.url });
      await c.connect();
      expect((await c.query<{ n: number }>('select n from kept')).rows).to.deep.equal([{ n: 42 }]);
      await c.end();
    } finally {
      await second.stop();
    }
  });
});
