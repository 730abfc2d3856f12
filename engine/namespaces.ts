import { randomUUID } from 'node:crypto';
import { invalidArgument, namespaceNotFound, EngineError, GrpcStatus } from './errors';
import type { EngineStore, NamespaceRecord } from './store/store';

/** Temporal's search attribute value types, by name and by IndexedValueType number. */
export const SEARCH_ATTRIBUTE_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'] as const;
export type SearchAttributeTypeName = (typeof SEARCH_ATTRIBUTE_TYPES)[number];

export function indexedValueType(type: SearchAttributeTypeName): number {
  return SEARCH_ATTRIBUTE_TYPES.indexOf(type) + 1;
}

export function searchAttributeTypeFromIndexed(value: number): SearchAttributeTypeName | undefined {
  return SEARCH_ATTRIBUTE_TYPES[value - 1];
}

export function parseSearchAttributeType(name: string): SearchAttributeTypeName | undefined {
  return SEARCH_ATTRIBUTE_TYPES.find((t) => t.toLowerCase() === name.toLowerCase());
}

/** Attributes the server itself defines; workflows may upsert some of them (the SDK writes TemporalChangeVersion for patches). */
export const SYSTEM_SEARCH_ATTRIBUTES: Record<string, SearchAttributeTypeName> = {
  WorkflowId: 'Keyword',
  RunId: 'Keyword',
  WorkflowType: 'Keyword',
  TaskQueue: 'Keyword',
  ExecutionStatus: 'Keyword',
  StartTime: 'Datetime',
  CloseTime: 'Datetime',
  ExecutionTime: 'Datetime',
  ExecutionDuration: 'Int',
  HistoryLength: 'Int',
  HistorySizeBytes: 'Int',
  TemporalChangeVersion: 'KeywordList',
  BinaryChecksums: 'KeywordList',
  BuildIds: 'KeywordList',
  BatcherUser: 'Keyword',
  TemporalScheduledStartTime: 'Datetime',
  TemporalScheduledById: 'Keyword',
  TemporalSchedulePaused: 'Bool',
  TemporalNamespaceDivision: 'Keyword',
};

/** Upsertable system attributes (the rest are maintained by the server). */
const WORKFLOW_WRITABLE_SYSTEM = new Set(['TemporalChangeVersion', 'BinaryChecksums', 'BuildIds', 'TemporalNamespaceDivision']);

/** What `temporal server start-dev` pre-registers, so samples that use them work unchanged. */
export const DEV_SERVER_SEARCH_ATTRIBUTES: Record<string, SearchAttributeTypeName> = {
  CustomKeywordField: 'Keyword',
  CustomStringField: 'Text',
  CustomTextField: 'Text',
  CustomIntField: 'Int',
  CustomDoubleField: 'Double',
  CustomBoolField: 'Bool',
  CustomDatetimeField: 'Datetime',
};

const DEFAULT_RETENTION_MS = 24 * 3600_000;

export class Namespaces {
  private readonly byName = new Map<string, NamespaceRecord>();

  constructor(
    private readonly store: EngineStore,
    private readonly defaultSearchAttributes: Record<string, SearchAttributeTypeName>,
  ) {}

  async load(ensure: string[]): Promise<void> {
    for (const ns of await this.store.listNamespaces()) this.byName.set(ns.name, ns);
    for (const name of ensure) {
      const existing = this.byName.get(name);
      if (!existing) {
        await this.register({ name, retentionMs: DEFAULT_RETENTION_MS });
        continue;
      }
      // Attributes asked for at launch are added to a namespace that outlived a restart.
      const missing = Object.entries(this.defaultSearchAttributes).filter(([k]) => !(k in existing.searchAttributes));
      if (missing.length > 0) await this.update({ ...existing, searchAttributes: { ...existing.searchAttributes, ...Object.fromEntries(missing) } });
    }
  }

  get(name: string | null | undefined): NamespaceRecord {
    const ns = name ? this.byName.get(name) : undefined;
    if (!ns) throw namespaceNotFound(name ?? '');
    return ns;
  }

  find(name: string): NamespaceRecord | undefined {
    return this.byName.get(name);
  }

  list(): NamespaceRecord[] {
    return [...this.byName.values()];
  }

  async register(input: { name: string; retentionMs?: number; description?: string; ownerEmail?: string; data?: Record<string, string> }): Promise<NamespaceRecord> {
    if (!input.name || !/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(input.name)) {
      throw invalidArgument(`invalid namespace name "${input.name}": use 2-255 letters, digits, '.', '_' or '-'`);
    }
    if (this.byName.has(input.name)) {
      throw new EngineError(GrpcStatus.ALREADY_EXISTS, `Namespace already exists: ${input.name}`);
    }
    const ns: NamespaceRecord = {
      name: input.name,
      id: randomUUID(),
      description: input.description ?? '',
      ownerEmail: input.ownerEmail ?? '',
      retentionMs: input.retentionMs && input.retentionMs > 0 ? input.retentionMs : DEFAULT_RETENTION_MS,
      data: input.data ?? {},
      searchAttributes: { ...this.defaultSearchAttributes },
      createdAt: Date.now(),
    };
    await this.store.saveNamespace(ns);
    this.byName.set(ns.name, ns);
    return ns;
  }

  async update(ns: NamespaceRecord): Promise<void> {
    await this.store.saveNamespace(ns);
    this.byName.set(ns.name, ns);
  }

  /** Type of an attribute usable in queries: system ones, then the namespace's custom ones. */
  attributeType(ns: NamespaceRecord, name: string): SearchAttributeTypeName | undefined {
    return SYSTEM_SEARCH_ATTRIBUTES[name] ?? parseSearchAttributeType(ns.searchAttributes[name] ?? '');
  }

  /** Type of an attribute a workflow or a start request may set, or an error naming the problem. */
  writableAttributeType(ns: NamespaceRecord, name: string): SearchAttributeTypeName {
    if (SYSTEM_SEARCH_ATTRIBUTES[name]) {
      if (WORKFLOW_WRITABLE_SYSTEM.has(name)) return SYSTEM_SEARCH_ATTRIBUTES[name];
      throw invalidArgument(`search attribute ${name} is reserved by the system`);
    }
    const type = parseSearchAttributeType(ns.searchAttributes[name] ?? '');
    if (!type) throw invalidArgument(`search attribute ${name} is not defined`);
    return type;
  }

  async addSearchAttributes(namespace: string, attrs: Record<string, SearchAttributeTypeName>): Promise<void> {
    const ns = this.get(namespace);
    for (const [name, type] of Object.entries(attrs)) {
      if (SYSTEM_SEARCH_ATTRIBUTES[name]) throw invalidArgument(`search attribute ${name} is reserved by the system`);
      const existing = ns.searchAttributes[name];
      if (existing && existing !== type) {
        throw new EngineError(GrpcStatus.ALREADY_EXISTS, `search attribute ${name} already exists with type ${existing}`);
      }
    }
    await this.update({ ...ns, searchAttributes: { ...ns.searchAttributes, ...attrs } });
  }

  async removeSearchAttributes(namespace: string, names: string[]): Promise<void> {
    const ns = this.get(namespace);
    const next = { ...ns.searchAttributes };
    for (const name of names) {
      if (!(name in next)) throw invalidArgument(`search attribute ${name} is not defined`);
      delete next[name];
    }
    await this.update({ ...ns, searchAttributes: next });
  }
}
