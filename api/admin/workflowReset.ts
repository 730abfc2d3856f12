/**
 * Resetting a case's workflow: the administrator's tool after a bad deploy left a certification
 * case stuck or wrong. The case's workflow is reset to a completed workflow task (the last by
 * default); the old run is terminated with the reason, the new run replays up to that point with
 * the code deployed now, and the signals and updates received later are delivered again. Only
 * cases of the caller's units; the call is audited with the old and new run. The case's row in the
 * case list is then rewritten from the new run's view (infra/readModel/resetCaseProjection.ts).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { projectResetCase } from '../../infra/readModel/resetCaseProjection';
import { REAPPLY_CHOICES, resetWorkflow, ResetPointError, type ReapplyChoice, type ResetTarget } from '../../infra/workflowReset';
import { certificationWorkflowId } from '../../workflows/certification/messages';
import { caseNotFound, loadCase } from '../cases/caseView';
import { engineOf } from '../cases/engine';
import { CodeParams } from '../cases/inputs';
import { ApiError, parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { required } from './inputs';

const GRPC_INVALID_ARGUMENT = 3;

export const WorkflowResetBody = z.object({
  to: z
    .union([z.literal('first'), z.literal('last'), z.int().min(2)], {
      error: 'điểm đặt lại phải là "first", "last" hoặc số thứ tự sự kiện (từ 2 trở lên)',
    })
    .optional(),
  reason: z
    .string({ error: required('thiếu lý do đặt lại', 'lý do đặt lại phải là chuỗi ký tự') })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(5, { error: 'lý do đặt lại phải ghi rõ, ít nhất 5 ký tự' }).max(500, { error: 'lý do đặt lại dài tối đa 500 ký tự' })),
  reapply: z.enum(REAPPLY_CHOICES as [ReapplyChoice, ...ReapplyChoice[]], { error: 'reapply phải là all, signals hoặc none' }).optional(),
});

const badResetPoint = (message: string) =>
  new ApiError(422, 'RESET_POINT_INVALID', `Không thể đặt lại quy trình tại điểm đã chọn: ${message}`, `The workflow cannot be reset at that point: ${message}`);

export const workflowResetRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/admin/cases/:code/workflow-reset',
    access: { right: 'USER_ADMIN' },
    action: 'case.workflow-reset',
    idempotency: 'required',
    summary:
      'Resets the case’s workflow (after a bad deploy) to a completed workflow task: to = "last" (default), "first" or an event id; reapply = all (default) | signals | none — what the case received after that point is delivered again; reason is recorded on the terminated run and in the audit trail',
    output: '{caseCode, workflowId, previousRunId, runId, eventId, listRewritten: the case list shows the new run (false when it did not answer: the consistency check finds the row)}',
    input: { params: CodeParams, body: WorkflowResetBody },
    handler: async (call) => {
      const { req, ctx } = call;
      const { code } = parseInput(CodeParams, req.params);
      call.audit.target = `case:${code}`;
      const body = parseInput(WorkflowResetBody, req.body ?? {});
      const { client } = engineOf(ctx);
      // The projection answers when the workflow does not: a broken workflow is why one resets.
      const loaded = await loadCase(ctx, code, true);
      const units = call.principal!.caseUnits;
      if (!loaded || !units.has(loaded.view.unit.id)) throw caseNotFound(code);
      call.audit.unitId = loaded.view.unit.id;
      const to: ResetTarget = body.to ?? 'last';
      const reapply = body.reapply ?? 'all';
      try {
        const outcome = await resetWorkflow(client, {
          workflowId: certificationWorkflowId(code),
          to,
          reason: body.reason,
          reapply,
          requestId: call.idempotencyKey ? `case-reset:${call.principal!.officerId}:${call.idempotencyKey}` : undefined,
        });
        const listRewritten = await projectResetCase(ctx.db, client, code, outcome.runId).then(
          () => true,
          (err: unknown) => {
            // The reset stands; the consistency check (and its repair) finds the row if the new run does not answer.
            console.error(`case ${code}: the new run did not answer after the reset, the case list keeps the old run's row`, err);
            return false;
          },
        );
        call.audit.details = { ...outcome, to, reapply, reason: body.reason, listRewritten };
        return { body: { caseCode: code, ...outcome, listRewritten } };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw caseNotFound(code);
        if (err instanceof ResetPointError) throw badResetPoint(err.message);
        if ((err as { code?: number }).code === GRPC_INVALID_ARGUMENT) throw badResetPoint((err as Error).message);
        throw err;
      }
    },
  },
];
