/**
 * Filing a support request: the form checked, its attachments (uploaded by the same officer,
 * recognised by content) bound to it, the row and the attachments written in one transaction,
 * then the workflow started from the row. The Idempotency-Key is kept per officer: a double click
 * or a retry after a lost answer gives the same request, and a retry after the engine was down
 * starts the workflow the first attempt could not.
 */
import { randomBytes } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import { formatLocalDate } from '../../domain/calendar';
import { SUPPORT_ATTACHMENT_TYPES } from '../../infra/supportAttachmentContent';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { SUPPORT_ERRORS, SUPPORT_WORKFLOW_TYPE, supportViewQuery, supportWorkflowId } from '../../workflows/supportRequest/messages';
import type { SupportForm, SupportInput, SupportView } from '../../workflows/supportRequest/types';
import type { AppContext } from '../context';
import { ApiError, forbiddenUnit } from '../errors';
import type { Principal } from '../principal';
import { runRecordUpdate, startOnce, viewOf } from '../workflowRecords';

const SUPPORT_TYPES = new Set<string>(Object.values(SUPPORT_ATTACHMENT_TYPES));

export interface FilingRequest extends Omit<SupportForm, 'attachments'> {
  unitId: string;
  attachmentFileIds: string[];
}

function newCode(at: number): string {
  const day = formatLocalDate(at).slice(2).replace(/-/g, '');
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return `YC-${day}-${[...randomBytes(5)].map((b) => alphabet[b & 31]).join('')}`;
}

const fileProblem = (vi: string, en: string) => new ApiError(422, 'ATTACHMENT_NOT_USABLE', vi, en, { fields: [{ field: 'attachmentFileIds', problem: vi }] });

export async function fileSupportRequest(ctx: AppContext, p: Principal, req: FilingRequest, requestKey: string): Promise<{ code: string; replayed: boolean }> {
  const earlier: Array<{ code: string }> = await ctx.db.query('select code from support_requests where created_by = $1 and request_key = $2', [p.officerId, requestKey]);
  if (earlier[0]) {
    await startFromRow(ctx, earlier[0].code);
    return { code: earlier[0].code, replayed: true };
  }
  if (!p.scope.has(req.unitId)) throw forbiddenUnit();
  const ids = [...new Set(req.attachmentFileIds)];
  const files: Array<{ id: string; mime_type: string; bytes: string; name: string | null }> = ids.length
    ? await ctx.db.query(
        `select f.id, f.mime_type, f.bytes, coalesce(u.original_name, f.original_name) as name
           from uploaded_files f join uploaded_file_uploaders u on u.file_id = f.id and u.officer_id = $2
          where f.id = any($1::uuid[])`,
        [ids, p.officerId],
      )
    : [];
  const missing = ids.filter((id) => !files.some((f) => f.id === id));
  if (missing.length > 0) throw fileProblem('Không tìm thấy tệp đính kèm đã tải lên; hãy chọn và tải tệp lên lại.', `Attachments not found among your uploads: ${missing.join(', ')}`);
  const wrong = files.find((f) => !SUPPORT_TYPES.has(f.mime_type));
  if (wrong) throw fileProblem(`Tệp “${wrong.name ?? wrong.id}” không phải loại tệp được đính kèm.`, 'That file is not an accepted attachment type.');
  const now = ctx.clock.now();
  const code = await ctx.db.transaction(async (m) => {
    for (let attempt = 0; ; attempt++) {
      const candidate = newCode(now.getTime());
      const inserted: unknown[] = await m.query(
        `insert into support_requests (code, unit_id, service_group, service, requester_name, requester_phone, contact_name, contact_phone, feedback_email,
           notify_each_change, title, description, created_by, request_key, created_at, status, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'received', $15) on conflict do nothing returning code`,
        [
          candidate,
          req.unitId,
          req.serviceGroup,
          req.service ?? null,
          req.requesterName,
          req.requesterPhone,
          req.contactName ?? null,
          req.contactPhone ?? null,
          req.feedbackEmail,
          req.notifyEachChange,
          req.title,
          req.description,
          p.officerId,
          requestKey,
          now,
        ],
      );
      if (inserted.length === 0) {
        // The same key filed meanwhile by a parallel click: that request.
        const same: Array<{ code: string }> = await m.query('select code from support_requests where created_by = $1 and request_key = $2', [p.officerId, requestKey]);
        if (same[0]) return same[0].code;
        if (attempt > 5) throw new Error('could not draw a free support request code');
        continue;
      }
      for (const [position, id] of ids.entries()) {
        const f = files.find((x) => x.id === id)!;
        const ext = Object.entries(SUPPORT_ATTACHMENT_TYPES).find(([, type]) => type === f.mime_type)?.[0] ?? 'bin';
        await m.query('insert into support_attachments (code, file_id, name, position) values ($1, $2, $3, $4)', [candidate, id, f.name ?? `tep-dinh-kem-${position + 1}.${ext}`, position]);
      }
      return candidate;
    }
  });
  await startFromRow(ctx, code);
  return { code, replayed: false };
}

/** Starts the workflow of a filed row (again, after a lost answer: one already started is fine). */
async function startFromRow(ctx: AppContext, code: string): Promise<void> {
  const rows: Array<Record<string, string | boolean | Date | null> & { unit_id: string; created_at: Date; created_by: string }> = await ctx.db.query(
    `select r.*, u.code as unit_code, u.name as unit_name, o.full_name as filer_name from support_requests r
       join units u on u.id = r.unit_id join officers o on o.id = r.created_by where r.code = $1`,
    [code],
  );
  const r = rows[0]!;
  const attachments: Array<{ file_id: string; name: string; mime_type: string; bytes: string }> = await ctx.db.query(
    'select a.file_id, a.name, f.mime_type, f.bytes from support_attachments a join uploaded_files f on f.id = a.file_id where a.code = $1 order by a.position',
    [code],
  );
  const opt = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const form: SupportForm = {
    serviceGroup: String(r.service_group),
    ...(opt(r.service) ? { service: opt(r.service)! } : {}),
    requesterName: String(r.requester_name),
    requesterPhone: String(r.requester_phone),
    ...(opt(r.contact_name) ? { contactName: opt(r.contact_name)! } : {}),
    ...(opt(r.contact_phone) ? { contactPhone: opt(r.contact_phone)! } : {}),
    feedbackEmail: String(r.feedback_email),
    notifyEachChange: r.notify_each_change === true,
    title: String(r.title),
    description: String(r.description),
    attachments: attachments.map((a) => ({ fileId: a.file_id, name: a.name, mimeType: a.mime_type, bytes: Number(a.bytes) })),
  };
  const input: SupportInput = {
    code,
    unit: { id: r.unit_id, code: String(r.unit_code), name: String(r.unit_name) },
    calendar: await loadUnitCalendar(ctx.db, r.unit_id),
    form,
    filedBy: { officerId: r.created_by, fullName: String(r.filer_name) },
    filedAt: r.created_at.toISOString(),
  };
  await startOnce(ctx, SUPPORT_WORKFLOW_TYPE, supportWorkflowId(code), input, `support request ${code}`);
}

export const supportNotFound = (code: string) => new ApiError(404, 'SUPPORT_REQUEST_NOT_FOUND', `Không tìm thấy yêu cầu hỗ trợ ${code}.`, `Support request ${code} not found.`);

/** The request as its workflow holds it, else as last projected. */
export function loadSupport(ctx: AppContext, code: string): Promise<SupportView | undefined> {
  return viewOf(ctx, supportWorkflowId(code), supportViewQuery, `support request ${code}`, async () => {
    const rows: Array<{ view: SupportView | null }> = await ctx.db.query('select view from support_requests where code = $1', [code]);
    return rows[0]?.view ?? undefined;
  });
}

export function runSupportUpdate<I>(ctx: AppContext, code: string, update: UpdateDefinition<SupportView, [I]>, input: I): Promise<SupportView> {
  const closed = () => new ApiError(409, 'SUPPORT_REQUEST_CLOSED', `Yêu cầu ${code} đã kết thúc.`, `Request ${code} has ended.`);
  return runRecordUpdate(ctx, supportWorkflowId(code), update, input, SUPPORT_ERRORS, closed, `support request ${code}`);
}
