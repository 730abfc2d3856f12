import { temporal } from '@temporalio/proto';
import { EventType, msTimestamp, type HistoryEvent, type Payloads, type Failure } from './proto';
import type { ExecutionState } from './state';

type AttrKey = Extract<keyof HistoryEvent, `${string}EventAttributes`>;

/** workflowTaskStartedEventAttributes → EVENT_TYPE_WORKFLOW_TASK_STARTED, computed once from the proto. */
const EVENT_TYPE_BY_KEY = new Map<string, EventType>();
for (const [name, value] of Object.entries(temporal.api.enums.v1.EventType)) {
  if (typeof value !== 'number' || name === 'EVENT_TYPE_UNSPECIFIED') continue;
  const camel = name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  EVENT_TYPE_BY_KEY.set(`${camel}EventAttributes`, value as EventType);
}

const WORKFLOW_TASK_EVENTS = new Set<EventType>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

const HISTORY_EVENT = temporal.api.history.v1.HistoryEvent;

export interface UpdateWaiter {
  stage: number;
  resolve(): void;
}

/** An update the engine knows about but has not yet seen accepted in history. */
export interface UpdateEntry {
  updateId: string;
  request: object;
  phase: 'admitted' | 'sent' | 'accepted' | 'completed' | 'rejected' | 'aborted';
  acceptedEventId?: number;
  outcome?: { success?: Payloads | null; failure?: Failure | null };
  waiters: UpdateWaiter[];
  /** Scheduled event id of the workflow task that carried the request. */
  sentWith?: number;
  /** Set when continue-as-new or a retry carried the update to the next run. */
  movedTo?: Execution;
}

export interface QueryEntry {
  queryId: string;
  query: object;
  phase: 'buffered' | 'dispatched';
  sentWith?: number;
  resolve(result: { answer?: Payloads | null; failure?: { message: string; failure?: Failure | null } }): void;
}

/** One workflow run as the engine holds it in memory: persisted state, its history, and transient waiters. */
export class Execution {
  readonly updates = new Map<string, UpdateEntry>();
  readonly queries = new Map<string, QueryEntry>();
  readonly historyWaiters = new Set<() => void>();
  lastAccess = Date.now();
  /** What the store's visibility row was last written from; see `visibilityFingerprint`. */
  visibilityWrittenFrom?: string;

  constructor(
    public state: ExecutionState,
    public events: HistoryEvent[],
  ) {}

  get namespace(): string {
    return this.state.namespace;
  }
  get workflowId(): string {
    return this.state.workflowId;
  }
  get runId(): string {
    return this.state.runId;
  }

  event(eventId: number): HistoryEvent | undefined {
    const e = this.events[eventId - 1];
    return e && e.eventId === eventId ? e : this.events.find((x) => x.eventId === eventId);
  }
}

/**
 * The changes one operation makes to one run, applied to the in-memory state immediately and
 * undone with `rollback()` if the operation or its commit fails.
 */
export class Mutation {
  readonly newEvents: HistoryEvent[] = [];
  readonly expectedVersion: number;
  private readonly saved: ExecutionState;
  private readonly savedEventCount: number;
  /** Work to do once the change is durable (resolve waiters, answer queries). */
  readonly afterCommit: Array<() => void> = [];
  stateChanged = false;

  constructor(
    readonly exec: Execution,
    readonly now: number,
    readonly isNew = false,
  ) {
    this.expectedVersion = isNew ? 0 : exec.state.version;
    this.saved = copyState(exec.state);
    this.savedEventCount = exec.events.length;
  }

  get state(): ExecutionState {
    return this.exec.state;
  }

  /** Marks a change that writes no event (a heartbeat, an activity start) so it still gets committed. */
  touch(): void {
    this.stateChanged = true;
  }

  get changed(): boolean {
    return this.stateChanged || this.newEvents.length > 0 || this.isNew;
  }

  /**
   * Appends an event. While a workflow task is in flight, events other than the task's own are
   * buffered and get their ids when the task ends, as on the real server; the returned id is then
   * a negative placeholder that `flushBuffered` rewrites wherever it was used.
   */
  add<K extends AttrKey>(key: K, attrs: NonNullable<HistoryEvent[K]>, extra: Partial<HistoryEvent> = {}): number {
    const eventType = EVENT_TYPE_BY_KEY.get(key);
    if (eventType === undefined) throw new Error(`unknown event attributes ${key}`);
    this.stateChanged = true;
    const event: HistoryEvent = { ...extra, eventType, eventTime: msTimestamp(this.now), [key]: attrs };
    const inFlight = this.state.wft?.startedEventId !== undefined;
    if (inFlight && !WORKFLOW_TASK_EVENTS.has(eventType)) {
      const placeholder = -++this.state.bufferedSeq;
      event.eventId = placeholder;
      this.state.bufferedEvents.push(event);
      return placeholder;
    }
    return this.write(event);
  }

  private write(event: HistoryEvent): number {
    const id = this.state.nextEventId++;
    event.eventId = id;
    event.taskId = id;
    this.state.historySizeBytes += HISTORY_EVENT.encode(event as never).finish().length;
    this.exec.events.push(event);
    this.newEvents.push(event);
    return id;
  }

  get hasBufferedEvents(): boolean {
    return this.state.bufferedEvents.length > 0;
  }

  /** Writes buffered events to history, replacing placeholder ids in attributes and in the run's state. */
  flushBuffered(): boolean {
    const buffered = this.state.bufferedEvents;
    if (buffered.length === 0) return false;
    this.state.bufferedEvents = [];
    const ids = new Map<number, number>();
    for (const event of buffered) {
      const placeholder = event.eventId!;
      remapAttributes(event, ids);
      event.eventTime = event.eventTime ?? msTimestamp(this.now);
      ids.set(placeholder, this.write(event));
    }
    for (const child of Object.values(this.state.children)) {
      if (child.startedEventId !== undefined && child.startedEventId < 0) child.startedEventId = ids.get(child.startedEventId);
    }
    return true;
  }

  rollback(): void {
    this.exec.state = copyState(this.saved);
    this.exec.events.length = this.savedEventCount;
    this.newEvents.length = 0;
    this.afterCommit.length = 0;
    this.stateChanged = false;
  }
}

/**
 * A deep copy of run state, taken for every operation so it can be rolled back. State is plain
 * data (objects, arrays, primitives, payload bytes); the bytes are never changed in place, so
 * they are shared rather than copied. Cheaper than `structuredClone`, which serialises the
 * whole object graph.
 */
function copyState<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(copyState) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyState((value as Record<string, unknown>)[key]);
  return out as T;
}

/** Rewrites `...EventId` fields that point at buffered events. */
function remapAttributes(event: HistoryEvent, ids: Map<number, number>): void {
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventAttributes') || !value || typeof value !== 'object') continue;
    const attrs = value as Record<string, unknown>;
    for (const [field, v] of Object.entries(attrs)) {
      if (field.endsWith('EventId') && typeof v === 'number' && v < 0 && ids.has(v)) attrs[field] = ids.get(v);
    }
  }
}
