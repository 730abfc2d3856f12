/**
 * Run state as JSON for the database. State holds payloads (bytes); JSON has no bytes, so
 * Uint8Arrays travel as {"$b64": "..."} and come back as Buffers.
 */
import type { ExecutionState } from '../state';

export function encodeState(state: ExecutionState): string {
  return JSON.stringify(state, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') };
    // Buffer.toJSON runs before the replacer sees it.
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      return { $b64: Buffer.from((value as { data: number[] }).data).toString('base64') };
    }
    return value;
  });
}

export function decodeState(json: string | object): ExecutionState {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && typeof (value as { $b64?: unknown }).$b64 === 'string' && Object.keys(value).length === 1) {
      return Buffer.from((value as { $b64: string }).$b64, 'base64');
    }
    return value;
  }) as ExecutionState;
}
