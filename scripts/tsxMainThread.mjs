/**
 * TypeScript support (tsx) for the worker's main thread only: `node --import ./scripts/tsxMainThread.mjs worker.ts`.
 *
 * Preloads run again in every worker thread. The workflow thread runs the SDK's JavaScript and the
 * workflow bundle, and needs no TypeScript; loaded there, tsx turns on Node's source maps, and Node
 * then scans each function the SDK's promise hook compiles (two for every promise workflow code
 * creates) for a source-map comment.
 */
import { isMainThread } from 'node:worker_threads';

if (isMainThread) await import('tsx');
