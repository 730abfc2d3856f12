import { expect } from 'chai';
import { processBuffer } from './buffer';
import { Overlap, type BufferedStart } from './record';

const start = (n: number, overlapPolicy: number = Overlap.Unspecified): BufferedStart => ({ nominal: n, actual: n, overlapPolicy, manual: false });
const asIs = (p: number) => p;

describe('schedule overlap policies', () => {
  it('starts the first when nothing runs and skips the rest under SKIP', () => {
    const d = processBuffer([start(1, Overlap.Skip), start(2, Overlap.Skip), start(3, Overlap.Skip)], false, asIs);
    expect(d.nonOverlapping?.nominal).to.equal(1);
    expect(d.newBuffer).to.deep.equal([]);
    expect(d.overlapSkipped).to.equal(2);
  });

  it('keeps one waiting under BUFFER_ONE and all under BUFFER_ALL', () => {
    const one = processBuffer([start(1, Overlap.BufferOne), start(2, Overlap.BufferOne), start(3, Overlap.BufferOne)], true, asIs);
    expect(one.nonOverlapping).to.equal(undefined);
    expect(one.newBuffer.map((s) => s.nominal)).to.deep.equal([1]);
    expect(one.overlapSkipped).to.equal(2);
    const all = processBuffer([start(1, Overlap.BufferAll), start(2, Overlap.BufferAll)], true, asIs);
    expect(all.newBuffer.map((s) => s.nominal)).to.deep.equal([1, 2]);
  });

  it('asks to cancel or terminate the running one and waits; with nothing running the latest replaces the earlier', () => {
    const cancel = processBuffer([start(1, Overlap.CancelOther)], true, asIs);
    expect(cancel.needCancel).to.equal(true);
    expect(cancel.newBuffer.map((s) => s.nominal)).to.deep.equal([1]);
    const terminate = processBuffer([start(1, Overlap.TerminateOther), start(2, Overlap.TerminateOther)], false, asIs);
    expect(terminate.needTerminate).to.equal(false);
    expect(terminate.nonOverlapping?.nominal).to.equal(2);
  });

  it('starts ALLOW_ALL at once, unless the same pass cancels or terminates', () => {
    const all = processBuffer([start(1, Overlap.AllowAll), start(2, Overlap.AllowAll)], true, asIs);
    expect(all.overlapping.map((s) => s.nominal)).to.deep.equal([1, 2]);
    const mixed = processBuffer([start(1, Overlap.AllowAll), start(2, Overlap.TerminateOther)], true, asIs);
    expect(mixed.overlapping).to.deep.equal([]);
    expect(mixed.needTerminate).to.equal(true);
  });

  it('resolves an unspecified policy through the schedule at processing time', () => {
    const d = processBuffer([start(1), start(2)], true, () => Overlap.BufferAll);
    expect(d.newBuffer).to.have.length(2);
  });
});
