/**
 * Programs hidden in a document: a Windows executable (an "MZ" header whose e_lfanew points at a
 * "PE\0\0" signature) or a Linux/Unix one (ELF magic with a valid class, byte order and version).
 * Both are checked structurally, not by the two letters alone, so that compressed image data
 * which happens to contain "MZ" does not count.
 */
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

function peAt(data: Buffer, at: number): boolean {
  if (at + 0x40 > data.length) return false;
  const lfanew = data.readUInt32LE(at + 0x3c);
  const pe = at + lfanew;
  return lfanew >= 0x40 && lfanew < 0x10000 && pe + 4 <= data.length && data.readUInt32BE(pe) === 0x50450000;
}

function elfAt(data: Buffer, at: number): boolean {
  if (at + 7 > data.length) return false;
  const cls = data[at + 4];
  const order = data[at + 5];
  return (cls === 1 || cls === 2) && (order === 1 || order === 2) && data[at + 6] === 1;
}

/** "Windows", "ELF" or null: the kind of the first executable found in the bytes. */
export function findExecutable(data: Buffer): 'Windows (.exe/.dll)' | 'ELF (Linux)' | null {
  for (let at = data.indexOf('MZ', 0, 'latin1'); at >= 0; at = data.indexOf('MZ', at + 1, 'latin1')) {
    if (peAt(data, at)) return 'Windows (.exe/.dll)';
  }
  for (let at = data.indexOf(ELF); at >= 0; at = data.indexOf(ELF, at + 1)) {
    if (elfAt(data, at)) return 'ELF (Linux)';
  }
  return null;
}

/** "MZ" at the very start of a part that should be a document is a program, even one cut short. */
export function startsAsExecutable(data: Buffer): boolean {
  return (data[0] === 0x4d && data[1] === 0x5a) || data.subarray(0, 4).equals(ELF);
}
