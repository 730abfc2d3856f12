/**
 * Why an upload is refused, as plain data: it is decided in a worker thread and crosses to the
 * API as a message, where it becomes the API's usual error (see inspect.ts).
 */
export interface Refusal {
  status: 400 | 413 | 415 | 422;
  code: string;
  vi: string;
  en: string;
  details?: Record<string, unknown>;
}

export class UploadRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(`${refusal.vi} / ${refusal.en}`);
  }
}

export const refuse = (r: Refusal): never => {
  throw new UploadRefused(r);
};

export const tooComplex = (why: { vi: string; en: string }, details?: Record<string, unknown>): Refusal => ({
  status: 422,
  code: 'FILE_TOO_COMPLEX',
  vi: `Tệp không được nhận: ${why.vi}. Tệp bản quét thông thường không như vậy; hãy quét lại hoặc lưu lại tệp bằng phần mềm quét rồi tải lên.`,
  en: `The file is refused: ${why.en}. An ordinary scan is not like this; scan it again or save it again from the scanning software.`,
  ...(details ? { details } : {}),
});
