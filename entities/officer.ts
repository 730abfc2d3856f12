import { EntitySchema } from 'typeorm';
import type { Right } from '../domain/rights';

export type OfficerStatus = 'active' | 'inactive';

/** An officer user (công chức). `username` is stored lower-case. */
export interface Officer {
  id: string;
  username: string;
  fullName: string;
  citizenId: string;
  phone: string | null;
  email: string | null;
  /** Chức danh, e.g. "Phó Chủ tịch UBND xã": the certification block names the signer with it. */
  jobTitle: string | null;
  status: OfficerStatus;
  passwordHash: string;
  passwordChangedAt: Date;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
  createdBy: string | null;
}

export interface OfficerUnit {
  officerId: string;
  unitId: string;
  assignedAt: Date;
  assignedBy: string | null;
}

export interface OfficerRight {
  officerId: string;
  right: Right;
  grantedAt: Date;
  grantedBy: string | null;
}

export const OfficerEntity = new EntitySchema<Officer>({
  name: 'Officer',
  tableName: 'officers',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    username: { type: 'text', unique: true },
    fullName: { type: 'text', name: 'full_name' },
    citizenId: { type: 'text', name: 'citizen_id', unique: true },
    phone: { type: 'text', nullable: true },
    email: { type: 'text', nullable: true },
    jobTitle: { type: 'text', name: 'job_title', nullable: true },
    status: { type: 'text' },
    passwordHash: { type: 'text', name: 'password_hash' },
    passwordChangedAt: { type: 'timestamptz', name: 'password_changed_at' },
    failedLogins: { type: 'int', name: 'failed_logins' },
    lockedUntil: { type: 'timestamptz', name: 'locked_until', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    createdBy: { type: 'uuid', name: 'created_by', nullable: true },
  },
});

export const OfficerUnitEntity = new EntitySchema<OfficerUnit>({
  name: 'OfficerUnit',
  tableName: 'officer_units',
  columns: {
    officerId: { type: 'uuid', name: 'officer_id', primary: true },
    unitId: { type: 'uuid', name: 'unit_id', primary: true },
    assignedAt: { type: 'timestamptz', name: 'assigned_at' },
    assignedBy: { type: 'uuid', name: 'assigned_by', nullable: true },
  },
});

export const OfficerRightEntity = new EntitySchema<OfficerRight>({
  name: 'OfficerRight',
  tableName: 'officer_rights',
  columns: {
    officerId: { type: 'uuid', name: 'officer_id', primary: true },
    right: { type: 'text', name: 'right_code', primary: true },
    grantedAt: { type: 'timestamptz', name: 'granted_at' },
    grantedBy: { type: 'uuid', name: 'granted_by', nullable: true },
  },
});
