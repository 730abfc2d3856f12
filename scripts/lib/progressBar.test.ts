import { expect } from 'chai';
import { progressBar, progressLine } from './progressBar';

describe('progress bar', () => {
  it('fills in proportion, with the rate and the time left', () => {
    expect(progressLine(1_500_000, 5_000_000, 10_000, 'rows', 10)).to.equal('[###.......]  30%  1,500,000 / 5,000,000 rows  150,000 rows/s  ETA 24 s');
  });

  it('is full and says nothing is left at the end', () => {
    expect(progressLine(200, 200, 1000, 'rows', 4)).to.equal('[####] 100%  200 / 200 rows  200 rows/s  ETA 0 s');
  });

  it('has no rate nor time left before any time has passed', () => {
    expect(progressLine(0, 10, 0, 'rows', 4)).to.equal('[....]   0%  0 / 10 rows  0 rows/s');
  });

  it('redraws in place on a terminal and ends with a new line', () => {
    const written: string[] = [];
    let t = 0;
    const bar = progressBar({ write: (s: string) => written.push(s), isTTY: true }, 4, 'rows', () => t);
    t = 1000;
    bar.update(1);
    bar.update(2);
    bar.finish();
    expect(written.map((w) => w.slice(0, 1))).to.deep.equal(['\r', '\r', '\n']);
  });

  it('writes one line per tenth elsewhere', () => {
    const written: string[] = [];
    const bar = progressBar({ write: (s: string) => written.push(s) }, 100, 'rows', () => 0);
    for (let done = 1; done <= 100; done++) bar.update(done);
    bar.finish();
    expect(written).to.have.length(10);
    expect(written.every((w) => w.endsWith('\n'))).to.equal(true);
  });
});
