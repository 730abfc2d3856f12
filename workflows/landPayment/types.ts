/** The land-obligation payment workflow's input, its view and the gateway's callback as it reaches it. */
import type { LandNotice, LandPaymentStatus } from '../../domain/landObligations';

export interface LandPaymentInput {
  orderId: string;
  /** 'case_fee': a certification case's fee (its fee receipt, nothing sent to a locality); default 'land'. */
  purpose?: 'land' | 'case_fee';
  dossierCode: string;
  notice: LandNotice;
  unit: { id: string; code: string; name: string };
  createdAt: string;
  expiresAt: string;
  /** Tests on the engine's time skipping: the workflow's clock = engine time + offset. */
  clockOffsetMs?: number;
  /** Retry of the delivery to the locality: first wait and longest wait (defaults 10 s and 10 min). */
  deliveryRetry?: { initialIntervalMs: number; maximumIntervalMs: number };
  /** Failed deliveries after which the land-obligation alert is raised (default 3). */
  alertAfterAttempts?: number;
}

export interface LandCallback {
  orderId: string;
  amountVnd: number;
  txnRef: string;
  responseCode: string;
  payDate: string;
}

export interface LandPaymentEvent {
  seq: number;
  at: string;
  kind: string;
  data: Record<string, unknown>;
}

export interface LandPaymentView {
  orderId: string;
  status: LandPaymentStatus;
  amountVnd: number;
  txnRef?: string;
  responseCode?: string;
  paidAt?: string;
  endedAt?: string;
  receiptNo?: string;
  delivery: 'none' | 'pending' | 'delivered';
  version: number;
}

export interface LandCallbackAnswer {
  /** recorded: this callback settled the order; duplicate: the same transaction again; late: the order had already ended. */
  outcome: 'recorded' | 'duplicate' | 'late';
  status: LandPaymentStatus;
}
