import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fee receipts (biên lai thu phí chứng thực): one per case, recording the amount (the case's fee
 * as computed at reception), how it was paid, who paid, and which officer collected it when.
 * Receipt numbers `BL-<year>-<sequence>` run per commune and Hà Nội year; the sequence comes from
 * fee_receipt_counters, advanced by an upsert that keeps the row locked until the receipt itself
 * is written in the same transaction, so numbers are unique and a failed receipt leaves no gap.
 */
export class FeeReceipts1763856000011 implements MigrationInterface {
  name = 'FeeReceipts1763856000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table fee_receipt_counters (
        unit_id uuid not null references units (id),
        year int not null check (year between 2000 and 9999),
        last_seq int not null check (last_seq >= 1),
        primary key (unit_id, year)
      );

      create table fee_receipts (
        id uuid primary key default gen_random_uuid(),
        case_code text not null unique,
        unit_id uuid not null references units (id),
        year int not null,
        seq int not null check (seq >= 1),
        receipt_no text not null,
        amount_vnd int not null check (amount_vnd >= 0),
        method text not null check (method in ('cash', 'transfer')),
        payer_name text not null,
        collected_by uuid not null references officers (id),
        collected_at timestamptz not null,
        note text,
        unique (unit_id, year, seq),
        unique (unit_id, receipt_no)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table fee_receipts;
      drop table fee_receipt_counters;
    `);
  }
}
