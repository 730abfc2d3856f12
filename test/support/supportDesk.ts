/** Support requests for tests: filed over REST by a requester of the commune, then moved on in the workflow as a handler would. */
import { randomUUID } from 'node:crypto';
import { askSupportUpdate, supportWorkflowId, takeSupportUpdate } from '../../workflows/supportRequest/messages';
import { call, newKey } from './caseApp';
import { createTestOfficer, sessionFor, type TestApp } from './identityApp';

const requesters = new WeakMap<TestApp, Promise<string>>();

function requesterOf(app: TestApp): Promise<string> {
  let token = requesters.get(app);
  if (!token) {
    token = (async () => sessionFor(app, await createTestOfficer(app.ctx.db, { username: `yc.${randomUUID().slice(0, 8)}`, fullName: 'Đào Mạnh Luân', rights: ['SUPPORT_MANAGE'], unitIds: [app.org.communeA] })))();
    requesters.set(app, token);
  }
  return token;
}

/**
 * A request of communeA with one text attachment; `takenBy` takes it (as a handler of the whole
 * organisation), and `waiting` has him ask the requester a question.
 */
export async function supportRequestIn(app: TestApp, options: { takenBy?: string; waiting?: boolean } = {}): Promise<{ code: string; fileId: string }> {
  const token = await requesterOf(app);
  const up = await fetch(`${app.baseUrl}/api/support/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'x-file-name': encodeURIComponent('nhat-ky-loi.txt'), 'idempotency-key': newKey() },
    body: `Lỗi 503 lúc ${randomUUID()}\n`,
  });
  const fileId = ((await up.json()) as { fileId: string }).fileId;
  const filed = await call(app, 'POST', '/api/support/requests', {
    token,
    body: {
      unitId: app.org.communeA,
      serviceGroup: 'dvcqg',
      requesterName: 'Đào Mạnh Luân',
      requesterPhone: '0912345678',
      feedbackEmail: 'phanhoi@nungnang.example.vn',
      title: 'Hỗ trợ cấu hình URL API',
      description: 'Đề nghị cấu hình API thanh toán thuế đất',
      attachmentFileIds: [fileId],
    },
  });
  if (filed.status !== 201) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`);
  const code = filed.body.code as string;
  if (options.takenBy || options.waiting) {
    const handle = app.ctx.temporal!.client.workflow.getHandle(supportWorkflowId(code));
    const units: Array<{ id: string }> = await app.ctx.db.query('select id from units');
    const actor = { officerId: options.takenBy ?? (await createTestOfficer(app.ctx.db, { username: `ht.${randomUUID().slice(0, 8)}` })), fullName: 'Cán bộ hỗ trợ', rights: ['SUPPORT_HANDLE'], unitIds: units.map((u) => u.id) };
    await handle.executeUpdate(takeSupportUpdate, { args: [{ actor, idempotencyKey: randomUUID(), text: '' }] });
    if (options.waiting) await handle.executeUpdate(askSupportUpdate, { args: [{ actor, idempotencyKey: randomUUID(), text: 'Đơn vị gửi giúp URL API?' }] });
  }
  return { code, fileId };
}
