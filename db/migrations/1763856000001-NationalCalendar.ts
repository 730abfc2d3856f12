import type { MigrationInterface, QueryRunner } from 'typeorm';
import { VIETNAM_HOLIDAYS, VIETNAM_SWAPPED_WORKING_DAYS } from '../../domain/calendar/vietnam-holidays';

/**
 * The national schedule 2025–2027 (public holidays, compensatory days off, swapped working
 * Saturdays) as national rows (unit_id null), provisional flags kept. Admins edit the stored rows
 * afterwards; this migration only seeds them. It reads domain/calendar/vietnam-holidays.ts, so a
 * correction made there later reaches new databases only: existing ones need a new migration
 * (or the admin API) for the same change.
 */
export class NationalCalendar1763856000001 implements MigrationInterface {
  name = 'NationalCalendar1763856000001';

  async up(q: QueryRunner): Promise<void> {
    // A date an admin already filled in nationally keeps the admin's entry.
    await q.query(
      `insert into calendar_holidays (date, name, kind, unit_id, provisional)
       select d, n, k, null, p from unnest($1::date[], $2::text[], $3::text[], $4::boolean[]) as t(d, n, k, p)
       on conflict do nothing`,
      [
        VIETNAM_HOLIDAYS.map((h) => h.date),
        VIETNAM_HOLIDAYS.map((h) => h.name),
        VIETNAM_HOLIDAYS.map((h) => h.kind),
        VIETNAM_HOLIDAYS.map((h) => h.provisional === true),
      ],
    );
    await q.query(
      `insert into calendar_working_days (date, name, hours, unit_id, provisional)
       select d, n, h, null, p from unnest($1::date[], $2::text[], $3::jsonb[], $4::boolean[]) as t(d, n, h, p)
       on conflict do nothing`,
      [
        VIETNAM_SWAPPED_WORKING_DAYS.map((w) => w.date),
        VIETNAM_SWAPPED_WORKING_DAYS.map((w) => w.name),
        VIETNAM_SWAPPED_WORKING_DAYS.map((w) => (w.hours ? JSON.stringify(w.hours) : null)),
        VIETNAM_SWAPPED_WORKING_DAYS.map((w) => w.provisional === true),
      ],
    );
  }

  /** Removes the seeded national rows (same date and name); units' own entries and national rows an admin added stay. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `delete from calendar_holidays c using unnest($1::date[], $2::text[]) as t(d, n)
       where c.unit_id is null and c.date = t.d and c.name = t.n`,
      [VIETNAM_HOLIDAYS.map((h) => h.date), VIETNAM_HOLIDAYS.map((h) => h.name)],
    );
    await q.query(
      `delete from calendar_working_days c using unnest($1::date[], $2::text[]) as t(d, n)
       where c.unit_id is null and c.date = t.d and c.name = t.n`,
      [VIETNAM_SWAPPED_WORKING_DAYS.map((w) => w.date), VIETNAM_SWAPPED_WORKING_DAYS.map((w) => w.name)],
    );
  }
}
