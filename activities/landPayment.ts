/**
 * The land-payment workflow's side effects, each safe to run again: the projection with its events
 * and their audit rows; the receipt (number from a sequence, kept on the order; the PDF written
 * atomically; one portal document per order); the SMS notice keyed by the order; and the delivery
 * of the receipt to the locality's system, whose failures are counted on the order and raise the
 * land-obligation alert once, at the K-th failed attempt, while the engine keeps retrying.
 */
import { Context } from '@temporalio/activity';
import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { appendAudit } from '../api/audit/auditLog';
import { formatViInteger } from '../infra/pdf/viFormat';
import { raiseAlert } from '../infra/alerts/alertHook';
import type { LocalityReceipts } from '../infra/landTax/localityReceipts';
import { renderLandReceipt } from '../infra/pdf/landReceipt';
import type { SmsSender } from '../infra/sms/smsSender';
import { resolveInFiles, sha256, writeFileIn } from './certification/files';
import { recordCaseFeeReceipt } from './caseFeePayment';
import type { LandObligationItem, LandProperty } from '../domain/landObligations';
import type { LandPaymentEvent, LandPaymentView } from '../workflows/landPayment/types';

export interface LandPaymentActivities {
  projectLandPayment(input: { view: LandPaymentView; events: LandPaymentEvent[] }): Promise<{ applied: boolean }>;
  makeLandReceipt(input: { orderId: string }): Promise<{ receiptNo: string; documentId: string }>;
  smsLandReceipt(input: { orderId: string }): Promise<{ status: string }>;
  deliverLandReceipt(input: { orderId: string; alertAfterAttempts: number }): Promise<{ attempts: number; reference?: string }>;
  /** A case's certification fee paid online: the case's own fee receipt (activities/caseFeePayment.ts). */
  makeCaseFeeReceipt(input: { orderId: string }): Promise<{ receiptNo: string; alreadyCollected: boolean }>;
}

export interface LandPaymentDeps {
  db: DataSource;
  filesDir: string;
  sms: SmsSender;
  locality: LocalityReceipts;
  /** Where the alert's link points (PUBLIC_BASE_URL). */
  baseUrl?: string;
}

export interface LandPaymentRow {
  order_id: string;
  dossier_code: string;
  id_number: string;
  notice_number: string;
  taxpayer: string;
  items: LandObligationItem[];
  amount_vnd: string;
  property: LandProperty;
  unit_id: string;
  unit_code: string;
  locality_name: string;
  holder_id: string;
  payer_phone: string | null;
  purpose: 'land' | 'case_fee';
  txn_ref: string | null;
  paid_at: Date | null;
  receipt_no: string | null;
  receipt_document_id: string | null;
}

function attempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export function receiptFolder(orderId: string): string {
  if (!/^[A-Z0-9-]{6,40}$/.test(orderId)) throw new Error(`unsafe order id for a folder name: ${orderId}`);
  return `land/${orderId}`;
}

export function createLandPaymentActivities(deps: LandPaymentDeps): LandPaymentActivities {
  const { db } = deps;

  async function order(orderId: string): Promise<LandPaymentRow> {
    const rows: LandPaymentRow[] = await db.query(
      `select p.*, u.code as unit_code from land_payments p join units u on u.id = p.unit_id where p.order_id = $1`,
      [orderId],
    );
    if (!rows[0]) throw new Error(`no land payment ${orderId}`);
    return rows[0];
  }

  async function pdfOf(row: LandPaymentRow): Promise<Buffer> {
    return renderLandReceipt({
      receiptNo: row.receipt_no!,
      orderId: row.order_id,
      dossierCode: row.dossier_code,
      noticeNumber: row.notice_number,
      taxpayer: row.taxpayer,
      idNumber: row.id_number,
      property: row.property,
      localityName: row.locality_name,
      items: row.items,
      amountVnd: Number(row.amount_vnd),
      txnRef: row.txn_ref!,
      paidAt: row.paid_at!.toISOString(),
    });
  }

  return {
    async projectLandPayment({ view, events }) {
      return db.transaction(async (m) => {
        const units: Array<{ unit_id: string }> = await m.query('select unit_id from land_payments where order_id = $1', [view.orderId]);
        for (const e of events) {
          const inserted: unknown[] = await m.query(
            `insert into land_payment_events (order_id, seq, at, kind, data) values ($1, $2, $3, $4, $5) on conflict (order_id, seq) do nothing returning seq`,
            [view.orderId, e.seq, e.at, e.kind, JSON.stringify(e.data)],
          );
          if (inserted.length > 0) {
            await appendAudit(m, {
              at: new Date(e.at),
              actorId: null,
              actorName: null,
              unitId: units[0]?.unit_id ?? null,
              action: `land.payment.event.${e.kind}`,
              target: `land-payment:${view.orderId}`,
              outcome: 'success',
              status: null,
              details: { seq: e.seq, ...e.data },
              ip: null,
            });
          }
        }
        const rows: Array<{ version: number }> = await m.query('select version from land_payments where order_id = $1 for update', [view.orderId]);
        if (!rows[0] || rows[0].version >= view.version) return { applied: false };
        await m.query(
          `update land_payments set status = $2, txn_ref = $3, response_code = $4, paid_at = $5, ended_at = $6,
             delivery = case when delivery = 'delivered' then delivery else $7 end, version = $8 where order_id = $1`,
          [view.orderId, view.status, view.txnRef ?? null, view.responseCode ?? null, view.paidAt ?? null, view.endedAt ?? null, view.delivery, view.version],
        );
        return { applied: true };
      });
    },

    async makeLandReceipt({ orderId }) {
      let row = await order(orderId);
      if (!row.receipt_no) {
        const year = row.paid_at!.toISOString().slice(0, 4);
        // Only the first run numbers the receipt; a rerun keeps it.
        await db.query(
          `update land_payments set receipt_no = $2 || lpad(nextval('land_receipt_numbers')::text, 6, '0') where order_id = $1 and receipt_no is null`,
          [orderId, `BL-DD-${year}-`],
        );
        row = await order(orderId);
      }
      const pdf = await pdfOf(row);
      const relative = await writeFileIn(deps.filesDir, receiptFolder(orderId), 'bien-lai.pdf', pdf);
      const title = `Biên lai nghĩa vụ tài chính đất đai ${row.receipt_no} — thông báo ${row.notice_number}`;
      await db.query(
        `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
         values ($1, $2, 'land_receipt', 'citizen', $3, 'payer', $4, $5, $6, $7, $8)
         on conflict (case_code, kind, holder_kind, holder_id, path) do nothing`,
        [row.dossier_code, row.unit_id, row.holder_id, title, relative, sha256(pdf), pdf.length, row.paid_at],
      );
      const docs: Array<{ id: string }> = await db.query(
        `select id from case_documents where case_code = $1 and kind = 'land_receipt' and holder_kind = 'citizen' and holder_id = $2 and path = $3`,
        [row.dossier_code, row.holder_id, relative],
      );
      await db.query('update land_payments set receipt_document_id = $2 where order_id = $1', [orderId, docs[0]!.id]);
      await db.query(
        `insert into citizen_notifications (id_number, kind, title, body, link, created_at, dedupe_key) values ($1, 'land_receipt', $2, $3, '#/portal/giay-to', now(), $4)
         on conflict (dedupe_key) do nothing`,
        [row.holder_id, 'Đã thanh toán nghĩa vụ tài chính về đất đai', `Biên lai ${row.receipt_no}: ${formatViInteger(Number(row.amount_vnd))} đồng, hồ sơ ${row.dossier_code}, thông báo ${row.notice_number}.`, `land-receipt:${orderId}`],
      );
      return { receiptNo: row.receipt_no!, documentId: docs[0]!.id };
    },

    async smsLandReceipt({ orderId }) {
      const row = await order(orderId);
      if (!row.payer_phone) return { status: 'no-phone' };
      const text =
        row.purpose === 'case_fee'
          ? `Da thanh toan ${formatViInteger(Number(row.amount_vnd))} dong phi chung thuc ho so ${row.dossier_code}. Bien lai ${row.receipt_no} trong muc Giay to cua toi tren Cong dich vu cong.`
          : `Da thanh toan ${formatViInteger(Number(row.amount_vnd))} dong nghia vu tai chinh dat dai, ho so ${row.dossier_code}, thong bao ${row.notice_number}. ` +
            `Bien lai ${row.receipt_no} trong muc Giay to cua toi tren Cong dich vu cong.`;
      const sent = await deps.sms.send(row.payer_phone, text, 'land_receipt', { key: `land-payment:${orderId}:receipt` });
      return { status: sent.status };
    },

    async makeCaseFeeReceipt({ orderId }) {
      return recordCaseFeeReceipt(db, deps.filesDir, receiptFolder(orderId), orderId);
    },

    async deliverLandReceipt({ orderId, alertAfterAttempts }) {
      const row = await order(orderId);
      const n = attempt();
      try {
        const pdf = await readFile(resolveInFiles(deps.filesDir, `${receiptFolder(orderId)}/bien-lai.pdf`));
        const answer = await deps.locality.deliver({
          orderId,
          dossierCode: row.dossier_code,
          noticeNumber: row.notice_number,
          idNumber: row.id_number,
          taxpayer: row.taxpayer,
          amountVnd: Number(row.amount_vnd),
          txnRef: row.txn_ref!,
          paidAt: row.paid_at!.toISOString(),
          receiptNo: row.receipt_no!,
          unitCode: row.unit_code,
          receiptPdfBase64: pdf.toString('base64'),
        });
        await db.query(
          `update land_payments set delivery = 'delivered', delivery_attempts = $2, delivery_error = null, delivered_at = now(), delivery_reference = $3 where order_id = $1`,
          [orderId, n, answer.reference ?? null],
        );
        return answer.reference ? { attempts: n, reference: answer.reference } : { attempts: n };
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        await db.query(`update land_payments set delivery = 'pending', delivery_attempts = $2, delivery_error = $3 where order_id = $1`, [orderId, n, message]);
        if (n === alertAfterAttempts) {
          await raiseAlert({
            kind: 'land-obligation',
            failureKey: `land-obligation:${row.unit_code}:${row.dossier_code}`,
            unitId: row.unit_id,
            title: `Biên lai ${row.receipt_no} chưa gửi được về hệ thống của ${row.locality_name}`,
            detail: `Hồ sơ ${row.dossier_code}, thông báo ${row.notice_number}, ${formatViInteger(Number(row.amount_vnd))} đồng: ${n} lần gửi không thành công (${message}). Hệ thống vẫn tiếp tục gửi lại.`,
            ...(deps.baseUrl ? { link: `${deps.baseUrl}/#/land-payments/${orderId}` } : {}),
          });
        }
        throw err;
      }
    },
  };
}
