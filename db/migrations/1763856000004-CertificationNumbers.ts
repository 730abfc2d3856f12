import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The electronic certification books (sổ chứng thực điện tử) and the numbers issued in them.
 *
 * A book is one sequence per unit, year and book code; `next_seq` is the next number to hand out
 * and is only ever taken under the row's lock (see activities/numbering.ts), so numbers are
 * gap-free. Triggers make the register append-only and forbid moving a book's counter back, so
 * an issued number can never be edited, deleted or issued again.
 */
export class CertificationNumbers1763856000004 implements MigrationInterface {
  name = 'CertificationNumbers1763856000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table certification_books (
        unit_id uuid not null references units (id),
        year int not null check (year between 1000 and 9999),
        book text not null check (book <> '' and book = btrim(book)),
        template text not null,
        next_seq int not null default 1 check (next_seq >= 1),
        created_at timestamptz not null default now(),
        primary key (unit_id, year, book)
      );

      create table certification_numbers (
        unit_id uuid not null,
        year int not null,
        book text not null,
        seq int not null check (seq >= 1),
        number text not null,
        case_code text not null unique,
        sealed_at timestamptz not null,
        assigned_at timestamptz not null,
        assigned_by uuid references officers (id),
        primary key (unit_id, year, book, seq),
        foreign key (unit_id, year, book) references certification_books (unit_id, year, book)
      );

      create function certification_numbers_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'certification_numbers is append-only: an issued certification number is never changed, removed or reused';
        end $$;
      create trigger certification_numbers_append_only before update or delete or truncate on certification_numbers
        for each statement execute function certification_numbers_append_only();

      create function certification_books_forward_only() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'UPDATE' then
            raise exception 'certification_books rows are never removed';
          end if;
          if new.next_seq < old.next_seq or new.unit_id <> old.unit_id or new.year <> old.year or new.book <> old.book then
            raise exception 'a certification book only moves forward (next_seq % -> %)', old.next_seq, new.next_seq;
          end if;
          return new;
        end $$;
      create trigger certification_books_forward_only before update or delete on certification_books
        for each row execute function certification_books_forward_only();
      create trigger certification_books_no_truncate before truncate on certification_books
        for each statement execute function certification_books_forward_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table certification_numbers;
      drop table certification_books;
      drop function certification_numbers_append_only;
      drop function certification_books_forward_only;
    `);
  }
}
