/**
 * The process's alert raiser, for code that reports a failure without holding the database —
 * e.g. the land-obligation integration: `raiseAlert({ kind: 'land-obligation', failureKey:
 * 'land-obligation:<unit>:<dossier>', unitId, title, detail, link })` when a result or receipt
 * could not be delivered to the outside system. The worker and the API install it at start-up;
 * without one (a test, a script) an alert is only logged, never thrown at the caller.
 */
import type { AlertInput, RaiseAlert, RaisedAlert } from './raiseAlert';

let installed: RaiseAlert | undefined;

export function installAlertRaiser(raise: RaiseAlert | undefined): void {
  installed = raise;
}

/** Never throws: an alert that cannot be recorded must not turn into the caller's failure. */
export async function raiseAlert(input: AlertInput): Promise<RaisedAlert | undefined> {
  if (!installed) {
    console.error(`alert (no raiser installed): ${input.kind} ${input.failureKey}: ${input.title}`);
    return undefined;
  }
  try {
    return await installed(input);
  } catch (err) {
    console.error(`alert ${input.failureKey} could not be recorded: ${String(err)}`);
    return undefined;
  }
}
