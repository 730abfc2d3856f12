import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Land-obligation payments (seed 003 Phụ lục 1 step d): one row per order the citizen starts for
 * one tax notice of a land dossier — the projection of its `landPayment` workflow — and its events.
 * At most one paid order per (dossier, notice); a gateway transaction reference records one
 * payment however often it is reported. The receipt joins the citizen's portal documents as a
 * case_documents row of kind 'land_receipt' keyed by the dossier code.
 *
 * The same gateway collects a certification case's fee (purpose 'case_fee', the dossier code being
 * our case code, started by the desk officer who then stands as the fee receipt's collector); its
 * receipt is the case's fee receipt, kept for the citizen as kind 'fee_receipt'.
 */
export class LandPayments1763856000033 implements MigrationInterface {
  name = 'LandPayments1763856000033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table land_payments (
        order_id text primary key,
        dossier_code text not null,
        id_number text not null,
        notice_number text not null,
        taxpayer text not null,
        items jsonb not null,
        amount_vnd bigint not null check (amount_vnd > 0),
        property jsonb not null,
        unit_id uuid not null references units (id),
        locality_name text not null,
        holder_id text not null,
        payer_phone text,
        status text not null check (status in ('created', 'paid', 'declined', 'expired')),
        txn_ref text unique,
        response_code text,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        paid_at timestamptz,
        ended_at timestamptz,
        receipt_no text unique,
        receipt_document_id uuid,
        delivery text not null default 'none' check (delivery in ('none', 'pending', 'delivered')),
        delivery_attempts int not null default 0,
        delivery_error text,
        delivered_at timestamptz,
        delivery_reference text,
        case_code text,
        purpose text not null default 'land' check (purpose in ('land', 'case_fee')),
        issued_by uuid references officers (id),
        version int not null default 0
      );
      create unique index land_payments_one_paid on land_payments (upper(dossier_code), notice_number) where status = 'paid';
      create index land_payments_unit on land_payments (unit_id, created_at desc);
      create index land_payments_holder on land_payments (holder_id, created_at desc);
      create index land_payments_dossier on land_payments (upper(dossier_code));

      create table land_payment_events (
        order_id text not null references land_payments (order_id),
        seq int not null,
        at timestamptz not null,
        kind text not null,
        data jsonb not null,
        primary key (order_id, seq)
      );

      create sequence land_receipt_numbers;

      alter table case_documents drop constraint case_documents_kind_check;
      alter table case_documents add constraint case_documents_kind_check
        check (kind in ('certified_copy', 'reception_receipt', 'apology_slip', 'refusal_notice', 'land_receipt', 'fee_receipt'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      delete from case_documents where kind in ('land_receipt', 'fee_receipt');
      alter table case_documents drop constraint case_documents_kind_check;
      alter table case_documents add constraint case_documents_kind_check check (kind in ('certified_copy', 'reception_receipt', 'apology_slip', 'refusal_notice'));
      drop sequence land_receipt_numbers;
      drop table land_payment_events;
      drop table land_payments;
    `);
  }
}
