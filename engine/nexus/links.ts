/**
 * Links between a Nexus caller and what its handler started, in the two forms they travel in:
 * Temporal's `Link` message (history events, RPC responses) and the Nexus `{ url, type }` form
 * (the handler's start response). Only workflow-event links are understood; others are dropped.
 */
import { enums, temporal, type Plain } from '../proto';

export type TemporalLink = Plain<temporal.api.common.v1.Link.$Properties>;
export interface NexusLink {
  url?: string | null;
  type?: string | null;
}

const WORKFLOW_EVENT_TYPE = 'temporal.api.common.v1.Link.WorkflowEvent';

/** EVENT_TYPE_WORKFLOW_EXECUTION_STARTED → WorkflowExecutionStarted, as links spell event types. */
function eventTypeName(type: number): string {
  const name = enums.EventType[type] ?? 'EVENT_TYPE_UNSPECIFIED';
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __: string, c: string) => c.toUpperCase());
}

function eventTypeValue(name: string): number | undefined {
  const constant = `EVENT_TYPE_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
  const value = (enums.EventType as unknown as Record<string, number>)[constant];
  return typeof value === 'number' ? value : undefined;
}

export function workflowEventLink(namespace: string, workflowId: string, runId: string, eventId: number, eventType: number): NexusLink {
  const e = encodeURIComponent;
  return {
    url: `temporal:///namespaces/${e(namespace)}/workflows/${e(workflowId)}/${e(runId)}/history?referenceType=EventReference&eventID=${eventId}&eventType=${eventTypeName(eventType)}`,
    type: WORKFLOW_EVENT_TYPE,
  };
}

/** The Temporal form of a Nexus workflow-event link, or undefined for anything else. */
export function temporalLinkOf(link: NexusLink): TemporalLink | undefined {
  if (link.type !== WORKFLOW_EVENT_TYPE || !link.url) return undefined;
  let url: URL;
  try {
    url = new URL(link.url);
  } catch {
    return undefined;
  }
  const parts = url.pathname.split('/');
  if (url.protocol !== 'temporal:' || parts.length !== 7 || parts[1] !== 'namespaces' || parts[3] !== 'workflows' || parts[6] !== 'history') return undefined;
  const eventType = eventTypeValue(url.searchParams.get('eventType') ?? '');
  if (url.searchParams.get('referenceType') !== 'EventReference' || eventType === undefined) return undefined;
  return {
    workflowEvent: {
      namespace: decodeURIComponent(parts[2]),
      workflowId: decodeURIComponent(parts[4]),
      runId: decodeURIComponent(parts[5]),
      eventRef: { eventId: Number(url.searchParams.get('eventID') ?? 0), eventType },
    },
  };
}

/** The link a start answers with when Nexus asked for it: the run's first event. */
export function startedEventLink(namespace: string, workflowId: string, runId: string): TemporalLink {
  return { workflowEvent: { namespace, workflowId, runId, eventRef: { eventId: 1, eventType: enums.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED } } };
}
