/** Task tokens of standalone activity attempts, told apart from a workflow activity's by their kind. */
import { invalidArgument } from '../errors';
import type { TaskRef } from '../matching';

type TaskRefStandalone = Extract<TaskRef, { type: 'standaloneActivity' }>;

export interface StandaloneTaskToken {
  k: 'sa';
  ns: string;
  aid: string;
  rid: string;
  att: number;
}

export function isStandaloneToken(bytes: Uint8Array | null | undefined): boolean {
  if (!bytes || bytes.length < 8) return false;
  // Cheap check before parsing: every token is JSON with its kind first.
  return Buffer.from(bytes.subarray(0, 9)).toString('utf8') === '{"k":"sa"';
}

export function encodeStandaloneToken(t: StandaloneTaskToken): Buffer {
  return Buffer.from(JSON.stringify(t));
}

export function decodeStandaloneToken(bytes: Uint8Array | null | undefined): StandaloneTaskToken {
  try {
    const t = JSON.parse(Buffer.from(bytes ?? []).toString('utf8')) as StandaloneTaskToken;
    if (t.k === 'sa') return t;
  } catch {
    // answered below
  }
  throw invalidArgument('Error deserializing task token.');
}

export function taskKey(task: TaskRefStandalone): string {
  return `sact:${task.runId}:${task.attempt}`;
}
