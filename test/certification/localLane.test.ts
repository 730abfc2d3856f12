import { expect } from 'chai';
import { LocalLane } from '../../workflows/certification/localLane';

/** Two pieces of work on a lane: the first waits for `release` and then fails, the second answers 'b'. */
function twoOnALane(enabled: boolean) {
  const lane = new LocalLane(enabled);
  const log: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const a = lane.run(async () => {
    log.push('a start');
    await released;
    log.push('a end');
    throw new Error('a failed');
  });
  const b = lane.run(async () => {
    log.push('b start');
    return 'b';
  });
  const aFailure = a.then(() => 'ended', (err: Error) => err.message);
  return { log, release, aFailure, b };
}

describe('workflows/certification/localLane (local activities one at a time)', () => {
  it('starts a piece of work only when the one before it has ended, failed or not', async () => {
    const { log, release, aFailure, b } = twoOnALane(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(log).to.deep.equal(['a start']);
    release();
    expect(await aFailure).to.equal('a failed');
    expect(await b).to.equal('b');
    expect(log).to.deep.equal(['a start', 'a end', 'b start']);
  });

  it('runs work side by side when off, as cases started before the lane replay', async () => {
    const { log, release, aFailure, b } = twoOnALane(false);
    expect(await b).to.equal('b');
    expect(log).to.deep.equal(['a start', 'b start']);
    release();
    expect(await aFailure).to.equal('a failed');
  });
});
