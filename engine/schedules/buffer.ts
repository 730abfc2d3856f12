/**
 * What to do with buffered starts given whether a workflow the schedule started is still
 * running, per overlap policy (the Temporal server's ProcessBuffer rules).
 */
import { Overlap, type BufferedStart } from './record';

export interface BufferDecision {
  /** The one start that takes the schedule's "running" slot. */
  nonOverlapping?: BufferedStart;
  /** ALLOW_ALL starts, run alongside whatever is running. */
  overlapping: BufferedStart[];
  newBuffer: BufferedStart[];
  overlapSkipped: number;
  needCancel: boolean;
  needTerminate: boolean;
}

export function processBuffer(buffer: BufferedStart[], running: boolean, resolve: (policy: number) => number): BufferDecision {
  const out: BufferDecision = { overlapping: [], newBuffer: [], overlapSkipped: 0, needCancel: false, needTerminate: false };
  for (const start of buffer) {
    const policy = resolve(start.overlapPolicy);
    if (policy === Overlap.AllowAll) {
      out.overlapping.push(start);
      continue;
    }
    if (!running && !out.nonOverlapping) {
      out.nonOverlapping = start;
      continue;
    }
    switch (policy) {
      case Overlap.BufferOne:
        // Only the first overlapping start waits; later ones are skipped.
        if (out.newBuffer.length === 0) out.newBuffer.push(start);
        else out.overlapSkipped++;
        break;
      case Overlap.BufferAll:
        out.newBuffer.push(start);
        break;
      case Overlap.CancelOther:
      case Overlap.TerminateOther:
        if (running) {
          // It waits in the buffer until the running one has closed.
          if (policy === Overlap.CancelOther) out.needCancel = true;
          else out.needTerminate = true;
          out.newBuffer.push(start);
        } else {
          // Nothing runs yet: it replaces the start chosen a moment ago.
          out.nonOverlapping = start;
        }
        break;
      default:
        out.overlapSkipped++;
    }
  }
  // Overlapping starts would be cancelled or terminated right away with the others.
  if (out.needCancel || out.needTerminate) out.overlapping = [];
  return out;
}
