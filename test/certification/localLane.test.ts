import { expect } from 'chai';
import { LocalLane } from '../../workflows/certification/localLane';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('workflows/certification/localLane (local activities one at a time)', () => {
  it('starts a piece of work only when the one before it has ended, failed or not', async () => {
    const lane = new LocalLane(true);
    const log: string[] = [];
    const first = gate();
    const a = lane.run(async () => {
      log.push('a start');
      await first.opened;
      log.push('a end');
      throw new Error('a failed');
    });
    const b = lane.run(async () => {
      log.push('b start');
      return 'b';
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).to.deep.equal(['a start']);
    first.open();
    expect(await a.then(() => 'ended', (err: Error) => err.message)).to.equal('a failed');
    expect(await b).to.equal('b');
    expect(log).to.deep.equal(['a start', 'a end', 'b start']);
  });

  it('runs work side by side when off, as cases started before the lane replay', async () => {
    const lane = new LocalLane(false);
    const log: string[] = [];
    const first = gate();
    const a = lane.run(async () => {
      log.push('a start');
      await first.opened;
    });
    const b = lane.run(async () => {
      log.push('b start');
    });
    await b;
    expect(log).to.deep.equal(['a start', 'b start']);
    first.open();
    await a;
  });
});
