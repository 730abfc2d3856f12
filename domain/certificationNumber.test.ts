import { expect } from 'chai';
import {
  compileCertificationNumberTemplate,
  DEFAULT_CERTIFICATION_NUMBER_TEMPLATE,
  formatCertificationNumber,
  parseCertificationNumber,
} from './certificationNumber';

describe('domain/certificationNumber (số chứng thực)', () => {
  it('formats with the default template {seq}/{year}-SCTĐT/BS', () => {
    expect(DEFAULT_CERTIFICATION_NUMBER_TEMPLATE).to.equal('{seq}/{year}-SCTĐT/BS');
    expect(formatCertificationNumber({ seq: 123, year: 2026 })).to.equal('123/2026-SCTĐT/BS');
    expect(formatCertificationNumber({ seq: 1, year: 2025 })).to.equal('1/2025-SCTĐT/BS');
  });

  it('parses a number back, tolerating spaces, letter case and decomposed Unicode', () => {
    expect(parseCertificationNumber('123/2026-SCTĐT/BS')).to.deep.equal({ ok: true, parts: { seq: 123, year: 2026 }, canonical: '123/2026-SCTĐT/BS' });
    expect(parseCertificationNumber('  123/2026-sctđt/bs ')).to.include({ ok: true, canonical: '123/2026-SCTĐT/BS' });
    const decomposed = '7/2026-SCTĐT/BS'.normalize('NFD');
    expect(parseCertificationNumber(decomposed)).to.include({ ok: true, canonical: '7/2026-SCTĐT/BS' });
  });

  it('supports {unitCode}, {book} and zero-padded {seq:N}, and round-trips', () => {
    const template = '{seq:5}/{year}/{book}-{unitCode}';
    const parts = { seq: 42, year: 2026, book: 'SCTĐT', unitCode: '000.15.43.H35' };
    const text = formatCertificationNumber(parts, template);
    expect(text).to.equal('00042/2026/SCTĐT-000.15.43.H35');
    expect(parseCertificationNumber(text, template)).to.deep.equal({ ok: true, parts, canonical: text });
    for (let seq = 1; seq < 2_000_000; seq = seq * 3 + 1) {
      const t = formatCertificationNumber({ seq, year: 2027 });
      const back = parseCertificationNumber(t);
      expect(back.ok && back.parts.seq).to.equal(seq);
    }
  });

  it('requires {seq} and rejects unknown, repeated or adjacent placeholders', () => {
    expect(compileCertificationNumberTemplate('{year}-SCTĐT/BS')).to.include({ ok: false, code: 'TEMPLATE_WITHOUT_SEQ' });
    const noSeq = compileCertificationNumberTemplate('{year}-SCTĐT/BS');
    if (!noSeq.ok) expect(noSeq.message).to.equal('Mẫu số chứng thực phải có biến {seq} (số thứ tự) / The template must contain {seq} (the sequence number)');
    expect(compileCertificationNumberTemplate('{seq}/{nam}')).to.include({ code: 'TEMPLATE_UNKNOWN_PLACEHOLDER' });
    expect(compileCertificationNumberTemplate('{seq}/{seq}')).to.include({ code: 'TEMPLATE_DUPLICATE_PLACEHOLDER' });
    expect(compileCertificationNumberTemplate('{seq}{year}')).to.include({ code: 'TEMPLATE_ADJACENT_PLACEHOLDERS' });
    expect(compileCertificationNumberTemplate('{seq}/{year')).to.include({ code: 'TEMPLATE_STRAY_BRACE' });
    expect(compileCertificationNumberTemplate('{year:3}/{seq}')).to.include({ code: 'TEMPLATE_UNKNOWN_PLACEHOLDER' });
    expect(compileCertificationNumberTemplate('{seq:0}/x')).to.include({ code: 'TEMPLATE_BAD_WIDTH' });
    expect(compileCertificationNumberTemplate('')).to.include({ code: 'TEMPLATE_EMPTY' });
    expect(() => formatCertificationNumber({ seq: 1, year: 2026 }, '{year}')).to.throw(/phải có biến \{seq\}/);
  });

  it('rejects missing or invalid parts when formatting', () => {
    expect(() => formatCertificationNumber({ seq: 0, year: 2026 })).to.throw().with.property('code', 'INVALID_SEQ');
    expect(() => formatCertificationNumber({ seq: 1.5, year: 2026 })).to.throw().with.property('code', 'INVALID_SEQ');
    expect(() => formatCertificationNumber({ seq: 1 })).to.throw().with.property('code', 'INVALID_YEAR');
    expect(() => formatCertificationNumber({ seq: 1, year: 26 })).to.throw().with.property('code', 'INVALID_YEAR');
    expect(() => formatCertificationNumber({ seq: 1, year: 2026 }, '{seq}/{unitCode}')).to.throw().with.property('code', 'MISSING_PART');
    expect(formatCertificationNumber({ seq: 9 }, '{seq}-CT')).to.equal('9-CT');
  });

  it('refuses a book name that would not read back, accepts one that would', () => {
    expect(() => formatCertificationNumber({ seq: 1, book: 'A/B', unitCode: 'X' }, '{seq}/{book}/{unitCode}')).to.throw().with.property('code', 'AMBIGUOUS_PART');
    expect(formatCertificationNumber({ seq: 1, year: 2026, book: 'A/B' }, '{seq}/{book}/{year}')).to.equal('1/A/B/2026');
  });

  it('reports numbers that do not match the template', () => {
    const r = parseCertificationNumber('123-2026-SCTĐT/BS');
    expect(r).to.include({ ok: false, code: 'CERT_NUMBER_MISMATCH' });
    if (!r.ok) expect(r.messages.vi).to.equal('Số chứng thực "123-2026-SCTĐT/BS" không đúng mẫu (ví dụ: 123/2026-SCTĐT/BS)');
    expect(parseCertificationNumber('0/2026-SCTĐT/BS')).to.include({ ok: false, code: 'CERT_NUMBER_BAD_SEQ' });
    expect(parseCertificationNumber('12/26-SCTĐT/BS')).to.include({ ok: false, code: 'CERT_NUMBER_MISMATCH' });
    expect(parseCertificationNumber('1/2026', '{seq}/{nam}')).to.include({ ok: false, code: 'TEMPLATE_UNKNOWN_PLACEHOLDER' });
  });
});
