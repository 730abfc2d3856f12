/**
 * A standalone activity execution (StartActivityExecution): an activity with its own id and run
 * id, scheduled by a client rather than a workflow. Plain JSON, persisted whole on every change.
 */
import type { Failure, Header, Payloads, Priority, SearchAttributes, UserMetadata } from '../proto';
import type { ActivityState } from '../state';

export type StandaloneStatus = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'TimedOut';

export interface StandaloneActivityRecord {
  /** Incremented by every change; describe's long-poll token. */
  version: number;
  namespace: string;
  runId: string;
  requestId: string;
  identity: string;
  status: StandaloneStatus;
  /** When the client asked; attempts are offered from `executionTime` (after the start delay). */
  scheduleTime: number;
  executionTime: number;
  closeTime?: number;
  input?: Payloads | null;
  header?: Header | null;
  userMetadata?: UserMetadata | null;
  priority?: Priority | null;
  searchAttributes?: SearchAttributes | null;
  /** The attempt machinery shared with workflow activities (`scheduledEventId` is unused: 0). */
  activity: ActivityState;
  canceledReason?: string;
  outcome?: { result?: Payloads | null; failure?: Failure | null; retryState?: number };
}

export interface StandaloneActivityStore {
  /** Every standalone activity run, open and closed. */
  loadStandaloneActivities(): Promise<StandaloneActivityRecord[]>;
  saveStandaloneActivity(record: StandaloneActivityRecord): Promise<void>;
  deleteStandaloneActivity(namespace: string, activityId: string, runId: string): Promise<void>;
}
