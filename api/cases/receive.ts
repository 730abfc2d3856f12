/**
 * Receiving a request (step 2): the officer enters the citizen and the originals; the API gives
 * the case its code, loads the commune's calendar, computes the fee and starts the case's
 * workflow with the scan already uploaded in its input — the workflow attaches it before anything
 * else, so a case never exists without it. The answer waits for that; when the engine cannot
 * answer, the officer gets an error and the key is released. The workflow id comes from the case
 * code and a retried request reuses its code (caseCode.ts), so a reception retried with the same
 * Idempotency-Key never opens a second case, and finds the first one with its scan.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { formatLocalDate } from '../../domain/calendar';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { loadCaseLadder } from '../escalation/ladderStore';
import { caseFee } from '../../workflows/certification/fee';
import { CERTIFICATION_WORKFLOW_TYPE, caseViewQuery, certificationWorkflowId } from '../../workflows/certification/messages';
import type { CaseView, CertificationInput, CitizenData } from '../../workflows/certification/types';
import type { AppContext } from '../context';
import { ApiError, parseInput } from '../errors';
import { loadAppointment, runAppointmentUpdate } from '../appointments/engine';
import { receiveFromAppointmentUpdate } from '../../workflows/appointment/messages';
import type { AppointmentView } from '../../workflows/appointment/types';
import { actorOf } from './actions';
import type { Call, Reply } from '../route';
import { issueCaseCode } from './caseCode';
import { scanRefOf } from './caseFiles';
import { communeInScope } from './caseUnits';
import { projectedView } from './caseView';
import { engineOf, engineUnavailable } from './engine';
import { receiveBody } from './inputs';
import { portalAccountOf } from './portalAccount';

/** How many codes a reception tries when the engine already holds workflows by those codes. */
const MAX_CODE_ATTEMPTS = 1000;

/**
 * Starts the case's workflow: 'started' also when a retry finds the case its first attempt
 * started; 'taken' when another case holds the workflow id.
 */
async function startCase(ctx: AppContext, input: CertificationInput, reused: boolean, officerId: string): Promise<'started' | 'taken'> {
  const { client, taskQueue } = engineOf(ctx);
  const workflowId = certificationWorkflowId(input.caseCode);
  try {
    await client.workflow.start(CERTIFICATION_WORKFLOW_TYPE, { args: [input], taskQueue, workflowId, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    return 'started';
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      console.error(`case ${input.caseCode}: could not start its workflow`, err);
      throw engineUnavailable();
    }
  }
  if (!reused) return 'taken';
  const existing = await client.workflow.getHandle(workflowId).query(caseViewQuery);
  return existing.receivedBy.officerId === officerId ? 'started' : 'taken';
}

export async function receiveCase(call: Call): Promise<Reply> {
  const { req, ctx } = call;
  const p = call.principal!;
  const key = call.idempotencyKey;
  if (key === undefined) throw new Error('the router admits a reception only with an Idempotency-Key');
  const today = formatLocalDate(ctx.clock.now().getTime());
  const body = parseInput(receiveBody(today), req.body);
  call.audit.details = { action: 'receive', unitId: body.unitId };
  const units = p.caseUnits;
  const unit = await communeInScope(ctx.db, units, body.unitId);
  call.audit.unitId = unit.id;
  // Checked before anything is started: a wrong file must not leave a case behind.
  const scan = body.scanFileId ? await scanRefOf(ctx, p, body.scanFileId, 'scanFileId') : undefined;
  const appointment = body.appointmentCode ? await appointmentToReceive(ctx, body.appointmentCode, unit.id, body.citizen.citizenId) : undefined;
  const calendar = await loadUnitCalendar(ctx.db, unit.id);
  // The unit's escalation ladder (or its nearest ancestor's, or the default) as of reception.
  const escalationLadder = await loadCaseLadder(ctx.db, unit.id);
  const fee = caseFee(body.documents);
  const details = {
    action: 'receive',
    documents: body.documents.length,
    copies: body.documents.reduce((n, d) => n + d.copies, 0),
    complex: body.complex,
    feeVnd: fee.totalVnd,
    ...(scan ? { scanFileId: scan.fileId } : {}),
  };
  // A citizen with a portal account gets the copy there; the account's e-mail serves when none was typed.
  const portal = await portalAccountOf(ctx, body.citizen.citizenId);
  const email = body.citizen.email ?? portal?.email ?? undefined;
  const citizen: CitizenData = {
    fullName: body.citizen.fullName,
    citizenId: body.citizen.citizenId,
    birthDate: body.citizen.birthDate,
    ...(body.citizen.phone ? { phone: body.citizen.phone } : {}),
    ...(email ? { email } : {}),
    ...(portal ? { portalAccountId: portal.accountId } : {}),
  };

  let caseCode = '';
  for (let attempt = 1; ; attempt++) {
    const issued = await issueCaseCode(ctx, unit, p.officerId, key, attempt === 1);
    caseCode = issued.caseCode;
    call.audit.target = `case:${caseCode}`;
    call.audit.details = { ...details, ...(issued.reused ? { retryOfCode: true } : {}) };
    const input: CertificationInput = {
      caseCode,
      unit: { id: unit.id, code: unit.code, name: unit.name },
      calendar,
      receivedBy: { officerId: p.officerId, fullName: p.fullName },
      citizen,
      documents: body.documents,
      complex: body.complex,
      ...(body.complex && body.complexReason ? { complexReason: body.complexReason } : {}),
      ...(scan ? { scan: { scan } } : {}),
      ...(appointment ? { appointmentCode: appointment.code } : {}),
      fee,
      escalationLadder,
    };
    if ((await startCase(ctx, input, issued.reused, p.officerId)) === 'started') break;
    // The engine already holds a case by this code that this database never gave out (e.g. the
    // database was restored from an older backup): that code is taken, the next one is tried.
    console.warn(`case code ${caseCode} is held by a workflow this database does not know; taking the next code`);
    if (attempt >= MAX_CODE_ATTEMPTS) throw engineUnavailable();
  }
  const view = await receivedView(ctx, caseCode, scan !== undefined);
  if (appointment) {
    // The appointment ends with the case received from it (the same key: a retried reception does it once).
    await runAppointmentUpdate(ctx, appointment.code, receiveFromAppointmentUpdate, {
      actor: actorOf(p, units),
      idempotencyKey: `${p.officerId}:${key}:appointment`,
      caseCode,
    });
    call.audit.details = { ...call.audit.details, appointmentCode: appointment.code };
  }
  const scanProblem = view.initialScanError;
  if (scanProblem) call.audit.details = { ...call.audit.details, scanAttachError: scanProblem.code };
  const answer = scanProblem ? { ...view, scanAttachError: { code: scanProblem.code, message: scanProblem.vi, messageEn: scanProblem.en } } : view;
  return { status: 201, body: answer, headers: { Location: `/api/cases/${encodeURIComponent(caseCode)}` } };
}

/** The appointment a reception is made from: of the same commune and citizen, not yet ended. */
async function appointmentToReceive(ctx: AppContext, code: string, communeId: string, citizenId: string): Promise<AppointmentView> {
  const view = await loadAppointment(ctx, code);
  const field = { fields: [{ field: 'appointmentCode', problem: 'lịch hẹn không dùng được' }] };
  if (!view || view.unit.id !== communeId) {
    throw new ApiError(422, 'APPOINTMENT_NOT_HERE', `Không có lịch hẹn ${code} tại đơn vị tiếp nhận này.`, `No appointment ${code} at this unit.`, field);
  }
  if (view.status !== 'booked' && view.status !== 'checked_in') {
    throw new ApiError(409, 'APPOINTMENT_ENDED', `Lịch hẹn ${code} đã kết thúc (${view.status === 'received' ? `đã tiếp nhận hồ sơ ${view.caseCode ?? ''}` : 'đã hủy hoặc không đến'}).`, `Appointment ${code} has ended.`, field);
  }
  if (view.citizen.idNumber !== citizenId) {
    throw new ApiError(
      422,
      'APPOINTMENT_OTHER_CITIZEN',
      `Lịch hẹn ${code} là của công dân có số định danh khác (${view.citizen.idNumber.slice(0, 3)}…${view.citizen.idNumber.slice(-3)}); kiểm tra lại số CCCD hoặc mã lịch hẹn.`,
      `Appointment ${code} belongs to another citizen.`,
      { fields: [{ field: 'citizen.citizenId', problem: 'khác số định danh của người đặt lịch hẹn' }] },
    );
  }
  return view;
}

/** How long a reception waits for its workflow to attach the scan it was given. */
const SCAN_WAIT_MS = 60_000;
/** How long it looks for the case's first projection before asking the workflow itself. */
const PROJECTION_WAIT_MS = 5_000;

/**
 * The new case as its workflow holds it, once the scan received with it is attached (or refused).
 * The workflow writes its first projection only then: it is looked for in the database, where each
 * look costs a statement, rather than asked of the workflow, where each costs a query the worker
 * answers. With the API's listener (ctx.caseProjections) the next look waits for the case's
 * projection notice, a look every half second at most while none comes; without it, a look every
 * 20 ms for the first second, then less and less often. Only a projection that does not come (the
 * database refused it) sends the wait to the workflow's own view.
 */
async function receivedView(ctx: AppContext, caseCode: string, withScan: boolean): Promise<CaseView> {
  const handle = engineOf(ctx).client.workflow.getHandle(certificationWorkflowId(caseCode));
  const notices = ctx.caseProjections?.listening ? ctx.caseProjections : undefined;
  const startedAt = Date.now();
  const giveUpAt = startedAt + SCAN_WAIT_MS;
  for (let pause = notices ? 500 : 20; ; pause = notices ? 500 : Date.now() - startedAt < 1_000 ? 20 : Math.min(pause * 2, 500)) {
    const fromDatabase = Date.now() - startedAt < PROJECTION_WAIT_MS;
    // Registered before the look, so a projection committed in between still wakes this wait.
    const notice = fromDatabase ? notices?.next(caseCode, pause) : undefined;
    let view: CaseView | undefined;
    if (fromDatabase) {
      view = await projectedView(ctx.db, caseCode);
    } else {
      try {
        view = await handle.query(caseViewQuery);
      } catch (err) {
        console.error(`case ${caseCode}: started, but its workflow did not answer`, err);
        throw engineUnavailable();
      }
    }
    if (view && (!withScan || view.scan || view.initialScanError)) {
      notice?.cancel();
      return view;
    }
    if (Date.now() + pause > giveUpAt) {
      notice?.cancel();
      throw engineUnavailable();
    }
    await (notice ? notice.done : new Promise((resolve) => setTimeout(resolve, pause)));
  }
}
