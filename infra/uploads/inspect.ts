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

/** Threads that answered and wait for the next file: starting one (loading the parsers) costs more than most inspections. */
const idle: Array<{ worker: Worker; memoryMb: number }> = [];

function startThread(limits: InspectionLimits): Worker {
  const { code } = bootstrap();
  return new Worker(code, {
    eval: true,
    resourceLimits: {
      maxOldGenerationSizeMb: limits.memoryMb,
      maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.floor(limits.memoryMb / 8))),
      stackSizeMb: 4,
    },
    // Its output is not the API's: a parser's warnings stay out of the API's log.
    stdout: true,
    stderr: true,
  });
}

/** A warm thread under the same heap limit, or a new one. */
function threadFor(limits: InspectionLimits): Worker {
  const i = idle.findIndex((t) => t.memoryMb === limits.memoryMb);
  const worker = i >= 0 ? idle.splice(i, 1)[0]!.worker : startThread(limits);
  worker.removeAllListeners();
  worker.ref();
  return worker;
}

/** Keeps a thread that answered for the next file; it never holds the process open meanwhile. */
function rest(worker: Worker, limits: InspectionLimits): void {
  worker.removeAllListeners();
  if (idle.length >= INSPECTIONS_AT_ONCE) {
    void worker.terminate();
    return;
  }
  const warm = { worker, memoryMb: limits.memoryMb };
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    const at = idle.indexOf(warm);
    if (at >= 0) idle.splice(at, 1);
  });
  worker.unref();
  idle.push(warm);
}

/** Runs one inspection in a thread; an overrun is an answer, not an exception, and ends the thread. */
export async function runInspection(request: InspectionRequest): Promise<InspectionAnswer | { ok: false; overrun: Overrun }> {
  const release = await turn();
  try {
    const worker = threadFor(request.limits);
    return await new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (keep) rest(worker, request.limits);
        else void worker.terminate();
        fn();
      };
      const timer = setTimeout(() => finish(() => resolve({ ok: false, overrun: 'time' }), false), request.limits.timeoutMs);
      // A thread that crashed on a file may be left in any state: it is not reused.
      worker.on('message', (answer: InspectionAnswer) => finish(() => resolve(answer), answer.ok || 'refusal' in answer));
      worker.on('error', (err: Error & { code?: string }) =>
        finish(() => (err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve({ ok: false, overrun: 'memory' }) : reject(err)), false),
      );
      worker.on('exit', (exitCode) => finish(() => reject(new Error(`upload inspection thread exited (${exitCode}) without an answer`)), false));
      worker.postMessage({ inspection: request });
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
