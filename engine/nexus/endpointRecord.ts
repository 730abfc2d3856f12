/** A Nexus endpoint as the engine keeps it: plain JSON, so every store can persist it as is. */
export interface NexusEndpointRecord {
  id: string;
  /** Bumped by every update; an update must name the version it read (optimistic concurrency, as on the real server). */
  version: number;
  name: string;
  /** The description payload, protobuf-encoded then base64, so the record stays JSON. */
  descriptionB64?: string;
  target: { namespace: string; taskQueue: string };
  createdAt: number;
  lastModifiedAt: number;
}

/** Where endpoints survive a restart. */
export interface NexusEndpointStore {
  listNexusEndpoints(): Promise<NexusEndpointRecord[]>;
  saveNexusEndpoint(record: NexusEndpointRecord): Promise<void>;
  deleteNexusEndpoint(id: string): Promise<void>;
}
