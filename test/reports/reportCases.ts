/**
 * Certification cases with known outcomes, written straight into the read model the workflows
 * keep (`certification_cases`) and the fee receipts: two communes over October and November
 * 2026, cases on both edges of the period, and a commune of another district outside the scope.
 * The expected figures below are worked out by hand from these rows.
 */
import type { ReportFigures } from '../../api/reports/certificationReport';
import type { DataSource } from 'typeorm';
import { createTestOfficer, type Org } from '../support/identityApp';

/** A Hà Nội wall-clock time 'YYYY-MM-DD HH:MM' as an instant. */
export function hanoi(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+07:00`);
}

interface CaseSpec {
  code: string;
  unitId: string;
  status: 'receiving' | 'signing' | 'sealing' | 'delivering' | 'completed' | 'refused' | 'withdrawn';
  receivedAt: string;
  dueAt: string;
  closedAt?: string;
  resultAt?: string;
  onTime?: boolean;
  copies?: number;
  feeVnd?: number;
}

interface ReceiptSpec {
  code: string;
  unitId: string;
  amountVnd: number;
  collectedAt: string;
}

export interface ReportWorld {
  /** A commune of another district, outside the scope of the district's officers. */
  otherCommune: string;
  cashier: string;
}

async function insertUnit(db: DataSource, code: string, name: string, level: string, parentId: string | null): Promise<string> {
  const parentPath: Array<{ path: string }> = parentId ? await db.query('select path from units where id = $1', [parentId]) : [];
  const rows: Array<{ id: string }> = await db.query(`insert into units (code, name, level, parent_id, path) values ($1, $2, $3, $4, '') returning id`, [
    code,
    name,
    level,
    parentId,
  ]);
  const id = rows[0].id;
  await db.query('update units set path = $2 where id = $1', [id, `${parentPath[0]?.path ?? '/'}${id}/`]);
  return id;
}

async function insertCase(db: DataSource, receivedBy: string, c: CaseSpec): Promise<void> {
  const open = !['completed', 'refused', 'withdrawn'].includes(c.status);
  await db.query(
    `insert into certification_cases (case_code, unit_id, status, step, received_by, received_at, overall_due_at, citizen_name, citizen_id,
       fee_vnd, closed_at, view, updated_at, version, copies, result_at, on_time)
     values ($1, $2, $3, $4, $5, $6, $7, 'Giàng A Páo', '012090001234', $8, $9, '{}'::jsonb, $6, 1, $10, $11, $12)`,
    [
      c.code,
      c.unitId,
      c.status,
      open ? { receiving: 'receive', signing: 'sign', sealing: 'seal', delivering: 'deliver' }[c.status as 'receiving'] : null,
      receivedBy,
      hanoi(c.receivedAt),
      hanoi(c.dueAt),
      c.feeVnd ?? 0,
      c.closedAt ? hanoi(c.closedAt) : null,
      c.copies ?? 0,
      c.resultAt ? hanoi(c.resultAt) : null,
      c.onTime ?? null,
    ],
  );
}

async function insertReceipt(db: DataSource, cashier: string, r: ReceiptSpec, seq: number): Promise<void> {
  await db.query(
    `insert into fee_receipts (case_code, unit_id, year, seq, receipt_no, amount_vnd, method, payer_name, collected_by, collected_at)
     values ($1, $2, 2026, $3, $4, $5, 'cash', 'Giàng A Páo', $6, $7)`,
    [r.code, r.unitId, seq, `BL-2026-${String(seq).padStart(6, '0')}`, r.amountVnd, cashier, hanoi(r.collectedAt)],
  );
}

export async function seedReportCases(db: DataSource, org: Org): Promise<ReportWorld> {
  const province = await insertUnit(db, '000.00.00.H36', 'UBND tỉnh Điện Biên', 'province', null);
  const district = await insertUnit(db, '000.00.44.H36', 'UBND huyện Mường Chà', 'district', province);
  const otherCommune = await insertUnit(db, '000.20.44.H36', 'UBND xã Sa Lông', 'commune', district);
  const cashier = await createTestOfficer(db, { username: 'thu.ngan', fullName: 'Lường Thị Thu', rights: ['CERT_CREATE'], unitIds: [org.deskA] });
  const A = org.communeA;
  const B = org.communeB;
  const cases: CaseSpec[] = [
    // Nùng Năng
    { code: 'A1', unitId: A, status: 'completed', receivedAt: '2026-10-05 09:00', dueAt: '2026-10-05 17:00', resultAt: '2026-10-05 15:00', closedAt: '2026-10-05 15:00', onTime: true, copies: 2 },
    { code: 'A2', unitId: A, status: 'completed', receivedAt: '2026-10-30 16:00', dueAt: '2026-10-30 17:00', resultAt: '2026-11-02 10:00', closedAt: '2026-11-02 10:00', onTime: false, copies: 3 },
    { code: 'A3', unitId: A, status: 'refused', receivedAt: '2026-11-10 08:30', dueAt: '2026-11-10 17:00', closedAt: '2026-11-10 09:00' },
    { code: 'A4', unitId: A, status: 'withdrawn', receivedAt: '2026-11-20 10:00', dueAt: '2026-11-20 17:00', closedAt: '2026-11-21 08:00' },
    { code: 'A5', unitId: A, status: 'signing', receivedAt: '2026-11-30 16:30', dueAt: '2026-12-01 17:00' },
    { code: 'A6', unitId: A, status: 'receiving', receivedAt: '2026-11-30 23:30', dueAt: '2026-12-01 17:00' },
    // The result is out but the case not yet closed: completed all the same.
    { code: 'A7', unitId: A, status: 'delivering', receivedAt: '2026-11-25 09:00', dueAt: '2026-11-25 17:00', resultAt: '2026-11-25 14:00', onTime: true, copies: 1 },
    // Closed before the read model kept results: completed at closed_at, late against its deadline.
    { code: 'A8', unitId: A, status: 'completed', receivedAt: '2026-10-12 09:00', dueAt: '2026-10-13 17:00', closedAt: '2026-10-14 10:00', copies: 1 },
    // Received the minute before the period, completed inside it.
    { code: 'A-EDGE', unitId: A, status: 'completed', receivedAt: '2026-09-30 23:59', dueAt: '2026-10-01 17:00', resultAt: '2026-10-01 08:30', closedAt: '2026-10-01 08:30', onTime: true, copies: 1 },
    // Received at the first instant after the period.
    { code: 'A9', unitId: A, status: 'receiving', receivedAt: '2026-12-01 00:00', dueAt: '2026-12-01 17:00' },
    { code: 'A10', unitId: A, status: 'completed', receivedAt: '2026-08-03 09:00', dueAt: '2026-08-03 17:00', resultAt: '2026-08-03 11:00', closedAt: '2026-08-03 11:00', onTime: true, copies: 5 },
    // Open since before the period: open at the end of both months, received in neither.
    { code: 'A11', unitId: A, status: 'sealing', receivedAt: '2026-09-15 09:00', dueAt: '2026-09-15 17:00' },
    // Bản Bo
    { code: 'B1', unitId: B, status: 'completed', receivedAt: '2026-10-07 09:00', dueAt: '2026-10-07 17:00', resultAt: '2026-10-08 08:30', closedAt: '2026-10-08 08:30', onTime: true, copies: 4 },
    { code: 'B2', unitId: B, status: 'completed', receivedAt: '2026-11-03 09:00', dueAt: '2026-11-03 17:00', resultAt: '2026-11-04 09:00', closedAt: '2026-11-04 09:00', onTime: false, copies: 1 },
    { code: 'B3', unitId: B, status: 'refused', receivedAt: '2026-11-28 09:00', dueAt: '2026-11-30 17:00', closedAt: '2026-12-02 09:00' },
    // Another district
    { code: 'C1', unitId: otherCommune, status: 'completed', receivedAt: '2026-10-10 09:00', dueAt: '2026-10-10 17:00', resultAt: '2026-10-10 10:00', closedAt: '2026-10-10 10:00', onTime: true, copies: 9 },
  ];
  const officer = cashier;
  for (const c of cases) await insertCase(db, officer, c);
  const receipts: ReceiptSpec[] = [
    { code: 'A1', unitId: A, amountVnd: 4000, collectedAt: '2026-10-05 09:10' },
    { code: 'A2', unitId: A, amountVnd: 7000, collectedAt: '2026-10-30 16:10' },
    { code: 'A5', unitId: A, amountVnd: 2000, collectedAt: '2026-11-30 16:40' },
    { code: 'A8', unitId: A, amountVnd: 1000, collectedAt: '2026-12-01 00:10' },
    { code: 'A10', unitId: A, amountVnd: 2000, collectedAt: '2026-08-03 09:05' },
    { code: 'B1', unitId: B, amountVnd: 10000, collectedAt: '2026-10-07 09:05' },
    { code: 'B3', unitId: B, amountVnd: 3000, collectedAt: '2026-12-02 08:00' },
    { code: 'C1', unitId: otherCommune, amountVnd: 5000, collectedAt: '2026-10-10 09:05' },
  ];
  for (const [i, r] of receipts.entries()) await insertReceipt(db, cashier, r, i + 1);
  return { otherCommune, cashier };
}

type Figures = ReportFigures;

function figures(f: Omit<Figures, 'onTimeRate'>): Figures {
  return { ...f, onTimeRate: f.completed === 0 ? null : f.completedOnTime / f.completed };
}

/** [2026-10-01, 2026-12-01), whole period. */
export const EXPECTED = {
  communeA: figures({ received: 8, completed: 5, completedOnTime: 3, completedLate: 2, refused: 1, withdrawn: 1, openAtEnd: 3, copiesIssued: 8, feeReceipts: 3, feesCollectedVnd: 13000 }),
  communeB: figures({ received: 3, completed: 2, completedOnTime: 1, completedLate: 1, refused: 0, withdrawn: 0, openAtEnd: 1, copiesIssued: 5, feeReceipts: 1, feesCollectedVnd: 10000 }),
  total: figures({ received: 11, completed: 7, completedOnTime: 4, completedLate: 3, refused: 1, withdrawn: 1, openAtEnd: 4, copiesIssued: 13, feeReceipts: 4, feesCollectedVnd: 23000 }),
  october: {
    communeA: figures({ received: 3, completed: 3, completedOnTime: 2, completedLate: 1, refused: 0, withdrawn: 0, openAtEnd: 2, copiesIssued: 4, feeReceipts: 2, feesCollectedVnd: 11000 }),
    communeB: figures({ received: 1, completed: 1, completedOnTime: 1, completedLate: 0, refused: 0, withdrawn: 0, openAtEnd: 0, copiesIssued: 4, feeReceipts: 1, feesCollectedVnd: 10000 }),
    all: figures({ received: 4, completed: 4, completedOnTime: 3, completedLate: 1, refused: 0, withdrawn: 0, openAtEnd: 2, copiesIssued: 8, feeReceipts: 3, feesCollectedVnd: 21000 }),
  },
  november: {
    communeA: figures({ received: 5, completed: 2, completedOnTime: 1, completedLate: 1, refused: 1, withdrawn: 1, openAtEnd: 3, copiesIssued: 4, feeReceipts: 1, feesCollectedVnd: 2000 }),
    communeB: figures({ received: 2, completed: 1, completedOnTime: 0, completedLate: 1, refused: 0, withdrawn: 0, openAtEnd: 1, copiesIssued: 1, feeReceipts: 0, feesCollectedVnd: 0 }),
    all: figures({ received: 7, completed: 3, completedOnTime: 1, completedLate: 2, refused: 1, withdrawn: 1, openAtEnd: 4, copiesIssued: 5, feeReceipts: 1, feesCollectedVnd: 2000 }),
  },
};
