/**
 * The inspection thread's own bounds: a file that needs more heap than allowed ends the thread
 * (not the process) and is refused; one that takes longer than allowed is stopped the same way.
 */
import { expect } from 'chai';
import { ApiError } from '../../api/errors';
import { inspectUpload, runInspection } from './inspect';
import { cleanFileName } from './fileName';
import { DEFAULT_LIMITS } from './limits';

/** A PDF whose one object is an array of two million numbers: small on disk, large once parsed. */
function manyNumbersPdf(): Buffer {
  const numbers = '0 '.repeat(2_000_000);
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n4 0 obj[${numbers}]endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

describe('upload inspection thread', function () {
  this.timeout(60_000);

  it('stops a thread that outgrows its heap limit, and refuses the file with 422', async () => {
    const limits = { ...DEFAULT_LIMITS, memoryMb: 16 };
    const answer = await runInspection({ data: new Uint8Array(manyNumbersPdf()), mimeType: 'application/pdf', limits });
    expect(answer).to.deep.equal({ ok: false, overrun: 'memory' });
    const err = await inspectUpload(manyNumbersPdf(), 'application/pdf', limits).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err).to.include({ status: 422, code: 'FILE_TOO_COMPLEX' });
    expect((err as ApiError).details).to.deep.equal({ overrun: 'memory', memoryMb: 16 });
    // The same file reads within the default limit: the refusal was the limit's doing.
    expect(await inspectUpload(manyNumbersPdf(), 'application/pdf')).to.deep.equal({ pages: 1 });
  });

  it('stops a thread that overruns its time', async () => {
    const answer = await runInspection({ data: new Uint8Array(manyNumbersPdf()), mimeType: 'application/pdf', limits: { ...DEFAULT_LIMITS, timeoutMs: 1 } });
    expect(answer).to.deep.equal({ ok: false, overrun: 'time' });
  });

  it('cleans file names of direction overrides, isolates, marks, controls and folders, keeping Vietnamese', () => {
    expect(cleanFileName('scan\u202efdp.exe')).to.equal('scanfdp.exe');
    expect(cleanFileName('C:\\Users\\lan\\Giấy\u200e khai\u0007 sinh.pdf')).to.equal('Giấy khai sinh.pdf');
    expect(cleanFileName('../../etc/passwd')).to.equal('passwd');
    expect(cleanFileName('..\u2066.bashrc')).to.equal('bashrc');
    expect(cleanFileName('Ho\u0302\u0300 so\u031b.pdf')).to.equal('Hồ sơ.pdf'); // decomposed → NFC
  });
});
