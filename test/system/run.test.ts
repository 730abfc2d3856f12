/** `npm start` brings the whole system up, /health is green, and Ctrl-C stops every process. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSystemFile } from '../../scripts/lib/systemFile';
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

  it('starts engine, worker and API, answers /health, starts a killed worker and engine again, and stops on SIGINT', async function () {
    if (process.env.TEMPORAL_ADDRESS) this.skip();
    const dataDir = path.join(ROOT, '.data', `run-test-${process.pid}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const system = () => readSystemFile({ DATA_DIR: dataDir });
    const port = await findFreePort();
    const enginePort = await findFreePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/run.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), ENGINE_PORT: String(enginePort), DATA_DIR: dataDir },
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
      expect(body.checks.endToEnd.ok).to.equal(true);

      // The system file says where everything is, for companion commands.
      const info = system()!;
      expect(info.temporal).to.deep.equal({ address: `127.0.0.1:${enginePort}`, namespace: 'default', embedded: true });
      // The API and the worker run as the application role, not as the owner of the schema.
      expect(output).to.match(/API and worker connect as the application role chung_thuc_app/);

      // A killed worker, then a killed engine, are started again; the system is whole again.
      for (const part of ['worker', 'engine'] as const) {
        const before = info.processes![part]!;
        process.kill(before, 'SIGKILL');
        const deadline = Date.now() + 40_000;
        let healthy = false;
        while (!healthy && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 500));
          const now = system()?.processes?.[part];
          if (!now || now === before) continue;
          healthy = (await fetch(`http://127.0.0.1:${port}/health?deep=1`).catch(() => undefined))?.status === 200;
        }
        expect(healthy, `${part} back:\n${output.slice(-3000)}`).to.equal(true);
        expect(output).to.contain(`[run] ${part} ended unexpectedly`);
        Object.assign(info, system());
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).to.equal(0);
    // Nothing is left listening.
    const again = await fetch(`http://127.0.0.1:${port}/health`).then(() => 'answered', () => 'refused');
    expect(again).to.equal('refused');
  });
});
