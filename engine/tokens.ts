import { invalidArgument } from './errors';

/** Opaque to workers; carries what the engine needs to find the task again and detect a stale one. */
export interface WorkflowTaskToken {
  k: 'w';
  ns: string;
  wid: string;
  rid: string;
  sid: number;
  att: number;
  st: number;
}

export interface ActivityTaskToken {
  k: 'a';
  ns: string;
  wid: string;
  rid: string;
  sid: number;
  att: number;
  aid: string;
}

export interface QueryTaskToken {
  k: 'q';
  ns: string;
  qid: string;
}

export type TaskToken = WorkflowTaskToken | ActivityTaskToken | QueryTaskToken;

export function encodeToken(token: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(token));
}

export function decodeToken<K extends TaskToken['k']>(bytes: Uint8Array | null | undefined, kind: K): Extract<TaskToken, { k: K }> {
  if (!bytes || bytes.length === 0) throw invalidArgument('Task token not set on request.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalidArgument('Error deserializing task token.');
  }
  if (!parsed || typeof parsed !== 'object' || (parsed as { k?: unknown }).k !== kind) {
    throw invalidArgument('Error deserializing task token: wrong kind of task.');
  }
  return parsed as Extract<TaskToken, { k: K }>;
}

/** Page tokens are opaque too; this one encodes where the next page starts. */
export function encodePageToken(value: object): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function decodePageToken<T>(bytes: Uint8Array | null | undefined): T | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
  } catch {
    throw invalidArgument('Invalid next page token.');
  }
}
