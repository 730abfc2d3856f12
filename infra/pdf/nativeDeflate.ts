/**
 * pdf-lib compresses the streams it writes with pako, zlib rewritten in JavaScript, which also
 * allocates its window buffers anew for every stream; Node's zlib writes an equally valid Flate
 * stream several times faster. Compression was a sixth of sealing a copy (the stamp's drawing,
 * the seal's font subsets) and dominates a PNG scan page. Output stays reproducible: the same
 * input gives the same bytes with the same zlib.
 */
import { deflateSync } from 'node:zlib';
import { PDFContentStream, PDFName, PDFRawStream, type PDFContext } from 'pdf-lib';

/** Font files, ToUnicode maps and PNG pixels embedded through `context` from now on are compressed by zlib. */
export function deflateNatively(context: PDFContext): void {
  context.flateStream = (contents, dict = {}) =>
    context.stream(deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), { ...dict, Filter: 'FlateDecode' });
}

/**
 * Replaces every content stream pdf-lib drew in `context` by the same content compressed by zlib.
 * Called once drawing is over: a page keeps appending to the stream object it created.
 */
export function compressContentStreams(context: PDFContext): void {
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    // A stream pdf-lib was told to leave uncompressed (its private `encode`) is left to pdf-lib.
    if (!(object instanceof PDFContentStream) || (object as unknown as { encode?: unknown }).encode !== true) continue;
    const dict = object.dict.clone(context);
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    context.assign(ref, PDFRawStream.of(dict, deflateSync(object.getUnencodedContents())));
  }
}
