/**
 * Certification numbers (số chứng thực), issued at the seal step: unique and gap-free per unit,
 * calendar year (Hà Nội time of the sealing instant) and electronic book, and issued exactly
 * once per case however often the activity runs.
 *
 * Exactly once: the number and the case code are written in the same transaction that takes the
 * number, and the case code is unique. A run that finds its case already numbered (a retry, or a
 * worker that died after committing but before reporting) returns that number unchanged.
 *
 * Gap-free: the book's counter is advanced by an upsert that holds the row lock until commit, so
 * concurrent seals of one book queue up on that row; anything that fails before commit (bad
 * template, lost connection, a concurrent run for the same case) rolls the counter back with it.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { localDayIndex, ymdFromDayIndex } from '../domain/calendar/localTime';
import {
  compileCertificationNumberTemplate,
  DEFAULT_CERTIFICATION_NUMBER_TEMPLATE,
  formatCertificationNumber,
} from '../domain/certificationNumber';
import { bilingual, DomainError, formatBilingual, type BilingualMessage } from '../domain/messages';

/** The electronic book of certified copies from originals (sổ chứng thực bản sao điện tử). */
export const DEFAULT_CERTIFICATION_BOOK = 'SCTĐT/BS';

/** The template a new book gets when the caller names none: the book's code follows the year. */
export function defaultTemplateFor(book: string): string {
  return book === DEFAULT_CERTIFICATION_BOOK ? DEFAULT_CERTIFICATION_NUMBER_TEMPLATE : '{seq}/{year}-{book}';
}

/** `type` of the non-retryable failures this module raises (for workflows and retry policies). */
export const NUMBERING_FAILURES = {
  invalidInput: 'CertificationNumberInvalidInput',
  unitNotFound: 'CertificationNumberUnitNotFound',
  officerNotFound: 'CertificationNumberOfficerNotFound',
  caseNumberedElsewhere: 'CertificationNumberCaseElsewhere',
  cannotFormat: 'CertificationNumberCannotFormat',
} as const;

export interface AssignCertificationNumberInput {
  caseCode: string;
  unitId: string;
  /** Book code; default {@link DEFAULT_CERTIFICATION_BOOK}. */
  book?: string;
  /** Template for a book opened by this call; an existing book keeps its own. */
  template?: string;
  /** ISO instant of sealing, decided by the workflow (so every retry sends the same one). */
  sealedAt: string;
  /** Officer who sealed (officers.id). */
  sealedBy?: string | null;
}

export interface AssignedCertificationNumber {
  number: string;
  seq: number;
  year: number;
  book: string;
  assignedAt: string;
}

const required = (missing: string, wrong: string) => (issue: { input?: unknown }) => (issue.input === undefined ? missing : wrong);

const bookCode = z
  .string({ error: 'mã sổ (book) phải là chuỗi' })
  .transform((s) => s.trim().normalize('NFC'))
  .pipe(
    z
      .string()
      .min(1, { error: 'mã sổ (book) không được để trống' })
      .max(50, { error: 'mã sổ (book) dài tối đa 50 ký tự' })
      .refine((s) => !/[{}]/.test(s), { error: 'mã sổ (book) không được chứa dấu { }' }),
  );

const AssignInput = z.object({
  caseCode: z
    .string({ error: required('thiếu mã hồ sơ (caseCode)', 'mã hồ sơ (caseCode) phải là chuỗi') })
    .transform((s) => s.trim().normalize('NFC'))
    .pipe(z.string().min(1, { error: 'mã hồ sơ (caseCode) không được để trống' }).max(100, { error: 'mã hồ sơ (caseCode) dài tối đa 100 ký tự' })),
  unitId: z.uuid({ error: required('thiếu mã đơn vị (unitId)', 'mã đơn vị (unitId) phải là UUID') }),
  book: bookCode.optional(),
  template: z
    .string({ error: 'mẫu số chứng thực (template) phải là chuỗi' })
    .optional()
    .superRefine((t, ctx) => {
      if (t === undefined) return;
      const check = compileCertificationNumberTemplate(t);
      if (!check.ok) ctx.addIssue({ code: 'custom', message: check.messages.vi });
    }),
  sealedAt: z.iso
    .datetime({ offset: true, error: required('thiếu thời điểm đóng dấu (sealedAt)', 'thời điểm đóng dấu (sealedAt) phải là thời điểm ISO 8601 có múi giờ, ví dụ 2026-11-23T09:00:00+07:00') })
    .refine((s) => {
      const instant = Date.parse(s);
      if (Number.isNaN(instant)) return true; // already reported by the format check
      const year = hanoiYear(instant);
      return year >= 2000 && year <= 2100;
    }, { error: 'thời điểm đóng dấu (sealedAt) phải thuộc các năm 2000–2100' }),
  sealedBy: z.uuid({ error: 'người đóng dấu (sealedBy) phải là mã cán bộ (UUID)' }).nullish(),
});

/** Calendar year in Viet Nam (UTC+7, no daylight saving) of an instant. */
export function hanoiYear(instant: number): number {
  return ymdFromDayIndex(localDayIndex(instant)).year;
}

function nonRetryable(type: string, message: BilingualMessage, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.nonRetryable(formatBilingual(message), type, { ...message, ...details });
}

function parseAssignInput(value: unknown): z.infer<typeof AssignInput> {
  const r = AssignInput.safeParse(value);
  if (r.success) return r.data;
  const list = r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
  throw nonRetryable(NUMBERING_FAILURES.invalidInput, bilingual(`Không cấp được số chứng thực, dữ liệu không hợp lệ — ${list}`, `Cannot assign a certification number, invalid input — ${list}`), {
    issues: r.error.issues.map((i) => ({ field: i.path.join('.'), problem: i.message })),
  });
}

interface NumberRow {
  unit_id: string;
  year: number;
  book: string;
  seq: number;
  number: string;
  case_code: string;
  sealed_at: Date;
  assigned_at: Date;
  assigned_by: string | null;
}

const NUMBER_COLUMNS = 'unit_id, year, book, seq, number, case_code, sealed_at, assigned_at, assigned_by';

function toAssigned(row: NumberRow): AssignedCertificationNumber {
  return { number: row.number, seq: row.seq, year: row.year, book: row.book, assignedAt: row.assigned_at.toISOString() };
}

async function numberOfCase(runner: QueryRunner, caseCode: string): Promise<NumberRow | undefined> {
  const rows: NumberRow[] = await runner.query(`select ${NUMBER_COLUMNS} from certification_numbers where case_code = $1`, [caseCode]);
  return rows[0];
}

/** The case's existing number, provided it was issued for the same unit and book. */
function alreadyAssigned(row: NumberRow, unitId: string, book: string): AssignedCertificationNumber {
  if (row.unit_id !== unitId || row.book !== book) {
    throw nonRetryable(
      NUMBERING_FAILURES.caseNumberedElsewhere,
      bilingual(
        `Hồ sơ ${row.case_code} đã được cấp số chứng thực ${row.number} ở một đơn vị hoặc sổ khác; không thể cấp thêm số`,
        `Case ${row.case_code} already holds certification number ${row.number} in another unit or book; no second number is issued`,
      ),
      { caseCode: row.case_code, number: row.number },
    );
  }
  return toAssigned(row);
}

function isPgError(err: unknown, code: string): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === code || e?.driverError?.code === code;
}

export interface NumberingActivities {
  assignCertificationNumber(input: AssignCertificationNumberInput): Promise<AssignedCertificationNumber>;
}

/** `now` stamps `assigned_at` (the clock is injected so tests control it). */
export function createNumberingActivities(db: DataSource, now: () => Date): NumberingActivities {
  return {
    async assignCertificationNumber(raw) {
      const input = parseAssignInput(raw);
      const book = input.book ?? DEFAULT_CERTIFICATION_BOOK;
      const year = hanoiYear(Date.parse(input.sealedAt));
      const runner = db.createQueryRunner();
      try {
        await runner.connect();
        await runner.startTransaction('READ COMMITTED');
        const existing = await numberOfCase(runner, input.caseCode);
        if (existing) {
          await runner.commitTransaction();
          return alreadyAssigned(existing, input.unitId, book);
        }

        const units: Array<{ code: string }> = await runner.query('select code from units where id = $1', [input.unitId]);
        if (units.length === 0) {
          throw nonRetryable(NUMBERING_FAILURES.unitNotFound, bilingual(`Không tìm thấy đơn vị ${input.unitId} để cấp số chứng thực`, `Unit ${input.unitId} not found`), {
            unitId: input.unitId,
          });
        }

        // Takes the book's next number and keeps the row locked until commit or rollback.
        const taken: Array<{ seq: number; template: string }> = await runner.query(
          `insert into certification_books (unit_id, year, book, template, next_seq, created_at)
           values ($1, $2, $3, $4, 2, $5)
           on conflict (unit_id, year, book) do update set next_seq = certification_books.next_seq + 1
           returning next_seq - 1 as seq, template`,
          [input.unitId, year, book, input.template ?? defaultTemplateFor(book), now()],
        );
        const { seq, template } = taken[0];

        let number: string;
        try {
          number = formatCertificationNumber({ seq, year, unitCode: units[0].code, book }, template);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          throw nonRetryable(
            NUMBERING_FAILURES.cannotFormat,
            bilingual(`Không viết được số chứng thực theo mẫu "${template}" của sổ ${book}: ${err.messages.vi}`, `Cannot write the number with template "${template}" of book ${book}: ${err.messages.en}`),
            { template, book },
          );
        }

        // A concurrent run for the same case that committed first wins; ours then takes nothing.
        const inserted: NumberRow[] = await runner.query(
          `insert into certification_numbers (${NUMBER_COLUMNS})
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           on conflict (case_code) do nothing
           returning ${NUMBER_COLUMNS}`,
          [input.unitId, year, book, seq, number, input.caseCode, input.sealedAt, now(), input.sealedBy ?? null],
        );
        if (inserted.length === 0) {
          await runner.rollbackTransaction();
          const winner = await numberOfCase(runner, input.caseCode);
          if (!winner) throw new Error(`certification number of case ${input.caseCode} vanished after a conflict`);
          return alreadyAssigned(winner, input.unitId, book);
        }
        await runner.commitTransaction();
        return toAssigned(inserted[0]);
      } catch (err) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        // A foreign key can only miss the sealing officer (or a unit removed since the check above).
        if (isPgError(err, '23503') && input.sealedBy) {
          throw nonRetryable(NUMBERING_FAILURES.officerNotFound, bilingual(`Không tìm thấy cán bộ đóng dấu ${input.sealedBy ?? ''}`, `Sealing officer ${input.sealedBy ?? ''} not found`), {
            sealedBy: input.sealedBy ?? null,
          });
        }
        throw err;
      } finally {
        await runner.release();
      }
    },
  };
}

export interface RegisterQuery {
  unitId: string;
  year: number;
  book?: string;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface RegisterEntry {
  seq: number;
  number: string;
  caseCode: string;
  sealedAt: string;
  assignedAt: string;
  assignedBy: string | null;
}

export interface RegisterPage {
  unitId: string;
  year: number;
  book: string;
  /** Null while the book has issued no number. */
  template: string | null;
  /** Numbers issued so far; gap-free, so also the last sequence. */
  total: number;
  page: number;
  pageSize: number;
  items: RegisterEntry[];
}

export const REGISTER_MAX_PAGE_SIZE = 500;

const RegisterQuerySchema = z.object({
  unitId: z.uuid({ error: 'mã đơn vị (unitId) phải là UUID' }),
  year: z.int({ error: 'năm (year) phải là số nguyên' }).min(1000, { error: 'năm (year) phải có 4 chữ số' }).max(9999, { error: 'năm (year) phải có 4 chữ số' }),
  book: bookCode.optional(),
  page: z.int({ error: 'trang (page) phải là số nguyên' }).min(1, { error: 'trang (page) bắt đầu từ 1' }).optional(),
  pageSize: z
    .int({ error: 'số dòng mỗi trang (pageSize) phải là số nguyên' })
    .min(1, { error: 'số dòng mỗi trang (pageSize) phải từ 1' })
    .max(REGISTER_MAX_PAGE_SIZE, { error: `số dòng mỗi trang (pageSize) tối đa ${REGISTER_MAX_PAGE_SIZE}` })
    .optional(),
});

/**
 * One page of a book's register (sổ chứng thực), in issuing order. Unit scope is the caller's
 * business; a bad query throws a DomainError with code INVALID_REGISTER_QUERY.
 */
export async function listRegister(db: DataSource, query: RegisterQuery): Promise<RegisterPage> {
  const parsed = RegisterQuerySchema.safeParse(query);
  if (!parsed.success) {
    const list = parsed.error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');
    throw new DomainError('INVALID_REGISTER_QUERY', bilingual(`Điều kiện xem sổ chứng thực không hợp lệ — ${list}`, `Invalid register query — ${list}`));
  }
  const { unitId, year } = parsed.data;
  const book = parsed.data.book ?? DEFAULT_CERTIFICATION_BOOK;
  const page = parsed.data.page ?? 1;
  const pageSize = parsed.data.pageSize ?? 50;
  const books: Array<{ template: string; next_seq: number }> = await db.query(
    'select template, next_seq from certification_books where unit_id = $1 and year = $2 and book = $3',
    [unitId, year, book],
  );
  const rows: NumberRow[] = await db.query(
    `select ${NUMBER_COLUMNS} from certification_numbers
     where unit_id = $1 and year = $2 and book = $3
     order by seq limit $4 offset $5`,
    [unitId, year, book, pageSize, (page - 1) * pageSize],
  );
  return {
    unitId,
    year,
    book,
    template: books[0]?.template ?? null,
    total: books.length === 0 ? 0 : books[0].next_seq - 1,
    page,
    pageSize,
    items: rows.map((r) => ({
      seq: r.seq,
      number: r.number,
      caseCode: r.case_code,
      sealedAt: r.sealed_at.toISOString(),
      assignedAt: r.assigned_at.toISOString(),
      assignedBy: r.assigned_by,
    })),
  };
}
