/** Replaying workflow histories against the current code: one case for an auditor, or every case closed in a period. */
export { currentWorkflowBundle } from './bundle';
export { CASE_WORKFLOW_TYPES, closedWorkflowsQuery, countClosed, listClosed, periodOf, type ClosedQuery, type Period } from './closedWorkflows';
export { replayClosedWorkflows, type BulkReplayOptions, type BulkReplaySummary, type ReplayedWorkflow } from './bulkReplay';
export { replayHistory, replayStream, type ReplayItem, type ReplayOptions, type ReplayOutcome } from './replayer';
export { divergentEventId, verdictOf, type ReplayDivergence, type ReplayVerdict } from './verdict';
