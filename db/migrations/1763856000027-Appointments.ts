import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appointments (seed 001 part II, SPEC D).
 *
 * appointment_settings: a unit's slot length and capacity, and which of the two procedures it
 * offers (no row: 30 minutes × 2, and what its level offers by default — domain/appointments).
 * appointment_paper_types: the types of paper a unit lists for booking (none: the default list).
 * appointments: one row per appointment — the list projection of its workflow (status, view,
 * version) and its slot reservation (`holds_slot`), with the booking's idempotency key per account.
 * appointment_slots: the places taken in each slot; a booking or a move takes one only while fewer
 * than the capacity are taken (one UPDATE, so concurrent bookings cannot overfill a slot).
 * appointment_events: every change of an appointment, as its workflow records it.
 */
export class Appointments1763856000027 implements MigrationInterface {
  name = 'Appointments1763856000027';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table appointment_settings (
        unit_id uuid primary key references units (id),
        slot_minutes int not null check (slot_minutes in (15, 20, 30, 45, 60)),
        capacity int not null check (capacity between 1 and 20),
        offers_vn boolean not null,
        offers_foreign boolean not null,
        updated_at timestamptz not null,
        updated_by uuid references officers (id)
      );

      create table appointment_paper_types (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references units (id),
        name text not null check (length(name) between 1 and 200),
        created_at timestamptz not null,
        unique (unit_id, name)
      );

      create table appointments (
        code text primary key,
        unit_id uuid not null references units (id),
        procedure text not null check (procedure in ('vn', 'foreign')),
        paper_type text not null,
        citizen_account_id uuid not null,
        citizen_id_number text not null,
        citizen_name text not null,
        slot_start timestamptz not null,
        slot_end timestamptz not null,
        holds_slot boolean not null default true,
        status text not null check (status in ('booked', 'checked_in', 'received', 'attended', 'cancelled', 'no_show')),
        needs_reschedule boolean not null default false,
        case_code text,
        request_key text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version int not null default 0,
        view jsonb,
        unique (citizen_account_id, request_key)
      );
      create index appointments_unit_slot on appointments (unit_id, slot_start);
      create index appointments_citizen on appointments (citizen_account_id, slot_start desc);

      create table appointment_slots (
        unit_id uuid not null references units (id),
        slot_start timestamptz not null,
        booked int not null default 0 check (booked >= 0),
        primary key (unit_id, slot_start)
      );

      create table appointment_events (
        code text not null references appointments (code),
        seq int not null,
        at timestamptz not null,
        kind text not null,
        data jsonb not null,
        primary key (code, seq)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table appointment_events, appointment_slots, appointments, appointment_paper_types, appointment_settings');
  }
}
