import { EntitySchema } from 'typeorm';

/**
 * One electronic certification book (sổ chứng thực điện tử) of a unit for a calendar year:
 * `nextSeq` is the next number it will issue; `template` writes the numbers (fixed for the book
 * once it exists, so every number of one book reads alike).
 */
export interface CertificationBook {
  unitId: string;
  year: number;
  book: string;
  template: string;
  nextSeq: number;
  createdAt: Date;
}

/** A certification number issued to a case; rows are append-only (enforced by a trigger). */
export interface CertificationNumberRecord {
  unitId: string;
  year: number;
  book: string;
  seq: number;
  number: string;
  caseCode: string;
  sealedAt: Date;
  assignedAt: Date;
  assignedBy: string | null;
}

export const CertificationBookEntity = new EntitySchema<CertificationBook>({
  name: 'CertificationBook',
  tableName: 'certification_books',
  columns: {
    unitId: { type: 'uuid', name: 'unit_id', primary: true },
    year: { type: 'int', primary: true },
    book: { type: 'text', primary: true },
    template: { type: 'text' },
    nextSeq: { type: 'int', name: 'next_seq' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

export const CertificationNumberEntity = new EntitySchema<CertificationNumberRecord>({
  name: 'CertificationNumber',
  tableName: 'certification_numbers',
  columns: {
    unitId: { type: 'uuid', name: 'unit_id', primary: true },
    year: { type: 'int', primary: true },
    book: { type: 'text', primary: true },
    seq: { type: 'int', primary: true },
    number: { type: 'text' },
    caseCode: { type: 'text', name: 'case_code', unique: true },
    sealedAt: { type: 'timestamptz', name: 'sealed_at' },
    assignedAt: { type: 'timestamptz', name: 'assigned_at' },
    assignedBy: { type: 'uuid', name: 'assigned_by', nullable: true },
  },
});
