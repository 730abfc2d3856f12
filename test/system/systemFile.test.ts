/** Companion commands find the running system: their own settings first, then system.json, then the defaults. */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { temporalTarget } from '../../infra/temporalClient';
import { companionEnv, readSystemFile, runningSystem, writeSystemFile, type SystemInfo } from '../../scripts/lib/systemFile';
import { Backoff } from '../../scripts/lib/supervisor';

const ROOT = path.resolve(__dirname, '../..');

describe('system file: where companion commands connect', () => {
  const running: SystemInfo = {
    pid: process.pid,
    databaseUrl: 'postgres://owner:pw@127.0.0.1:5999/chung_thuc',
    temporal: { address: '127.0.0.1:17233', namespace: 'xa-tam-duong', embedded: true },
  };

  it('uses the running system’s engine, namespace and database when the environment says nothing', () => {
    const env = companionEnv({}, running);
    expect(temporalTarget(env)).to.include({ address: '127.0.0.1:17233', namespace: 'xa-tam-duong', embedded: true });
    expect(env.DATABASE_URL).to.equal(running.databaseUrl);
  });

  it('lets the environment win over the system file', () => {
    expect(temporalTarget(companionEnv({ ENGINE_PORT: '7300' }, running)).address).to.equal('127.0.0.1:7300');
    const cluster = temporalTarget(companionEnv({ TEMPORAL_ADDRESS: 'cluster:7233', TEMPORAL_NAMESPACE: 'prod' }, running));
    expect(cluster).to.include({ address: 'cluster:7233', namespace: 'prod', embedded: false });
    expect(companionEnv({ DATABASE_URL: 'postgres://mine' }, running).DATABASE_URL).to.equal('postgres://mine');
    // A namespace of one's own, with the system's engine.
    expect(temporalTarget(companionEnv({ TEMPORAL_NAMESPACE: 'other' }, running))).to.include({ address: '127.0.0.1:17233', namespace: 'other' });
  });

  it('falls back to the defaults without a running system, and follows a system on an external cluster', () => {
    expect(temporalTarget(companionEnv({}, undefined))).to.include({ address: '127.0.0.1:7233', namespace: 'default' });
    const external = { ...running, temporal: { address: 'temporal.office:7233', namespace: 'ubnd', embedded: false } };
    expect(temporalTarget(companionEnv({}, external))).to.include({ address: 'temporal.office:7233', namespace: 'ubnd', embedded: false });
  });

  it('is read from DATA_DIR, and counts as running only while its supervisor lives', () => {
    const dir = path.join(ROOT, '.data', `system-file-test-${process.pid}`);
    try {
      const env = { DATA_DIR: dir };
      writeSystemFile(running, env);
      expect(readSystemFile(env)).to.deep.equal(running);
      expect(runningSystem(env)?.temporal?.address).to.equal('127.0.0.1:17233');
      expect(temporalTarget(companionEnv(env)).address).to.equal('127.0.0.1:17233');
      writeSystemFile({ ...running, pid: 2 ** 22 + 12345 }, env);
      expect(runningSystem(env)).to.equal(undefined);
      expect(temporalTarget(companionEnv(env)).address).to.equal('127.0.0.1:7233');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('supervisor: restart backoff', () => {
  it('doubles from 0.5 s to 15 s, and starts over after a stable minute', () => {
    const b = new Backoff();
    expect([0, 0, 0, 0, 0, 0, 0, 0].map(() => b.delayAfter(1_000))).to.deep.equal([500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    expect(b.delayAfter(61_000)).to.equal(500);
    expect(b.delayAfter(10)).to.equal(1_000);
  });
});
