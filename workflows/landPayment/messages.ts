/**
 * The payment workflow's callback update and query. The API verifies the gateway's signature
 * before it gets here; the validator checks the order and the amount again, so a callback about
 * another order or another sum is refused without touching the history.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { LandCallback, LandCallbackAnswer, LandPaymentView } from './types';

export const LAND_PAYMENT_WORKFLOW_TYPE = 'landPayment';

export function landPaymentWorkflowId(orderId: string): string {
  return `land-payment-${orderId}`;
}

export const landPaymentViewQuery = defineQuery<LandPaymentView>('landPaymentView');
export const landCallbackUpdate = defineUpdate<LandCallbackAnswer, [LandCallback]>('gatewayCallback');

export const LAND_PAYMENT_ERRORS = { ORDER_MISMATCH: 400, AMOUNT_MISMATCH: 400, INVALID_CALLBACK: 400 } as const;
export type LandPaymentErrorCode = keyof typeof LAND_PAYMENT_ERRORS;
