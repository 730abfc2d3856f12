/**
 * Checks an upload in a separate thread with a heap limit and a deadline, and answers its page
 * count or the API's refusal. The thread is ended when it overruns either, and the file is
 * refused as too costly to read: nothing of it is stored, and the API's own memory never holds
 * more than the upload itself.
 *
 * At most INSPECTIONS_AT_ONCE files are read together (the others wait their turn), so a burst
 * of uploads costs a bounded amount of memory too.
 */
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../api/errors';
import { inspectionLimitsFromEnv, type InspectionLimits } from './limits';
import { tooComplex, type Refusal } from './refusal';
import type { InspectedKind, InspectionAnswer, InspectionRequest } from './inspectWorker';

export type { InspectedKind } from './inspectWorker';

const INSPECTIONS_AT_ONCE = 2;

export const toApiError = (r: Refusal) => new ApiError(r.status, r.code, r.vi, r.en, r.details);

/** Under tsx (development, tests, `npm start`) the thread must load TypeScript as its parent does. */
function bootstrap(): { code: string; eval: true } {
  const entry = require.resolve('./inspectWorker');
  const tsx = entry.endsWith('.ts') ? `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();` : '';
  return { code: `${tsx}require(${JSON.stringify(entry)});`, eval: true };
}

let running = 0;
const waiting: Array<() => void> = [];

async function turn(): Promise<() => void> {
  if (running >= INSPECTIONS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** Why the thread stopped, when it did not answer: its heap limit, its deadline, or a fault of ours. */
export type Overrun = 'memory' | 'time';

function overrunRefusal(overrun: Overrun, limits: InspectionLimits): Refusal {
  return overrun === 'memory'
    ? tooComplex({ vi: `đọc tệp cần nhiều hơn ${limits.memoryMb} MB bộ nhớ`, en: `reading it needs more than ${limits.memoryMb} MB of memory` }, { overrun, memoryMb: limits.memoryMb })
    : tooComplex({ vi: `đọc tệp mất hơn ${Math.round(limits.timeoutMs / 1000)} giây`, en: `reading it takes longer than ${Math.round(limits.timeoutMs / 1000)} s` }, { overrun, timeoutMs: limits.timeoutMs });
}

/** Runs one inspection thread; an overrun is an answer, not an exception. */
export async function runInspection(request: InspectionRequest): Promise<InspectionAnswer | { ok: false; overrun: Overrun }> {
  const release = await turn();
  try {
    const { code } = bootstrap();
    const worker = new Worker(code, {
      eval: true,
      workerData: { inspection: request },
      resourceLimits: {
        maxOldGenerationSizeMb: request.limits.memoryMb,
        maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.floor(request.limits.memoryMb / 8))),
        stackSizeMb: 4,
      },
      // Its output is not the API's: a parser's warnings stay out of the API's log.
      stdout: true,
      stderr: true,
    });
    return await new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        void worker.terminate();
      };
      const timer = setTimeout(() => finish(() => resolve({ ok: false, overrun: 'time' })), request.limits.timeoutMs);
      worker.on('message', (answer: InspectionAnswer) => finish(() => resolve(answer)));
      worker.on('error', (err: Error & { code?: string }) =>
        finish(() => (err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve({ ok: false, overrun: 'memory' }) : reject(err))),
      );
      worker.on('exit', (exitCode) => finish(() => reject(new Error(`upload inspection thread exited (${exitCode}) without an answer`))));
    });
  } finally {
    release();
  }
}

/**
 * The file's pages (PDF) or null (image), once it is read as a well-formed document of its type
 * within the limits; otherwise the 4xx refusal to answer. A fault of the inspection itself is a
 * 500: an unchecked file is never accepted.
 */
export async function inspectUpload(data: Buffer, mimeType: InspectedKind, limits: InspectionLimits = inspectionLimitsFromEnv()): Promise<{ pages: number | null }> {
  // Copied into memory the thread owns, so that the API's buffer stays whole whatever happens there.
  const answer = await runInspection({ data: new Uint8Array(data), mimeType, limits });
  if (answer.ok) return { pages: answer.pages };
  if ('overrun' in answer) throw toApiError(overrunRefusal(answer.overrun, limits));
  if ('refusal' in answer) throw toApiError(answer.refusal);
  throw new Error(`upload inspection failed: ${answer.crash}`);
}

export const isInspected = (mimeType: string): mimeType is InspectedKind =>
  mimeType === 'application/pdf' || mimeType === 'image/jpeg' || mimeType === 'image/png';
