/**
 * A file name as the officer's computer gave it, made safe to store and show back. Invisible
 * characters that reorder or hide text are removed — a right-to-left override makes
 * "scan\u202Efdp.exe" read as "scanexe.pdf" — together with control characters and any folder
 * part; Vietnamese letters and ordinary punctuation stay as they were (NFC).
 */

// Bidirectional embeddings, overrides and isolates, the directional marks (LRM, RLM, ALM), and the
// zero-width characters and BOM that hide one name inside another.
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function cleanFileName(raw: string): string {
  const last = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  return last
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .trim()
    // "..", "." or a name hidden as a dot file says nothing the officer can recognise.
    .replace(/^\.+/, '')
    .trim();
}
