import { EntitySchema } from 'typeorm';

export type AuditOutcome = 'success' | 'refused' | 'error';

/**
 * One line of the append-only audit trail. `hash` = SHA-256 over `prevHash` and the entry's
 * canonical content, so changing or removing a row breaks every later link.
 */
export interface AuditEntry {
  seq: string;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  unitId: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  status: number | null;
  details: Record<string, unknown>;
  ip: string | null;
  prevHash: string;
  hash: string;
}

export const AuditEntryEntity = new EntitySchema<AuditEntry>({
  name: 'AuditEntry',
  tableName: 'audit_log',
  columns: {
    seq: { type: 'bigint', primary: true },
    at: { type: 'timestamptz' },
    actorId: { type: 'uuid', name: 'actor_id', nullable: true },
    actorName: { type: 'text', name: 'actor_name', nullable: true },
    unitId: { type: 'uuid', name: 'unit_id', nullable: true },
    action: { type: 'text' },
    target: { type: 'text', nullable: true },
    outcome: { type: 'text' },
    status: { type: 'int', nullable: true },
    details: { type: 'jsonb' },
    ip: { type: 'text', nullable: true },
    prevHash: { type: 'text', name: 'prev_hash' },
    hash: { type: 'text' },
  },
});
