/** `npm start` brings the whole system up, /health is green, and Ctrl-C stops every process. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { findFreePort } from '../../db/embeddedPostgres';

const ROOT = path.resolve(__dirname, '../..');

describe('system: the run command', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  before(async () => {
    db = await resolveDatabase({ purpose: 'test' });
  });
  after(async () => db?.drop());

  it('starts engine, worker and API, answers /health, and stops on SIGINT', async function () {
    if (process.env.TEMPORAL_ADDRESS) this.skip();
    const port = await findFreePort();
    const enginePort = await findFreePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/run.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), ENGINE_PORT: String(enginePort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 150_000;
      while (!output.includes('[run] ready') && Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`run exited early:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).to.contain('[run] ready');
      // Without PUBLIC_BASE_URL the copies' QR codes would point at this machine: said before and after "ready".
      if (!process.env.PUBLIC_BASE_URL) {
        const warning = `PUBLIC_BASE_URL is not set; it defaults to http://localhost:${port}: an address only this machine can open.`;
        expect(output.split(warning).length - 1).to.equal(2);
        expect(output.lastIndexOf(warning)).to.be.greaterThan(output.indexOf('[run] ready'));
      }
      const res = await fetch(`http://127.0.0.1:${port}/health?deep=1`);
      const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; embedded?: boolean }> };
      expect(res.status).to.equal(200);
      expect(body.status).to.equal('ok');
      expect(body.checks.database.ok).to.equal(true);
      expect(body.checks.temporal.ok).to.equal(true);
      expect(body.checks.temporal.embedded).to.equal(true);
      expect(body.checks.worker.ok).to.equal(true);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).to.equal(0);
    // Nothing is left listening.
    const again = await fetch(`http://127.0.0.1:${port}/health`).then(() => 'answered', () => 'refused');
    expect(again).to.equal('refused');
  });
});
