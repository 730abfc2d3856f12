import { expect } from 'chai';
import { enums } from './proto';
import { dropsRepeatedFailure, workflowTaskAttemptTimeoutMs } from './workflowTaskAttempts';

describe('engine: workflow task attempts', () => {
  it('keeps the task timeout for three attempts, then adds 5 s doubling up to 10 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 11, 50].map((a) => workflowTaskAttemptTimeoutMs(10_000, a))).to.deep.equal([
      10_000, 10_000, 10_000, 15_000, 20_000, 30_000, 330_000, 610_000, 610_000,
    ]);
  });

  it('drops the failures of later attempts, except a completion refused for events that came in meanwhile', () => {
    const C = enums.WorkflowTaskFailedCause;
    expect(dropsRepeatedFailure({ attempt: 1 }, C.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE)).to.equal(false);
    expect(dropsRepeatedFailure({ attempt: 2 }, C.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE)).to.equal(true);
    expect(dropsRepeatedFailure({ attempt: 2 }, C.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES)).to.equal(true);
    expect(dropsRepeatedFailure({ attempt: 2 })).to.equal(true);
    expect(dropsRepeatedFailure({ attempt: 3 }, C.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND)).to.equal(false);
  });
});
