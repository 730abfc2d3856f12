/** Connections to Temporal for the API, the worker and scripts: the embedded engine by default, an external cluster when configured. */
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { externalTemporal, temporalNamespace } from './temporalConfig';

export const DEFAULT_ENGINE_PORT = 7233;

export interface TemporalTarget {
  address: string;
  namespace: string;
  embedded: boolean;
  tls?: NonNullable<ReturnType<typeof externalTemporal>>['tls'];
  apiKey?: string;
}

/** The external cluster from TEMPORAL_ADDRESS, or the embedded engine on ENGINE_PORT (default 7233). */
export function temporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const ext = externalTemporal(env);
  if (ext) return { ...ext, embedded: false };
  const port = Number(env.ENGINE_PORT || DEFAULT_ENGINE_PORT);
  return { address: `127.0.0.1:${port}`, namespace: temporalNamespace(env), embedded: true };
}

export function taskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.TASK_QUEUE || 'chung-thuc';
}

/**
 * A client on the SDK's native connection (the worker's Rust gRPC client, which the SDK offers
 * for clients too): it costs the API's main thread about half of what the grpc-js connection did.
 */
export async function connectClient(target = temporalTarget()): Promise<Client> {
  return new Client({ connection: await connectNative(target), namespace: target.namespace });
}

/**
 * The worker's connection. Towards the embedded engine on this machine requests go uncompressed:
 * gzip on loopback only costs CPU on both sides (about 1.5 ms per workflow in the engine). A
 * cluster keeps the SDK's default.
 */
export function connectNative(target = temporalTarget()): Promise<NativeConnection> {
  const compression = target.embedded ? { grpcCompression: { codec: 'none' as const } } : {};
  return NativeConnection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey, ...compression });
}
