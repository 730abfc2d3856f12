/**
 * Sending a paid land-obligation receipt back to the locality's system (seed 003: "biên lai … gửi
 * về địa phương"). `POST <url>` with JSON {orderId, dossierCode, noticeNumber, idNumber, taxpayer,
 * amountVnd, txnRef, paidAt, receiptNo, unitCode, receiptPdfBase64}; a 2xx is "accepted", anything
 * else an error the workflow retries. The URL is one for the whole installation
 * (LAND_RECEIPT_URL) or one per unit code (LAND_RECEIPT_URLS = JSON {"000.15.43.H35": "https://…"}),
 * the per-unit entry winning. The local tax service answers at /locality/receipts by default.
 */
import { authorizationHeader } from './taxAuthority';

export interface LandReceiptDelivery {
  orderId: string;
  dossierCode: string;
  noticeNumber: string;
  idNumber: string;
  taxpayer: string;
  amountVnd: number;
  txnRef: string;
  paidAt: string;
  receiptNo: string;
  unitCode: string;
  receiptPdfBase64: string;
}

export interface LocalityReceipts {
  /** Resolves once the locality accepted the receipt; throws otherwise. */
  deliver(receipt: LandReceiptDelivery): Promise<{ accepted: true; reference?: string }>;
}

export interface HttpLocalityReceiptsConfig {
  defaultUrl: string;
  perUnit?: Readonly<Record<string, string>>;
  credentials?: string;
  timeoutMs?: number;
}

export class HttpLocalityReceipts implements LocalityReceipts {
  constructor(private readonly config: HttpLocalityReceiptsConfig) {}

  urlFor(unitCode: string): string {
    return this.config.perUnit?.[unitCode] ?? this.config.defaultUrl;
  }

  async deliver(receipt: LandReceiptDelivery): Promise<{ accepted: true; reference?: string }> {
    const res = await fetch(this.urlFor(receipt.unitCode), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': receipt.orderId, ...authorizationHeader(this.config.credentials) },
      body: JSON.stringify(receipt),
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 15_000),
    });
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new Error(`locality system answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    let reference: string | undefined;
    try {
      const body = JSON.parse(text) as { reference?: unknown };
      if (typeof body.reference === 'string') reference = body.reference;
    } catch {
      // A bare 2xx is an acceptance too.
    }
    return reference ? { accepted: true, reference } : { accepted: true };
  }
}
