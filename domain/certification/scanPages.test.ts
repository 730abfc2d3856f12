import { expect } from 'chai';
import { pageMismatchMessage, scanPageMismatches } from './scanPages';

const book = { type: 'Sổ hộ khẩu', pages: 250 };
const birth = { type: 'Giấy khai sinh', pages: 3 };

describe('domain: scan pages against the declared originals', () => {
  it('compares the total when the scan is one set of files', () => {
    expect(scanPageMismatches([book, birth], [{ pages: 3 }])).to.deep.equal([{ declared: 253, scanned: 3 }]);
    expect(scanPageMismatches([book, birth], [{ pages: 250 }, { pages: 1 }, { pages: 1 }, { pages: 1 }])).to.deep.equal([]);
  });

  it('compares each original when the files name the original they show', () => {
    expect(scanPageMismatches([book, birth], [{ pages: 250, document: 0 }, { pages: 2, document: 1 }])).to.deep.equal([{ document: 1, declared: 3, scanned: 2 }]);
    expect(scanPageMismatches([book, birth], [{ pages: 250, document: 0 }, { pages: 1, document: 1 }, { pages: 2, document: 1 }])).to.deep.equal([]);
  });

  it('names an original without any file, and files of an original no longer declared', () => {
    expect(scanPageMismatches([book, birth], [{ pages: 250, document: 0 }])).to.deep.equal([{ document: 1, declared: 3, scanned: 0 }]);
    expect(scanPageMismatches([birth], [{ pages: 3, document: 0 }, { pages: 250, document: 1 }])).to.deep.equal([{ document: -1, declared: 0, scanned: 250 }]);
  });

  it('does not judge scans whose pages were never counted (recorded before the check existed)', () => {
    expect(scanPageMismatches([book, birth], [{}])).to.deep.equal([]);
    expect(scanPageMismatches([book], [])).to.deep.equal([]);
  });

  it('tells the officer what differs and what to do, in Vietnamese first', () => {
    const m = pageMismatchMessage([book, birth], scanPageMismatches([book, birth], [{ pages: 250, document: 0 }, { pages: 2, document: 1 }]));
    expect(m.vi).to.equal(
      'Số trang bản quét không khớp với bản chính đã khai: bản chính 2 (Giấy khai sinh) khai 3 trang, bản quét của nó có 2 trang. Hãy sửa số trang đã khai hoặc đính kèm bản quét đủ trang trước khi trình ký.',
    );
    expect(pageMismatchMessage([book, birth], [{ declared: 253, scanned: 3 }]).en).to.contain('the scan has 3 pages but the originals declare 253 in all');
  });
});
