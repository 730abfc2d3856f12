/**
 * The smallest well-formed PDF: numbered objects, a cross-reference table with their byte
 * offsets, the trailer and %%EOF. Used for demo scans and test fixtures; object 1 must be the
 * catalog.
 */
export function pdfFromObjects(objects: readonly string[]): Buffer {
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** One A4 page with lines of ASCII text in Helvetica (accents are not encoded). */
export function textPagePdf(lines: readonly string[]): Buffer {
  return textPagesPdf([lines]);
}

/** A4 pages, each with its lines of ASCII text in Helvetica (accents are not encoded). */
export function textPagesPdf(pages: ReadonlyArray<readonly string[]>): Buffer {
  const escape = (s: string) => s.replace(/[()\\]/g, '');
  // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream for each page.
  const pageObjects = pages.flatMap((lines, i) => {
    const body = lines.map((l, j) => `${j === 0 ? '' : '0 -24 Td '}(${escape(l)}) Tj`).join(' ');
    const stream = `BT /F1 14 Tf 60 780 Td ${body} ET`;
    return [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${5 + 2 * i} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
      `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    ];
  });
  const kids = pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ');
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...pageObjects,
  ]);
}
