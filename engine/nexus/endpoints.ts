/**
 * The Nexus endpoint registry (OperatorService Create/Get/List/Update/DeleteNexusEndpoint).
 * An endpoint routes operations by name to a worker task queue in a namespace of this engine.
 * Changes are written to the store before they are visible, one at a time.
 */
import { randomUUID } from 'node:crypto';
import { EngineError, GrpcStatus, invalidArgument, namespaceNotFound, notFound } from '../errors';
import type { Namespaces } from '../namespaces';
import { encodeMessage, msTimestamp, root, temporal, type Payload, type Plain } from '../proto';
import { decodePageToken, encodePageToken } from '../tokens';
import type { NexusEndpointRecord, NexusEndpointStore } from './endpointRecord';

type EndpointSpec = Plain<temporal.api.nexus.v1.EndpointSpec.$Properties>;
export type EndpointMessage = Plain<temporal.api.nexus.v1.Endpoint.$Properties>;

/** The real server's rule: a letter first, then letters, digits and dashes, not ending in a dash. */
const NAME = /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/;
const MAX_NAME_LENGTH = 200;
const DEFAULT_PAGE_SIZE = 100;

export class NexusEndpoints {
  private readonly byId = new Map<string, NexusEndpointRecord>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: NexusEndpointStore,
    private readonly namespaces: Namespaces,
  ) {}

  async load(): Promise<void> {
    for (const record of await this.store.listNexusEndpoints()) this.byId.set(record.id, record);
  }

  byName(name: string): NexusEndpointRecord | undefined {
    for (const e of this.byId.values()) if (e.name === name) return e;
    return undefined;
  }

  get(id: string | null | undefined): NexusEndpointRecord {
    if (!id) throw invalidArgument('Endpoint ID is not set on request.');
    const e = this.byId.get(id);
    if (!e) throw notFound(`could not find Nexus endpoint with ID: ${id}`);
    return e;
  }

  list(pageSize: number, pageToken: Uint8Array | null | undefined, name: string | null | undefined): { endpoints: NexusEndpointRecord[]; nextPageToken?: Buffer } {
    const all = [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
    if (name) return { endpoints: all.filter((e) => e.name === name) };
    const after = decodePageToken<{ after: string }>(pageToken)?.after;
    const rest = after ? all.filter((e) => e.id > after) : all;
    const size = pageSize > 0 ? pageSize : DEFAULT_PAGE_SIZE;
    const page = rest.slice(0, size);
    return { endpoints: page, nextPageToken: rest.length > size ? encodePageToken({ after: page[page.length - 1].id }) : undefined };
  }

  create(spec: EndpointSpec | null | undefined, now: number): Promise<NexusEndpointRecord> {
    return this.serialized(async () => {
      const checked = this.validate(spec);
      if (this.byName(checked.name)) throw new EngineError(GrpcStatus.ALREADY_EXISTS, `error creating Nexus endpoint: endpoint with name ${checked.name} already registered`);
      const record: NexusEndpointRecord = { id: randomUUID(), version: 1, ...checked, createdAt: now, lastModifiedAt: now };
      await this.store.saveNexusEndpoint(record);
      this.byId.set(record.id, record);
      return record;
    });
  }

  update(id: string | null | undefined, version: number, spec: EndpointSpec | null | undefined, now: number): Promise<NexusEndpointRecord> {
    return this.serialized(async () => {
      const current = this.get(id);
      if (current.version !== version) {
        throw new EngineError(GrpcStatus.FAILED_PRECONDITION, `nexus endpoint version mismatch: expected ${current.version}, got ${version}`);
      }
      const checked = this.validate(spec);
      const clash = this.byName(checked.name);
      if (clash && clash.id !== current.id) throw new EngineError(GrpcStatus.ALREADY_EXISTS, `error updating Nexus endpoint: endpoint with name ${checked.name} already registered`);
      const record: NexusEndpointRecord = { ...current, ...checked, version: current.version + 1, lastModifiedAt: now };
      if (!checked.descriptionB64) delete record.descriptionB64;
      await this.store.saveNexusEndpoint(record);
      this.byId.set(record.id, record);
      return record;
    });
  }

  delete(id: string | null | undefined): Promise<void> {
    return this.serialized(async () => {
      const current = this.get(id);
      await this.store.deleteNexusEndpoint(current.id);
      this.byId.delete(current.id);
    });
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private validate(spec: EndpointSpec | null | undefined): Pick<NexusEndpointRecord, 'name' | 'descriptionB64' | 'target'> {
    if (!spec) throw invalidArgument('Endpoint spec is not set on request.');
    const name = spec.name ?? '';
    if (!name) throw invalidArgument('Endpoint name is not set on request.');
    if (name.length > MAX_NAME_LENGTH) throw invalidArgument(`Endpoint name exceeds length limit of ${MAX_NAME_LENGTH}.`);
    if (!NAME.test(name)) throw invalidArgument(`Endpoint name must match ${NAME.source}.`);
    if (spec.target?.external) {
      throw invalidArgument('External Nexus endpoint targets are not supported by the embedded engine: target a worker task queue in one of its namespaces.');
    }
    const worker = spec.target?.worker;
    if (!worker) throw invalidArgument('Endpoint target is not set on request.');
    if (!worker.namespace) throw invalidArgument('Endpoint target namespace is not set on request.');
    if (!worker.taskQueue) throw invalidArgument('Endpoint target task queue is not set on request.');
    if (!this.namespaces.find(worker.namespace)) throw namespaceNotFound(worker.namespace);
    const description = spec.description ? Buffer.from(encodeMessage('temporal.api.common.v1.Payload', spec.description)).toString('base64') : undefined;
    return { name, descriptionB64: description, target: { namespace: worker.namespace, taskQueue: worker.taskQueue } };
  }
}

const PAYLOAD = root.lookupType('temporal.api.common.v1.Payload');

export function endpointMessage(e: NexusEndpointRecord): EndpointMessage {
  const description = e.descriptionB64 ? (PAYLOAD.toObject(PAYLOAD.decode(Buffer.from(e.descriptionB64, 'base64'))) as Payload) : null;
  return {
    version: e.version,
    id: e.id,
    spec: { name: e.name, description, target: { worker: { namespace: e.target.namespace, taskQueue: e.target.taskQueue } } },
    createdTime: msTimestamp(e.createdAt),
    lastModifiedTime: msTimestamp(e.lastModifiedAt),
    urlPrefix: `/nexus/endpoints/${encodeURIComponent(e.id)}/services`,
  };
}
