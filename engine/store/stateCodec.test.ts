import { expect } from 'chai';
import { decodeState, encodeState } from './stateCodec';
import type { ExecutionState } from '../state';

describe('engine store: state codec', () => {
  it('round-trips bytes inside run state (payload data and metadata)', () => {
    const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: new Uint8Array([123, 34, 97, 34, 125]) };
    const state = { workflowId: 'w', activities: { 5: { heartbeatDetails: { payloads: [payload] } } }, bufferedEvents: [{ eventId: -1 }] } as unknown as ExecutionState;
    const back = decodeState(encodeState(state)) as unknown as { activities: Record<string, { heartbeatDetails: { payloads: Array<{ data: Uint8Array; metadata: { encoding: Uint8Array } }> } }> };
    const p = back.activities['5'].heartbeatDetails.payloads[0];
    expect(Buffer.from(p.data).toString()).to.equal('{"a"}');
    expect(Buffer.from(p.metadata.encoding).toString()).to.equal('json/plain');
  });

  it('leaves ordinary objects alone', () => {
    const state = { workflowId: 'w', memo: { fields: {} }, timers: { t: { fireAt: 5 } } } as unknown as ExecutionState;
    expect(decodeState(encodeState(state))).to.deep.equal(state);
  });
});
