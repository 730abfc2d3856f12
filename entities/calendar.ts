import { EntitySchema } from 'typeorm';
import type { HolidayKind, OfficeHours, TimeInterval } from '../domain/calendar';

/** A unit's own office hours; units without a row use the default (Mon–Fri 08–12, 13–17). */
export interface UnitOfficeHours {
  unitId: string;
  hours: OfficeHours;
  updatedAt: Date;
  updatedBy: string | null;
}

/** A day off. `unitId` null: national (applies to every unit). */
export interface CalendarHoliday {
  id: string;
  date: string;
  name: string;
  kind: HolidayKind;
  unitId: string | null;
  provisional: boolean;
}

/** A day worked although it would be off (a working Saturday). */
export interface CalendarWorkingDay {
  id: string;
  date: string;
  name: string;
  hours: TimeInterval[] | null;
  unitId: string | null;
  provisional: boolean;
}

export const UnitOfficeHoursEntity = new EntitySchema<UnitOfficeHours>({
  name: 'UnitOfficeHours',
  tableName: 'unit_office_hours',
  columns: {
    unitId: { type: 'uuid', name: 'unit_id', primary: true },
    hours: { type: 'jsonb' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
    updatedBy: { type: 'uuid', name: 'updated_by', nullable: true },
  },
});

export const CalendarHolidayEntity = new EntitySchema<CalendarHoliday>({
  name: 'CalendarHoliday',
  tableName: 'calendar_holidays',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    date: { type: 'date' },
    name: { type: 'text' },
    kind: { type: 'text' },
    unitId: { type: 'uuid', name: 'unit_id', nullable: true },
    provisional: { type: 'boolean' },
  },
});

export const CalendarWorkingDayEntity = new EntitySchema<CalendarWorkingDay>({
  name: 'CalendarWorkingDay',
  tableName: 'calendar_working_days',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    date: { type: 'date' },
    name: { type: 'text' },
    hours: { type: 'jsonb', nullable: true },
    unitId: { type: 'uuid', name: 'unit_id', nullable: true },
    provisional: { type: 'boolean' },
  },
});
