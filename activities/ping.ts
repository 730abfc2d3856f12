import { hostname } from 'node:os';

export async function ping(): Promise<{ worker: string }> {
  return { worker: `${hostname()}:${process.pid}` };
}
