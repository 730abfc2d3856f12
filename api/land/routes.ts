/**
 * Land financial obligations (seed 003 Phụ lục 1 step d): the citizen's lookup and payment on the
 * portal, the gateway's signed callback, and the desk's list of payments with their receipts.
 */
import type { RouteSpec } from '../route';
import { gatewayCallback } from './callback';
import { listMyLandPayments, lookupLandObligations, myLandPayment, startLandPayment } from './citizenLand';
import { CaseFeeLinkBody, CitizenLandListQuery, GatewayCallbackBody, LandLookupBody, LandPayBody, LandPaymentListQuery, OrderParams } from './inputs';
import { landPaymentDetail, landPaymentReceipt, listLandPayments } from './officerLand';
import { caseFeePaymentLink } from './caseFee';
import { CodeParams } from '../cases/inputs';

const DESK = { anyOf: ['CERT_CREATE', 'ACCOUNT_CREATE', 'CASE_SUPERVISE'] } as const;
const PAYMENT = '{orderId, dossierCode, noticeNumber, taxpayer, items, amountVnd, property, localityName, status, statusText, txnRef, createdAt, expiresAt, paidAt, receiptNo, receiptUrl, delivery}';

export const landRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/citizen/land-obligations/lookup',
    access: 'citizen',
    action: 'citizen.land.lookup',
    summary: 'Looks a land dossier up at the tax authority by {dossierCode (Mã hồ sơ), idNumber (CCCD/CMND)}: the property and the tax notices, each with its items, total and whether it is paid',
    input: { body: LandLookupBody },
    output: '{dossierCode, taxpayer, property, locality:{name}, notices:[{noticeNumber, taxpayer, items:[{content, amountVnd}], totalVnd, paid, receiptNo?}]}',
    handler: lookupLandObligations,
  },
  {
    method: 'post',
    path: '/api/citizen/land-payments',
    access: 'citizen',
    action: 'citizen.land.pay',
    summary: 'Starts the online payment of one notice {dossierCode, idNumber, noticeNumber}: the amount is the tax authority’s; answers the order and payUrl, the gateway page to send the browser to (an open order of the same notice is answered again)',
    input: { body: LandPayBody },
    output: `${PAYMENT} + payUrl`,
    handler: startLandPayment,
  },
  {
    method: 'get',
    path: '/api/citizen/land-payments',
    access: 'citizen',
    summary: 'The logged-in citizen’s land payments, newest first',
    input: { query: CitizenLandListQuery },
    output: `{total, page, pageSize, items:[${PAYMENT}]}`,
    handler: listMyLandPayments,
  },
  {
    method: 'get',
    path: '/api/citizen/land-payments/:orderId',
    access: 'citizen',
    summary: 'One of the citizen’s land payments (the result page after the gateway)',
    input: { params: OrderParams },
    output: PAYMENT,
    handler: myLandPayment,
  },
  {
    method: 'post',
    path: '/api/land-payments/callback',
    access: 'public',
    action: 'land.payment.callback',
    summary: 'The payment gateway’s signed result {merchant, orderId, amount, txnRef, responseCode ("00" = paid), payDate, secureHash (HMAC-SHA256)}: verified, checked against the order, recorded once per txnRef',
    input: { body: GatewayCallbackBody },
    output: '{outcome: "recorded" | "duplicate" | "late", status}',
    handler: gatewayCallback,
  },
  {
    method: 'get',
    path: '/api/land-payments',
    access: DESK,
    summary: 'Land payments of the localities in the officer’s scope, newest first; filters status, dossierCode (also our case code), unitId',
    input: { query: LandPaymentListQuery },
    output: `{total, page, pageSize, items:[${PAYMENT} + idNumber, unitId, unitName, deliveryAttempts, deliveryError, deliveredAt, deliveryReference, caseCode]}`,
    handler: listLandPayments,
  },
  {
    method: 'get',
    path: '/api/land-payments/:orderId',
    access: DESK,
    summary: 'One land payment with its events (created, paid/declined/expired, receipt, SMS, delivery to the locality)',
    input: { params: OrderParams },
    output: `${PAYMENT} + events:[{seq, at, kind, data}]`,
    handler: landPaymentDetail,
  },
  {
    method: 'get',
    path: '/api/land-payments/:orderId/receipt',
    access: DESK,
    action: 'land.payment.receipt',
    summary: 'The receipt (biên lai) PDF of a paid land payment',
    input: { params: OrderParams },
    output: 'application/pdf',
    handler: landPaymentReceipt,
  },
  {
    method: 'post',
    path: '/api/cases/:code/fee-payment',
    access: { right: 'CERT_CREATE' },
    action: 'case.fee.online',
    summary: 'A payment link for the case’s certification fee, paid on the payment gateway instead of at the counter: answers the order and payUrl (an open link of the case again); once paid, the case’s fee receipt is issued with the caller as collector (409 FEE_ALREADY_COLLECTED, CASE_CLOSED, NO_FEE_DUE)',
    input: { params: CodeParams, body: CaseFeeLinkBody },
    output: `${PAYMENT} + payUrl`,
    handler: caseFeePaymentLink,
  },
];
