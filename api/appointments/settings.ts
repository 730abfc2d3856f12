/**
 * What a unit offers for appointments: its slot length and capacity, the procedures it takes
 * bookings for, and the types of paper citizens pick from. Without its own row a unit has the
 * defaults (30 minutes × 2 places, the procedures of its level, the default list of papers).
 */
import { DEFAULT_SLOT_SETTINGS, type SlotSettings } from '../../domain/appointments/slots';
import { DEFAULT_PAPER_TYPES, defaultOffers, type AppointmentProcedure } from '../../domain/appointments/procedures';
import type { AppContext } from '../context';

type Db = AppContext['db'];

export interface UnitAppointmentSettings extends SlotSettings {
  offers: Record<AppointmentProcedure, boolean>;
  /** False while the unit follows the defaults. */
  own: boolean;
}

export async function appointmentSettingsOf(db: Db, unit: { id: string; level: string }): Promise<UnitAppointmentSettings> {
  const rows: Array<{ slot_minutes: number; capacity: number; offers_vn: boolean; offers_foreign: boolean }> = await db.query(
    'select slot_minutes, capacity, offers_vn, offers_foreign from appointment_settings where unit_id = $1',
    [unit.id],
  );
  const r = rows[0];
  if (!r) return { ...DEFAULT_SLOT_SETTINGS, offers: defaultOffers(unit.level), own: false };
  return { slotMinutes: r.slot_minutes, capacity: r.capacity, offers: { vn: r.offers_vn, foreign: r.offers_foreign }, own: true };
}

export async function paperTypesOf(db: Db, unitId: string): Promise<{ names: string[]; own: boolean }> {
  const rows: Array<{ name: string }> = await db.query('select name from appointment_paper_types where unit_id = $1 order by name', [unitId]);
  return rows.length > 0 ? { names: rows.map((r) => r.name), own: true } : { names: [...DEFAULT_PAPER_TYPES], own: false };
}

export interface BookableUnit {
  id: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
}

export async function bookableUnit(db: Db, unitId: string): Promise<BookableUnit | undefined> {
  const rows: BookableUnit[] = await db.query('select id, code, name, level, parent_id as "parentId" from units where id = $1', [unitId]);
  return rows[0];
}
