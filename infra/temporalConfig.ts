/**
 * Where Temporal is. Without TEMPORAL_ADDRESS the system uses its embedded engine; with it, the
 * worker, the API and the test suite talk to that cluster unchanged.
 *
 *   TEMPORAL_ADDRESS          host:port of the frontend (e.g. my-ns.a1b2c.tmprl.cloud:7233)
 *   TEMPORAL_NAMESPACE        namespace (default "default")
 *   TEMPORAL_TLS              "true" to use TLS with the system's CA roots
 *   TEMPORAL_TLS_CERT / _KEY  client certificate and key files (mTLS); implies TLS
 *   TEMPORAL_TLS_CA           CA bundle file for the server certificate
 *   TEMPORAL_TLS_SERVER_NAME  override of the TLS server name
 *   TEMPORAL_API_KEY          API key (Temporal Cloud); implies TLS
 */
import { readFileSync } from 'node:fs';

export interface TlsSettings {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface ExternalTemporal {
  address: string;
  namespace: string;
  tls?: TlsSettings | true;
  apiKey?: string;
}

export function temporalNamespace(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEMPORAL_NAMESPACE || 'default';
}

/** The external cluster configured in the environment, or undefined for the embedded engine. */
export function externalTemporal(env: NodeJS.ProcessEnv = process.env): ExternalTemporal | undefined {
  const address = env.TEMPORAL_ADDRESS;
  if (!address) return undefined;
  const cert = env.TEMPORAL_TLS_CERT;
  const key = env.TEMPORAL_TLS_KEY;
  if (!!cert !== !!key) throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
  const wantsTls = env.TEMPORAL_TLS === 'true' || !!cert || !!env.TEMPORAL_TLS_CA || !!env.TEMPORAL_API_KEY;
  let tls: ExternalTemporal['tls'];
  if (wantsTls) {
    const settings: TlsSettings = {};
    if (env.TEMPORAL_TLS_SERVER_NAME) settings.serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME;
    if (env.TEMPORAL_TLS_CA) settings.serverRootCACertificate = readFileSync(env.TEMPORAL_TLS_CA);
    if (cert && key) settings.clientCertPair = { crt: readFileSync(cert), key: readFileSync(key) };
    tls = Object.keys(settings).length > 0 ? settings : true;
  }
  return { address, namespace: temporalNamespace(env), tls, apiKey: env.TEMPORAL_API_KEY || undefined };
}
