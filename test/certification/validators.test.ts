/**
 * What officers are refused, and how: update validators check the right, the unit, the state and
 * the input, answer a stable code with a Vietnamese-first message, and leave no trace in the
 * workflow history. Idempotency keys answer the first result; a key cannot be reused for another
 * action. A scan whose content does not match what was declared fails the accepted update.
 */
import { expect } from 'chai';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  attachScanUpdate,
  CASE_ERRORS,
  extendUpdate,
  returnToOfficerUpdate,
  sealUpdate,
  signUpdate,
  submitUpdate,
  withdrawUpdate,
} from '../../workflows/certification/messages';
import type { CaseErrorDetails } from '../../workflows/certification/messages';
import { certificationWorkflowId } from '../../workflows/certification/messages';
import type { certification } from '../../workflows/certification';
import { acceptedUpdates, actor, CALENDAR, failureOf, key, receiveCase, startWorld, upload, type World } from './world';
import { uniqueId } from '../engine/harness';

describe('certification workflow: validators, idempotency and failures', function () {
  this.timeout(120_000);
  let world: World;

  before(async () => {
    world = await startWorld();
  });
  after(async () => world?.close());

  it('refuses the wrong right, the wrong unit, the wrong state and bad input with stable codes, and records none of it', async () => {
    const { receiver, leader, sealer, outsider } = world.officers;
    const c = await receiveCase(world, '2026-12-01 09:00');

    const wrongRight = await failureOf(c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(leader), idempotencyKey: key() }] }));
    expect(wrongRight.type).to.equal('RIGHT_REQUIRED');
    expect(wrongRight.message).to.equal('Cần quyền "Tạo bản sao chứng thực" (CERT_CREATE) để thực hiện thao tác này / This action needs the right CERT_CREATE');
    expect((wrongRight.details?.[0] as CaseErrorDetails).vi).to.match(/^Cần quyền/);

    const wrongUnit = await failureOf(c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(outsider), idempotencyKey: key(), scan: await upload(world) }] }));
    expect(wrongUnit.type).to.equal('UNIT_OUT_OF_SCOPE');
    expect(wrongUnit.message).to.match(/^Hồ sơ HS-.* thuộc UBND xã Nùng Năng, ngoài phạm vi đơn vị được giao của cán bộ \/ Case/);

    const wrongState = await failureOf(c.handle.executeUpdate(sealUpdate, { args: [{ actor: actor(sealer), idempotencyKey: key() }] }));
    expect(wrongState.type).to.equal('WRONG_STATE');
    expect(wrongState.message).to.match(/^Không thể cấp số và đóng dấu: hồ sơ .* đang tiếp nhận, chờ trình ký \(bước 2\) \/ Cannot number and seal/);
    const notSigning = await failureOf(c.handle.executeUpdate(returnToOfficerUpdate, { args: [{ actor: actor(leader), idempotencyKey: key(), reason: 'Thiếu trang' }] }));
    expect(notSigning.type).to.equal('WRONG_STATE');

    const noScan = await failureOf(c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] }));
    expect(noScan.type).to.equal('SCAN_REQUIRED');

    const badDays = await failureOf(c.handle.executeUpdate(extendUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), workingDays: 0, reason: 'Nhiều trang cần đối chiếu' }] }));
    expect(badDays.type).to.equal('INVALID_INPUT');
    expect(badDays.details?.[0]).to.include({ code: 'INVALID_INPUT', field: 'workingDays' });
    const badScan = await failureOf(
      c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: { ...(await upload(world)), mimeType: 'image/gif' as never } }] }),
    );
    expect(badScan.type).to.equal('INVALID_INPUT');
    expect(badScan.message).to.include('scan.mimeType: chỉ nhận tệp PDF, JPEG hoặc PNG');
    const noReason = await failureOf(c.handle.executeUpdate(withdrawUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), reason: ' ' }] }));
    expect(noReason.details?.[0]).to.include({ code: 'INVALID_INPUT', field: 'reason' });

    for (const f of [wrongRight, wrongUnit, wrongState, noScan, badDays]) {
      expect(Object.keys(CASE_ERRORS)).to.include(f.type);
      expect(f.message).to.include(' / ');
    }
    expect(await acceptedUpdates(c.handle)).to.equal(0);
    const v = await c.view();
    expect(v).to.include({ status: 'receiving', version: 1 });
    expect(v.steps).to.have.length(1);
  });

  it('refuses a signature whose delegation is malformed (no form KT or TUQ, no delegating leader) and records nothing', async () => {
    const { receiver, leader } = world.officers;
    const c = await receiveCase(world, '2026-12-01 09:02');
    await c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: await upload(world) }] });
    await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key() }] });
    const before = await acceptedUpdates(c.handle);
    const delegation = { delegationId: 'd-1', delegatedBy: { officerId: leader.id, fullName: leader.fullName }, form: 'KT' as const, headTitle: 'Chủ tịch', signerTitle: 'Phó Chủ tịch' };
    for (const bad of [{ ...delegation, form: 'KY' as never }, { ...delegation, delegatedBy: undefined as never }, { ...delegation, headTitle: ' ' }]) {
      const refused = await failureOf(c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key(), delegation: bad }] }));
      expect(refused.type).to.equal('INVALID_INPUT');
      expect(refused.details?.[0]).to.include({ code: 'INVALID_INPUT', field: 'delegation' });
    }
    expect(await acceptedUpdates(c.handle)).to.equal(before);
    const signed = await c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key(), delegation }] });
    expect(signed.signature!.delegation).to.deep.equal(delegation);
  });

  it('answers a repeated idempotency key with the first result, and refuses the key for another action', async () => {
    const { receiver, leader } = world.officers;
    const c = await receiveCase(world, '2026-12-01 09:05');
    const attachKey = key();
    const scan = await upload(world);
    const [a, b] = await Promise.all([
      c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: attachKey, scan }] }),
      c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: attachKey, scan }] }),
    ]);
    expect(b).to.deep.equal(a);
    const submitKey = key();
    const submitted = await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: submitKey }] });
    // After the leader signed, the same click comes in late: still the first answer, no second sign step.
    await c.handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: key() }] });
    expect(await c.handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: submitKey }] })).to.deep.equal(submitted);
    const reused = await failureOf(c.handle.executeUpdate(withdrawUpdate, { args: [{ actor: actor(receiver), idempotencyKey: submitKey, reason: 'Công dân rút hồ sơ' }] }));
    expect(reused.type).to.equal('IDEMPOTENCY_KEY_REUSED');
    const v = await c.view();
    expect(v.status).to.equal('sealing');
    expect(v.steps.map((s) => s.step)).to.deep.equal(['receive', 'sign', 'seal']);
    const events: Array<{ kind: string }> = await world.database.db.query('select kind from certification_case_events where case_code = $1 order by seq', [c.caseCode]);
    expect(events.map((e) => e.kind)).to.deep.equal(['received', 'scan.attached', 'submitted', 'signed']);
  });

  it('fails an accepted attach when the stored file is not what was declared, and the case stays as it was', async () => {
    const { receiver } = world.officers;
    const c = await receiveCase(world, '2026-12-01 09:10');
    const stored = await upload(world);
    const asPng = await failureOf(c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: { ...stored, mimeType: 'image/png' } }] }));
    expect(asPng.type).to.equal('SCAN_MISMATCH');
    expect(asPng.message).to.match(/^Tệp bản quét không khớp/);
    const otherHash = await failureOf(
      c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: { ...stored, sha256: 'ab'.repeat(32) } }] }),
    );
    expect(otherHash.type).to.equal('SCAN_MISMATCH');
    const missing = await failureOf(
      c.handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: key(), scan: { ...stored, fileId: '00000000-0000-4000-8000-000000000000' } }] }),
    );
    expect(missing.type).to.equal('SCAN_NOT_FOUND');
    const v = await c.view();
    expect(v.scan).to.equal(undefined);
    expect(v.version).to.equal(1);
    // Accepted then failed: these are in the history, unlike validator refusals.
    expect(await acceptedUpdates(c.handle)).to.equal(3);
  });

  it('does not start a case whose reception data is wrong', async () => {
    const caseCode = `HS-${uniqueId('bad').slice(4)}`;
    const err = await world.env.client.workflow
      .execute<typeof certification>('certification', {
        args: [
          {
            caseCode,
            unit: { id: world.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
            calendar: CALENDAR,
            receivedBy: { officerId: world.officers.receiver.id, fullName: world.officers.receiver.fullName },
            citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1991-05-12' },
            documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã', pages: 2, copies: 1 }],
            complex: false,
          },
        ],
        taskQueue: world.taskQueue,
        workflowId: certificationWorkflowId(caseCode),
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).to.equal('INVALID_INPUT');
    expect((cause.details?.[0] as CaseErrorDetails).field).to.equal('citizen.birthDate');
  });
});
