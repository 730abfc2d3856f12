/**
 * The inspection thread: reads the uploads it is sent, one at a time, and answers each one's facts or why it is refused. It runs
 * under the heap limit and time the API gives it (inspect.ts), so a file built to exhaust memory
 * ends this thread, not the API.
 */
import { parentPort } from 'node:worker_threads';
import { inspectJpeg, inspectPng } from './inspectImage';
import { inspectPdf } from './inspectPdf';
import type { InspectionLimits } from './limits';
import { UploadRefused } from './refusal';

export type InspectedKind = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface InspectionRequest {
  data: Uint8Array;
  mimeType: InspectedKind;
  limits: InspectionLimits;
}

export type InspectionAnswer =
  | { ok: true; pages: number | null; inflatedBytes: number }
  | { ok: false; refusal: UploadRefused['refusal'] }
  | { ok: false; crash: string };

export async function inspect(request: InspectionRequest): Promise<InspectionAnswer> {
  const data = Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength);
  try {
    switch (request.mimeType) {
      case 'application/pdf': {
        const facts = await inspectPdf(data, request.limits);
        return { ok: true, pages: facts.pages, inflatedBytes: facts.inflatedBytes };
      }
      case 'image/png':
        inspectPng(data, request.limits);
        return { ok: true, pages: null, inflatedBytes: 0 };
      case 'image/jpeg':
        inspectJpeg(data, request.limits);
        return { ok: true, pages: null, inflatedBytes: 0 };
    }
  } catch (err) {
    if (err instanceof UploadRefused) return { ok: false, refusal: err.refusal };
    return { ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

// One file per message; the thread stays for the next while the API keeps it warm.
if (parentPort) {
  const port = parentPort;
  port.on('message', (message: { inspection?: InspectionRequest }) => {
    if (message?.inspection) void inspect(message.inspection).then((answer) => port.postMessage(answer));
  });
}
