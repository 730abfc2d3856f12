/**
 * The EXIF orientation of a JPEG (tag 0x0112 in IFD0). Phone cameras store pixels as the sensor
 * saw them and record the rotation here; a PDF shows the raw pixels, so a photographed ID card
 * would come out sideways unless the page applies the rotation itself.
 */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const ORIENTATION_TAG = 0x0112;

function isExifHeader(b: Uint8Array, at: number): boolean {
  // "Exif\0\0"
  return b[at] === 0x45 && b[at + 1] === 0x78 && b[at + 2] === 0x69 && b[at + 3] === 0x66 && b[at + 4] === 0 && b[at + 5] === 0;
}

function orientationInTiff(b: Uint8Array, start: number, end: number): ExifOrientation {
  if (end - start < 8) return 1;
  const view = new DataView(b.buffer, b.byteOffset + start, end - start);
  const order = view.getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const little = order === 0x4949;
  if (view.getUint16(2, little) !== 42) return 1;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > view.byteLength) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > view.byteLength) return 1;
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
  }
  return 1;
}

/** 1 (as stored) when the file has no usable orientation. */
export function jpegExifOrientation(bytes: Uint8Array): ExifOrientation {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return 1;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return 1;
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) {
      i++;
      continue;
    }
    // Start of scan or end of image: metadata segments all come before.
    if (marker === 0xda || marker === 0xd9) return 1;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
    const end = i + 2 + length;
    if (length < 2 || end > bytes.length) return 1;
    if (marker === 0xe1 && length >= 8 && isExifHeader(bytes, i + 4)) return orientationInTiff(bytes, i + 10, end);
    i = end;
  }
  return 1;
}

/** Orientations 5–8 turn the picture a quarter, so width and height swap on the page. */
export function swapsSides(o: ExifOrientation): boolean {
  return o >= 5;
}

/**
 * The matrix [a b c d e f] that draws an image XObject (the unit square) into the upright box
 * (x, y, w, h) of the page for a given EXIF orientation.
 */
export function orientedImageMatrix(o: ExifOrientation, x: number, y: number, w: number, h: number): [number, number, number, number, number, number] {
  switch (o) {
    case 2:
      return [-w, 0, 0, h, x + w, y];
    case 3:
      return [-w, 0, 0, -h, x + w, y + h];
    case 4:
      return [w, 0, 0, -h, x, y + h];
    case 5:
      return [0, -h, -w, 0, x + w, y + h];
    case 6:
      return [0, -h, w, 0, x, y + h];
    case 7:
      return [0, h, w, 0, x, y];
    case 8:
      return [0, h, -w, 0, x + w, y];
    default:
      return [w, 0, 0, h, x, y];
  }
}
