/**
 * The desk's account requests (seed 000 part B): the officer starts one with the citizen's data,
 * the one-stop unit and the ID scan; each request is a workflow (workflows/citizenAccount.ts)
 * driven here by updates. The typed code is turned into its keyed digest before it reaches the
 * workflow, so neither the history nor the audit trail holds it.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { formatLocalDate } from '../../domain/calendar';
import { ID_SCAN_MAX_BYTES, ID_SCAN_TYPES } from '../../infra/idScanContent';
import { formatSize } from '../../infra/fileContent';
import { resolveInFiles } from '../../activities/certification/files';
import type { citizenAccount } from '../../workflows/citizenAccount';
import {
  ACCOUNT_REQUEST_ERRORS,
  accountRequestQuery,
  cancelRequestUpdate,
  CITIZEN_ACCOUNT_WORKFLOW_TYPE,
  citizenAccountWorkflowId,
  confirmOtpUpdate,
  sendOtpUpdate,
} from '../../workflows/citizenAccount/messages';
import type { AccountRequestInput, AccountRequestView, IdScanRef } from '../../workflows/citizenAccount/types';
import { oneStopCause, oneStopUnitsAmong, selfOneStopError } from '../admin/oneStopRule';
import { officerUnits } from '../admin/access';
import { engineOf, updateErrorOf, workflowKey } from '../cases/engine';
import type { AppContext } from '../context';
import { ApiError, fieldProblem, notFound, parseInput } from '../errors';
import { canSeeFile, filesOf } from '../files/store';
import type { Principal } from '../principal';
import type { Call, Reply } from '../route';
import { existingAccountOf } from './accountList';
import { CancelBody, ConfirmBody, RequestParams, requestBody } from './inputs';

type RequestHandle = WorkflowHandle<typeof citizenAccount>;

function otpCodesOf(ctx: AppContext) {
  if (!ctx.otpCodes) throw new Error('the API was started without OTP codes (OTP_SECRET or PKI_MASTER_KEY)');
  return ctx.otpCodes;
}

/** The unit the officer works at: one of his own one-stop units, or why he cannot choose it. */
async function oneStopUnitOf(ctx: AppContext, p: Principal, unitId: string): Promise<{ id: string; code: string; name: string }> {
  const units = await officerUnits(ctx.db, p.officerId);
  const cause = oneStopCause(units);
  if (cause) throw selfOneStopError(cause);
  const unit = oneStopUnitsAmong(units).find((u) => u.id === unitId);
  if (!unit) {
    throw new ApiError(
      422,
      'UNIT_NOT_ONE_STOP',
      'Đơn vị đã chọn không phải Bộ phận Một cửa nơi anh/chị công tác: chọn một trong các đơn vị Một cửa của mình.',
      'The unit is not one of your one-stop units.',
      { fields: [fieldProblem('unitId', 'không phải Bộ phận Một cửa của công chức', 'not one of your one-stop units')] },
    );
  }
  return { id: unit.id, code: unit.code, name: unit.name };
}

async function idScanOf(ctx: AppContext, p: Principal, fileId: string): Promise<IdScanRef> {
  const info = await filesOf(ctx).info(fileId);
  const field = 'idScanFileId';
  if (!info || !(await canSeeFile(ctx, p, fileId))) {
    throw new ApiError(422, 'FILE_NOT_FOUND', 'Không tìm thấy tệp quét CCCD/CMND đã tải lên: hãy chọn và tải tệp lên lại.', `File ${fileId} not found among your uploads (POST /api/citizen-accounts/id-scans).`, {
      fields: [fieldProblem(field, 'không tìm thấy tệp đã tải lên', 'no such uploaded file')],
    });
  }
  if (!(ID_SCAN_TYPES as readonly string[]).includes(info.mimeType) || info.bytes > ID_SCAN_MAX_BYTES) {
    throw new ApiError(
      422,
      'ID_SCAN_UNSUITABLE',
      `Tệp quét CCCD/CMND phải là 1 tệp doc, docx hoặc pdf gồm 2 mặt, dung lượng không quá ${formatSize(ID_SCAN_MAX_BYTES)}; tệp này là ${info.mimeType}, ${formatSize(info.bytes)}.`,
      'The ID scan must be one doc, docx or pdf file of at most 5 MB.',
      { fields: [fieldProblem(field, 'phải là doc, docx hoặc pdf ≤ 5 MB', 'must be doc, docx or pdf ≤ 5 MB')] },
    );
  }
  return { fileId: info.fileId, sha256: info.sha256, mimeType: info.mimeType, bytes: info.bytes, originalName: info.originalName };
}

/** "TK-261123-4F9A0C": the date helps the desk find it again, the rest keeps it unguessable. */
function newRequestId(now: Date): string {
  return `TK-${formatLocalDate(now.getTime()).slice(2).replace(/-/g, '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** What the officer sees: the request and where to download its form. */
function present(view: AccountRequestView) {
  const { form, ...rest } = view;
  return { ...rest, form: form ? { url: `/api/citizen-accounts/requests/${view.requestId}/form`, sha256: form.sha256 } : null };
}

export async function startAccountRequest(call: Call): Promise<Reply> {
  const { ctx, req } = call;
  const p = call.principal!;
  const now = ctx.clock.now();
  const body = parseInput(requestBody(formatLocalDate(now.getTime())), req.body);
  const unit = await oneStopUnitOf(ctx, p, body.unitId);
  const idScan = await idScanOf(ctx, p, body.idScanFileId);
  const c = body.citizen;
  call.audit.unitId = unit.id;
  const existing = await existingAccountOf(ctx, c.citizenId);
  if (existing) throw accountExists(c.citizenId, existing);
  const officer: Array<{ phone: string | null }> = await ctx.db.query('select phone from officers where id = $1', [p.officerId]);
  const requestId = newRequestId(now);
  const input: AccountRequestInput = {
    requestId,
    // requestBody requires the phone; its type cannot say so through the shared citizen schema.
    citizen: { idNumber: c.citizenId, fullName: c.fullName, birthDate: c.birthDate, phone: c.phone as string, email: c.email ?? null },
    unit,
    officer: { officerId: p.officerId, fullName: p.fullName, phone: officer[0]?.phone ?? null },
    idScan,
    ...(ctx.accountRequestRules ? { rules: ctx.accountRequestRules } : {}),
  };
  const { client, taskQueue } = engineOf(ctx);
  const handle: RequestHandle = await client.workflow.start<typeof citizenAccount>(CITIZEN_ACCOUNT_WORKFLOW_TYPE, {
    args: [input],
    taskQueue,
    workflowId: citizenAccountWorkflowId(requestId),
  });
  call.audit.target = `account-request:${requestId}`;
  call.audit.details = { idNumber: c.citizenId, fileId: idScan.fileId };
  const view = await preparedView(handle);
  if (view.status === 'account_exists') throw accountExists(c.citizenId, view.existingAccount);
  return { status: 201, body: present(view) };
}

function accountExists(idNumber: string, existing: { createdAt: string; unitName: string | null } | null): ApiError {
  const where = existing?.unitName ? ` tại ${existing.unitName}` : '';
  const when = existing ? ` ngày ${formatLocalDate(Date.parse(existing.createdAt)).split('-').reverse().join('/')}` : '';
  return new ApiError(
    409,
    'ACCOUNT_EXISTS',
    `Công dân có số CCCD/CMND ${idNumber} đã có tài khoản (tạo${when}${where}): thông báo cho công dân và không tạo mới. Nếu công dân quên mật khẩu, hướng dẫn chọn “Quên mật khẩu”.`,
    `An account already exists for ID number ${idNumber}; none is created.`,
    { existing },
  );
}

/** The request once its first step is done (the lookup and the form take a moment). */
async function preparedView(handle: RequestHandle): Promise<AccountRequestView> {
  let view = await handle.query(accountRequestQuery);
  for (let i = 0; view.status === 'preparing' && i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    view = await handle.query(accountRequestQuery);
  }
  return view;
}

/** The request if the officer may see it (a unit of his scope); 404 otherwise, as if missing. */
async function visibleRequest(call: Call): Promise<{ handle: RequestHandle; view: AccountRequestView }> {
  const { id } = parseInput(RequestParams, call.req.params);
  call.audit.target = `account-request:${id}`;
  const handle: RequestHandle = engineOf(call.ctx).client.workflow.getHandle(citizenAccountWorkflowId(id));
  const view = await handle.query(accountRequestQuery).catch(async (err: unknown) => {
    if (err instanceof WorkflowNotFoundError) throw requestNotFound();
    // A closed request answers with its final view.
    return handle.result();
  });
  if (!call.principal!.scope.has(view.unit.id)) throw requestNotFound();
  call.audit.unitId = view.unit.id;
  return { handle, view };
}

const requestNotFound = () => notFound('yêu cầu tạo tài khoản', 'Account request');

export async function readAccountRequest(call: Call): Promise<Reply> {
  return { body: present((await visibleRequest(call)).view) };
}

export async function downloadRequestForm(call: Call): Promise<Reply> {
  const { view } = await visibleRequest(call);
  if (!view.form) throw new ApiError(409, 'FORM_NOT_READY', 'Giấy đề nghị chưa sẵn sàng, vui lòng thử lại sau giây lát.', 'The request form is not ready yet.');
  return {
    stream: { contentType: 'application/pdf', filename: `giay-de-nghi-tao-tai-khoan-${view.requestId}.pdf`, path: resolveInFiles(filesOf(call.ctx).config.dir, view.form.path), inline: true },
    headers: { 'Cache-Control': 'private, no-store' },
  };
}

async function runUpdate(call: Call, action: (h: RequestHandle, updateId: string | undefined) => Promise<AccountRequestView>): Promise<Reply> {
  const { handle, view } = await visibleRequest(call);
  const updateId = call.idempotencyKey ? workflowKey(call.principal!, call.idempotencyKey, `:${call.req.path}`) : undefined;
  try {
    return { body: present(await action(handle, updateId)) };
  } catch (err) {
    const known = updateErrorOf(err, ACCOUNT_REQUEST_ERRORS);
    if (known) throw known;
    if (err instanceof WorkflowNotFoundError) {
      const final = await handle.result().catch(() => view);
      throw new ApiError(409, 'WRONG_STATE', `Yêu cầu ${final.requestId} đã kết thúc${final.endReason ? `: ${final.endReason.vi}` : ''}`, `Request ${final.requestId} has ended.`, { status: final.status });
    }
    throw err;
  }
}

const actor = (p: Principal) => ({ officerId: p.officerId, fullName: p.fullName });

export function sendOtp(call: Call): Promise<Reply> {
  return runUpdate(call, (h, updateId) => h.executeUpdate(sendOtpUpdate, { args: [actor(call.principal!)], ...(updateId ? { updateId } : {}) }));
}

export function confirmOtp(call: Call): Promise<Reply> {
  const { otp } = parseInput(ConfirmBody, call.req.body);
  const { id } = parseInput(RequestParams, call.req.params);
  const codeDigest = otpCodesOf(call.ctx).digest(id, otp);
  return runUpdate(call, (h, updateId) => h.executeUpdate(confirmOtpUpdate, { args: [{ ...actor(call.principal!), codeDigest }], ...(updateId ? { updateId } : {}) }));
}

export function cancelRequest(call: Call): Promise<Reply> {
  const { reason } = parseInput(CancelBody, call.req.body);
  call.audit.details = { reason };
  return runUpdate(call, (h, updateId) => h.executeUpdate(cancelRequestUpdate, { args: [{ ...actor(call.principal!), reason }], ...(updateId ? { updateId } : {}) }));
}
