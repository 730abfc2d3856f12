/**
 * Error-alert subscriptions ("Đăng ký nhận cảnh báo lỗi", seed 003) and the alerts raised.
 *
 * Every route takes USER_ADMIN. A subscription belongs to a province-level unit (or a root unit,
 * the national level) in the administrator's scope: an administrator of a province manages its
 * subscriptions, a district administrator sees none. Alerts are listed for the units in scope,
 * with the system-wide ones (gateway, database, Temporal) for administrators of a province.
 */
import { z } from 'zod';
import { ALERT_SERVICE_LABELS, ALERT_SERVICE_TYPES, type AlertServiceType } from '../../domain/alerts';
import { confirmAddress, createSubscription, listAlerts, listSubscriptions, resendCode, setSubscriptionStatus, subscriptionUnit } from '../../infra/alerts/subscriptions';
import { emailField, mobileField, required, uuidOf } from '../admin/inputs';
import type { AppContext } from '../context';
import { ApiError, fieldProblem, forbiddenUnit, invalidInput, notFound, parseInput } from '../errors';
import type { Principal } from '../principal';
import type { Call, RouteSpec } from '../route';

const serviceLabel = (t: AlertServiceType) => ALERT_SERVICE_LABELS[t].vi;

const CreateBody = z.object({
  unitId: uuidOf('đơn vị nhận thông báo'),
  serviceType: z.enum(ALERT_SERVICE_TYPES, { error: required('thiếu loại dịch vụ', `loại dịch vụ không tồn tại; chọn một trong: ${ALERT_SERVICE_TYPES.join(', ')}`) }),
  phones: z.array(mobileField, { error: 'danh sách số điện thoại không hợp lệ' }).min(1, { error: 'cần ít nhất một số điện thoại' }).max(10, { error: 'tối đa 10 số điện thoại' }),
  emails: z.array(emailField, { error: 'danh sách email không hợp lệ' }).min(1, { error: 'cần ít nhất một email' }).max(10, { error: 'tối đa 10 email' }),
});
const IdParams = z.object({ id: uuidOf('mã đăng ký') });
/** These actions take no input beyond the address; a body, when sent, is ignored. */
const NoBody = z.object({});
const AddressParams = z.object({ id: uuidOf('mã đăng ký'), addressId: uuidOf('mã địa chỉ nhận') });
const ConfirmBody = z.object({ code: z.string({ error: required('thiếu mã xác nhận', 'mã xác nhận phải là chuỗi chữ số') }).trim().regex(/^\d{6}$/, { error: 'mã xác nhận gồm 6 chữ số' }) });

/** Province-level units (and root units) in the caller's scope: where he may register. */
async function registrableUnits(ctx: AppContext, p: Principal): Promise<Array<{ id: string; code: string; name: string; level: string }>> {
  return ctx.db.query(`select id, code, name, level from units where id = any($1::uuid[]) and (level = 'province' or parent_id is null) order by path`, [[...p.scope]]);
}

/** The subscription, when its unit is in the caller's scope; 404 for one that is not there or removed. */
async function ownSubscription(call: Call, id: string): Promise<{ unitId: string; status: string }> {
  const sub = await subscriptionUnit(call.ctx.db, id);
  if (!sub || sub.status === 'removed') throw notFound('đăng ký nhận cảnh báo', 'Alert subscription');
  call.audit.target = `alert-subscription:${id}`;
  call.audit.unitId = sub.unitId;
  if (!call.principal!.scope.has(sub.unitId)) throw forbiddenUnit();
  return sub;
}

function statusRoute(path: string, action: string, summary: string, to: 'active' | 'paused' | 'removed', method: 'post' | 'delete' = 'post'): RouteSpec {
  return {
    method,
    path,
    access: { right: 'USER_ADMIN' },
    action,
    summary,
    input: method === 'delete' ? { params: IdParams } : { params: IdParams, body: NoBody },
    output: '{id, status}',
    handler: async (call) => {
      const { id } = parseInput(IdParams, call.req.params);
      const sub = await ownSubscription(call, id);
      await setSubscriptionStatus(call.ctx.db, id, to, call.ctx.clock.now());
      call.audit.details = { from: sub.status, to };
      return { body: { id, status: to } };
    },
  };
}

export const alertRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/alert-subscriptions',
    access: { right: 'USER_ADMIN' },
    summary: 'Error-alert subscriptions of the province-level units in scope, the units one may register for and the service types',
    output: '{items: [{id, unit {id, code, name}, serviceType, status active|paused, addresses [{id, channel sms|email, address, confirmed, confirmedAt, codeSentAt}], createdAt, createdBy}], units: [{id, code, name, level}], serviceTypes: [{code, vi, en}]}',
    handler: async ({ ctx, principal }) => {
      const units = await registrableUnits(ctx, principal!);
      return {
        body: {
          items: await listSubscriptions(ctx.db, units.map((u) => u.id)),
          units,
          serviceTypes: ALERT_SERVICE_TYPES.map((code) => ({ code, ...ALERT_SERVICE_LABELS[code] })),
        },
      };
    },
  },
  {
    method: 'post',
    path: '/api/alert-subscriptions',
    access: { right: 'USER_ADMIN' },
    action: 'alerts.subscription.create',
    summary: 'Registers phones and e-mails of a province-level unit for one service type; each address gets a 6-digit code and receives alerts once confirmed',
    input: { body: CreateBody },
    output: 'The subscription as the list shows it (201)',
    handler: async (call) => {
      const { ctx, principal } = call;
      const body = parseInput(CreateBody, call.req.body);
      call.audit.details = { unitId: body.unitId, serviceType: body.serviceType, phones: body.phones, emails: body.emails };
      const unit = (await registrableUnits(ctx, principal!)).find((u) => u.id === body.unitId);
      if (!unit) {
        if (!principal!.scope.has(body.unitId)) throw forbiddenUnit();
        throw invalidInput([fieldProblem('unitId', 'chỉ đơn vị cấp tỉnh (hoặc cấp trung ương) đăng ký nhận cảnh báo lỗi', 'only a province-level (or national) unit registers for alerts')]);
      }
      call.audit.unitId = unit.id;
      const id = await createSubscription(ctx.db, { unit, serviceType: body.serviceType, serviceLabel: serviceLabel(body.serviceType), phones: body.phones, emails: body.emails, by: principal!.officerId, at: ctx.clock.now() });
      call.audit.target = `alert-subscription:${id}`;
      void ctx.alertDispatcher?.runOnce().catch(() => undefined);
      const view = (await listSubscriptions(ctx.db, [unit.id])).find((s) => s.id === id);
      return { status: 201, body: view };
    },
  },
  {
    method: 'post',
    path: '/api/alert-subscriptions/:id/addresses/:addressId/confirm',
    access: { right: 'USER_ADMIN' },
    action: 'alerts.address.confirm',
    summary: 'Confirms a phone or e-mail of a subscription with the 6-digit code it received {code}',
    input: { params: AddressParams, body: ConfirmBody },
    output: '{addressId, confirmed: true}',
    handler: async (call) => {
      const { id, addressId } = parseInput(AddressParams, call.req.params);
      await ownSubscription(call, id);
      const { code } = parseInput(ConfirmBody, call.req.body);
      const outcome = await confirmAddress(call.ctx.db, id, addressId, code, call.ctx.clock.now());
      call.audit.details = { addressId, outcome };
      if (!outcome) throw notFound('địa chỉ nhận cảnh báo', 'Alert address');
      if (outcome === 'wrong') throw invalidInput([fieldProblem('code', 'mã xác nhận không đúng', 'the code is wrong')]);
      if (outcome === 'expired' || outcome === 'exhausted') {
        throw new ApiError(409, 'ALERT_CODE_EXPIRED', 'Mã xác nhận đã hết hạn hoặc đã nhập sai quá số lần cho phép; hãy chọn "Gửi lại mã".', 'The code expired or was mistyped too often; ask for a new one.');
      }
      return { body: { addressId, confirmed: true } };
    },
  },
  {
    method: 'post',
    path: '/api/alert-subscriptions/:id/addresses/:addressId/resend',
    access: { right: 'USER_ADMIN' },
    action: 'alerts.address.resend',
    summary: 'Sends a new code to an unconfirmed phone or e-mail (at most one a minute)',
    input: { params: AddressParams, body: NoBody },
    output: '{addressId, sent: true}',
    handler: async (call) => {
      const { id, addressId } = parseInput(AddressParams, call.req.params);
      await ownSubscription(call, id);
      const outcome = await resendCode(call.ctx.db, id, addressId, serviceLabel, call.ctx.clock.now());
      call.audit.details = { addressId, outcome };
      if (!outcome) throw notFound('địa chỉ nhận cảnh báo', 'Alert address');
      if (outcome === 'already_confirmed') throw new ApiError(409, 'ALERT_ADDRESS_CONFIRMED', 'Địa chỉ này đã được xác nhận.', 'This address is already confirmed.');
      if (outcome === 'too_soon') throw new ApiError(429, 'ALERT_CODE_TOO_SOON', 'Vừa gửi mã cho địa chỉ này; vui lòng chờ một phút rồi gửi lại.', 'A code was just sent; wait a minute.');
      void call.ctx.alertDispatcher?.runOnce().catch(() => undefined);
      return { body: { addressId, sent: true } };
    },
  },
  statusRoute('/api/alert-subscriptions/:id/pause', 'alerts.subscription.pause', 'Pauses a subscription: its addresses receive no alert until it is resumed', 'paused'),
  statusRoute('/api/alert-subscriptions/:id/resume', 'alerts.subscription.resume', 'Resumes a paused subscription', 'active'),
  statusRoute('/api/alert-subscriptions/:id', 'alerts.subscription.remove', 'Removes a subscription (kept for the alerts it received)', 'removed', 'delete'),
  {
    method: 'get',
    path: '/api/alerts',
    access: { right: 'USER_ADMIN' },
    summary: 'Alerts raised for the units in scope (and system-wide ones for province administrators), newest first, each with its deliveries per address and channel',
    output: '{items: [{id, kind, failureKey, unit, title, detail, since, link, raisedAt, lastSeenAt, repeats, deliveries [{channel, address, status pending|sent|held|failed, attempts, lastError, sentAt}]}]}',
    handler: async ({ ctx, principal }) => {
      const provinces = await registrableUnits(ctx, principal!);
      return { body: { items: await listAlerts(ctx.db, [...principal!.scope], provinces.length > 0) } };
    },
  },
];
