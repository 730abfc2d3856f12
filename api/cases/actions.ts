/**
 * Officers' actions on a case: each route becomes one update of the case's workflow, carrying
 * the officer as actor (his rights, and the units whose cases he handles) and his
 * Idempotency-Key. The API checks first what it can answer without the workflow — the case
 * exists and is the officer's (404 otherwise, revealing nothing), it is not closed (409 with
 * the final view) — and the workflow's validators decide the rest (right, state, input), their
 * refusals answered with the workflow's own code and Vietnamese message (CASE_ERRORS).
 *
 * Signing and returning also accept a leader's signing delegation (seed 000 §3.9): an officer
 * without CERT_SIGN who holds a delegation in force for the case's commune acts as a signer
 * for that case, and the audit entry names the delegation.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { ZodType } from 'zod';
import { RIGHTS } from '../../domain/rights';
import { certificationWorkflowId } from '../../workflows/certification/messages';
import type { ActionInput, Actor, CaseView, SignatureDelegation } from '../../workflows/certification/types';
import { activeDelegationsFor, type ActiveDelegation } from '../admin/delegations';
import type { AppContext } from '../context';
import { ApiError, parseInput } from '../errors';
import type { Principal } from '../principal';
import type { Access, Call, RouteSpec } from '../route';
import { caseBeforeAction, caseClosed, caseNotFound, isClosedView, loadCase } from './caseView';
import { caseErrorOf, engineOf, engineUnavailable, workflowKey } from './engine';
import { CodeParams } from './inputs';

export function actorOf(p: Principal, units: ReadonlySet<string>): Actor {
  return { officerId: p.officerId, fullName: p.fullName, rights: [...p.rights], unitIds: [...units] };
}

/** Runs one update; a refusal becomes the API's answer, a case closed meanwhile a 409. */
export async function runUpdate<I extends ActionInput>(ctx: AppContext, caseCode: string, update: UpdateDefinition<CaseView, [I]>, input: I): Promise<CaseView> {
  const { client } = engineOf(ctx);
  try {
    return await client.workflow.getHandle(certificationWorkflowId(caseCode)).executeUpdate(update, { args: [input] });
  } catch (err) {
    const refusal = caseErrorOf(err);
    if (refusal) throw refusal;
    if (err instanceof WorkflowNotFoundError) {
      const now = await loadCase(ctx, caseCode, true);
      if (now && isClosedView(now.view)) throw caseClosed(now.view);
      throw caseNotFound(caseCode);
    }
    console.error(`case ${caseCode}: update ${update.name} failed`, err);
    throw engineUnavailable();
  }
}

interface Signer {
  actor: Actor;
  delegation?: ActiveDelegation;
}

/** What the sign update records of the delegation a copy is signed under. */
export function signatureDelegationOf(d: ActiveDelegation): SignatureDelegation {
  return {
    delegationId: d.id,
    delegatedBy: { officerId: d.fromOfficerId, fullName: d.fromOfficerName },
    form: d.signature.form,
    headTitle: d.signature.headTitle,
    signerTitle: d.signature.signerTitle,
  };
}

/**
 * The actor for signing or returning: a CERT_SIGN holder of the case's units, or the holder of a
 * signing delegation in force for the case's commune. Outside both: 404, as for any case not his.
 */
async function signerFor(ctx: AppContext, p: Principal, units: ReadonlySet<string>, view: CaseView): Promise<Signer> {
  const actor = actorOf(p, units);
  const inUnits = units.has(view.unit.id);
  if (inUnits && p.rights.has('CERT_SIGN')) return { actor };
  const delegations = await activeDelegationsFor(ctx.db, p.officerId, view.unit.id, ctx.clock.now());
  const d = delegations[0];
  if (d) {
    const rights = actor.rights.includes('CERT_SIGN') ? actor.rights : [...actor.rights, 'CERT_SIGN'];
    const unitIds = inUnits ? actor.unitIds : [...actor.unitIds, view.unit.id];
    return { actor: { ...actor, rights, unitIds }, delegation: d };
  }
  if (!inUnits) throw caseNotFound(view.caseCode);
  throw new ApiError(
    403,
    'RIGHT_REQUIRED',
    `Bạn không có quyền "${RIGHTS.CERT_SIGN}" (CERT_SIGN) và không được lãnh đạo ủy quyền ký cho ${view.unit.name}.`,
    `You hold neither the right CERT_SIGN nor a signing delegation for ${view.unit.code}.`,
    { right: 'CERT_SIGN' },
  );
}

export interface CaseActionSpec<B, I extends ActionInput> {
  /** The last path segment: POST /api/cases/:code/<name>. */
  name: string;
  access: Access;
  summary: string;
  body: ZodType<B>;
  update: UpdateDefinition<CaseView, [I]>;
  /** Signing and returning: CERT_SIGN, or a signing delegation for the case's commune. */
  signing?: boolean;
  /** The update's own fields beyond actor and key; `delegation`: the one a signing action goes under. */
  fields(body: B, call: Call, delegation?: ActiveDelegation): Promise<Omit<I, keyof ActionInput>> | Omit<I, keyof ActionInput>;
  /** What the audit entry records of the request (never personal data beyond the case code). */
  audit?(body: B): Record<string, unknown>;
}

export function caseAction<B, I extends ActionInput>(spec: CaseActionSpec<B, I>): RouteSpec {
  return {
    method: 'post',
    path: `/api/cases/:code/${spec.name}`,
    access: spec.access,
    action: `case.${spec.name}`,
    idempotency: 'required',
    summary: spec.summary,
    output: 'The new case view (as GET /api/cases/:code); 409 CASE_CLOSED with details.case = the final view when the case is closed',
    input: { params: CodeParams, body: spec.body },
    handler: async (call) => {
      const { req, ctx } = call;
      const p = call.principal!;
      const { code } = parseInput(CodeParams, req.params);
      call.audit.target = `case:${code}`;
      call.audit.details = { action: spec.name };
      const body = parseInput(spec.body, req.body ?? {});
      const units = p.caseUnits;
      const loaded = await caseBeforeAction(ctx, code);
      if (!loaded) throw caseNotFound(code);
      const before = loaded.view;
      let actor: Actor;
      let delegation: Signer['delegation'];
      if (spec.signing) {
        ({ actor, delegation } = await signerFor(ctx, p, units, before));
      } else {
        if (!units.has(before.unit.id)) throw caseNotFound(code);
        actor = actorOf(p, units);
      }
      call.audit.unitId = before.unit.id;
      call.audit.details = { action: spec.name, step: before.step, ...spec.audit?.(body), ...(delegation ? { delegationId: delegation.id, delegatedBy: delegation.fromOfficerId } : {}) };
      if (isClosedView(before)) throw caseClosed(before);
      const key = call.idempotencyKey;
      if (key === undefined) throw new Error('the router admits case actions only with an Idempotency-Key');
      const input = { ...(await spec.fields(body, call, delegation)), actor, idempotencyKey: workflowKey(p, key) } as I;
      const after = await runUpdate(ctx, code, spec.update, input);
      call.audit.details = { ...call.audit.details, status: after.status, version: after.version };
      return { body: after };
    },
  };
}
