import { expect } from 'chai';
import { enums } from '../proto';
import { temporalLinkOf, workflowEventLink } from './links';

describe('engine nexus: links', () => {
  it('writes a workflow event link the way the SDK reads it, and reads it back', () => {
    const link = workflowEventLink('xã-1', 'hồ sơ/7', 'run-1', 5, enums.EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED);
    expect(link.type).to.equal('temporal.api.common.v1.Link.WorkflowEvent');
    expect(link.url).to.contain('eventType=NexusOperationScheduled').and.contain('eventID=5').and.contain('referenceType=EventReference');
    expect(temporalLinkOf(link)).to.deep.equal({
      workflowEvent: {
        namespace: 'xã-1',
        workflowId: 'hồ sơ/7',
        runId: 'run-1',
        eventRef: { eventId: 5, eventType: enums.EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED },
      },
    });
  });

  it('drops links it does not understand', () => {
    expect(temporalLinkOf({ url: 'https://example.test/x', type: 'temporal.api.common.v1.Link.WorkflowEvent' })).to.equal(undefined);
    expect(temporalLinkOf({ url: 'temporal:///namespaces/n/activities/a/r/details', type: 'temporal.api.common.v1.Link.Activity' })).to.equal(undefined);
    expect(temporalLinkOf({ url: 'temporal:///namespaces/n/workflows/w/r/history?referenceType=EventReference&eventType=NoSuchEvent', type: 'temporal.api.common.v1.Link.WorkflowEvent' })).to.equal(
      undefined,
    );
  });
});
