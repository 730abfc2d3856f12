/**
 * Citizen accounts opened at the one-stop desk (SPEC B; seeds 000 part B, 002): the ID scan
 * upload, the lookup, the request (a workflow per attempt) with its form, codes and cancellation,
 * and the desk's lists. Every route needs ACCOUNT_CREATE; units are checked by the handlers.
 */
import { checkIdScanContent, ID_SCAN_MAX_BYTES, ID_SCAN_TYPES } from '../../infra/idScanContent';
import { fileTooLarge } from '../../infra/fileContent';
import type { RouteSpec } from '../route';
import { receiveUpload } from '../files/routes';
import { listAccounts, listRequests, lookupAccount } from './accountList';
import { AccountListQuery, CancelBody, ConfirmBody, LookupQuery, RequestBody, RequestParams } from './inputs';
import { cancelRequest, confirmOtp, downloadRequestForm, readAccountRequest, sendOtp, startAccountRequest } from './requests';

const VIEW =
  'the request {requestId, status (preparing, awaiting_otp, creating, created, account_exists, too_many_wrong_codes, cancelled, abandoned), citizen, unit, officer, idScan, form {url}, otp {sends, sentAt, expiresAt, expired, wrongTries, triesLeft, nextSendAt}, account {accountId, username, passwordSms}, endReason, abandonsAt, events}';

export const citizenAccountRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/citizen-accounts/id-scans',
    access: { right: 'ACCOUNT_CREATE' },
    action: 'citizen-accounts.id-scan',
    summary:
      'Uploads the scan of both sides of the citizen’s ID card: ONE .doc, .docx or .pdf file of at most 5 MB, recognised by content (a name whose extension disagrees with the content is refused); raw bytes as the body, the name URL-encoded in X-File-Name',
    output: '201 {fileId, sha256, mimeType, bytes, pages, originalName, alreadyStored}',
    rawBody: { maxBytes: () => ID_SCAN_MAX_BYTES, tooLarge: (max) => fileTooLarge(max), contentTypes: [...ID_SCAN_TYPES, 'application/octet-stream'] },
    handler: (call) => receiveUpload(call, { check: checkIdScanContent, maxBytes: ID_SCAN_MAX_BYTES }),
  },
  {
    method: 'get',
    path: '/api/citizen-accounts/lookup',
    access: { right: 'ACCOUNT_CREATE' },
    summary: 'Looks an ID number up (CCCD 12 digits or CMND 9): whether an account exists (then none may be created) and requests under way for it',
    output: '{idNumber, exists, account {createdAt, verifiedBy, unitName} | null, message, pendingRequests}',
    input: { query: LookupQuery },
    handler: lookupAccount,
  },
  {
    method: 'get',
    path: '/api/citizen-accounts',
    access: { right: 'ACCOUNT_CREATE' },
    summary: 'Accounts opened at the desks of the caller’s units, newest first; filters name, phone, idNumber (prefix), officerId (the creating officer), unitId, from/to (dates of creation)',
    output: '{items [{accountId, fullName, idNumber, phone, email, birthDate, createdAt, officerId, officerName, unitId, unitCode, unitName, mustChangePassword}], total, page, pageSize, message? (when nothing matches)}',
    input: { query: AccountListQuery },
    handler: listAccounts,
  },
  {
    method: 'get',
    path: '/api/citizen-accounts/requests',
    access: { right: 'ACCOUNT_CREATE' },
    summary: 'Account requests made at the desks of the caller’s units, newest first (officerId to see one officer’s)',
    output: '{items [{requestId, status, fullName, idNumber, phone, startedAt, endedAt, endReason, otpSends, officerName, unitName}], page, pageSize}',
    input: { query: AccountListQuery },
    handler: listRequests,
  },
  {
    method: 'post',
    path: '/api/citizen-accounts/requests',
    access: { right: 'ACCOUNT_CREATE' },
    action: 'citizen-accounts.request',
    idempotency: 'required',
    summary:
      'Starts an account request (step 1) {citizen {fullName, citizenId (CCCD 12 or CMND 9 digits), birthDate (agreeing with the CCCD), phone (the citizen’s own mobile), email?}, unitId (one of the caller’s one-stop units), idScanFileId (from POST /api/citizen-accounts/id-scans)}; 409 ACCOUNT_EXISTS when the ID number has an account',
    output: `201 ${VIEW}`,
    input: { body: RequestBody },
    handler: startAccountRequest,
  },
  {
    method: 'get',
    path: '/api/citizen-accounts/requests/:id',
    access: { right: 'ACCOUNT_CREATE' },
    summary: 'One account request, as its workflow holds it',
    output: VIEW,
    input: { params: RequestParams },
    handler: readAccountRequest,
  },
  {
    method: 'get',
    path: '/api/citizen-accounts/requests/:id/form',
    access: { right: 'ACCOUNT_CREATE' },
    action: 'citizen-accounts.form',
    summary: 'Downloads the account request form (giấy đề nghị tạo tài khoản, PDF) for the citizen to check and confirm (step 2)',
    output: 'application/pdf',
    input: { params: RequestParams },
    handler: downloadRequestForm,
  },
  {
    method: 'post',
    path: '/api/citizen-accounts/requests/:id/otp',
    access: { right: 'ACCOUNT_CREATE' },
    action: 'citizen-accounts.send-otp',
    summary: 'Sends (or re-sends) a 6-digit code by SMS to the citizen’s phone; only the latest code is valid, for 2 minutes; 429 OTP_RESEND_TOO_SOON within 30 s of the last, OTP_SEND_LIMIT after 5',
    output: VIEW,
    input: { params: RequestParams },
    handler: sendOtp,
  },
  {
    method: 'post',
    path: '/api/citizen-accounts/requests/:id/confirm',
    access: { right: 'ACCOUNT_CREATE' },
    action: 'citizen-accounts.confirm',
    summary:
      'Creates the account with the latest code {otp} (step 3); the temporary password goes to the citizen by SMS. 422 OTP_INVALID (triesLeft), OTP_EXPIRED, OTP_LOCKED (5 wrong codes end the request), 409 OTP_NOT_SENT, ACCOUNT_EXISTS',
    output: VIEW,
    input: { params: RequestParams, body: ConfirmBody },
    handler: confirmOtp,
  },
  {
    method: 'post',
    path: '/api/citizen-accounts/requests/:id/cancel',
    access: { right: 'ACCOUNT_CREATE' },
    action: 'citizen-accounts.cancel',
    summary: 'Cancels a request that has not created its account {reason}',
    output: VIEW,
    input: { params: RequestParams, body: CancelBody },
    handler: cancelRequest,
  },
];
