/**
 * Fills the application's read model with a province's three years of certification cases by set
 * SQL alone (generate_series), in the real schema of the migrations: 1 province, 10 districts,
 * 100 communes with three officers each, cases spread evenly over the three years up to `now`
 * (the last 2% still open), their steps, events, certification numbers and fee receipts.
 */
import type { DataSource } from 'typeorm';
import { DEFAULT_CERTIFICATION_BOOK } from '../../activities/numbering';

export const DISTRICTS = 10;
export const COMMUNES_PER_DISTRICT = 10;
export const COMMUNES = DISTRICTS * COMMUNES_PER_DISTRICT;
export const SPAN_DAYS = 3 * 365;
/** Share of the cases, the most recent ones, still open. */
export const OPEN_SHARE = 0.02;

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Quang', 'Xuân', 'Thu'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hiếu', 'Hoa', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Phương', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vân', 'Việt', 'Yến'];

/** The name of the i-th case's citizen, as the fill writes it (the bench searches for some). */
export function citizenNameOf(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]} ${MIDDLE[Math.floor(i / 7) % MIDDLE.length]} ${GIVEN[Math.floor(i / 3) % GIVEN.length]}`;
}

const NAME_SQL = (i: string) =>
  `(array[${SURNAMES.map((s) => `'${s}'`).join(',')}])[${i} % ${SURNAMES.length} + 1] || ' ' || ` +
  `(array[${MIDDLE.map((s) => `'${s}'`).join(',')}])[(${i} / 7) % ${MIDDLE.length} + 1] || ' ' || ` +
  `(array[${GIVEN.map((s) => `'${s}'`).join(',')}])[(${i} / 3) % ${GIVEN.length} + 1]`;

/** The i-th case's citizen ID number: 12 digits, distinct for every i below the prime. */
export function citizenIdOf(i: number): string {
  return String((BigInt(i) * 48271n) % 999_999_999_989n).padStart(12, '0');
}
const CITIZEN_ID_SQL = (i: string) => `lpad(((${i})::bigint * 48271 % 999999999989)::text, 12, '0')`;

export const communeCode = (c: number) => `000.${String(Math.floor(c / COMMUNES_PER_DISTRICT) + 10).padStart(2, '0')}.${String((c % COMMUNES_PER_DISTRICT) + 30).padStart(2, '0')}.H35`;

export interface ScaleUnits {
  provinceId: string;
  districtIds: string[];
  communeIds: string[];
  /** Per commune: its receiving clerk, its leader (signs) and its seal keeper. */
  officers: Array<{ receiver: string; leader: string; sealer: string }>;
  provinceSupervisor: string;
  districtSupervisors: string[];
}

const uuidOf = (kind: number, n: number) => `00000000-0000-4000-8${String(kind).padStart(3, '0')}-${String(n).padStart(12, '0')}`;

export function scaleUnits(): ScaleUnits {
  return {
    provinceId: uuidOf(1, 0),
    districtIds: Array.from({ length: DISTRICTS }, (_, d) => uuidOf(2, d)),
    communeIds: Array.from({ length: COMMUNES }, (_, c) => uuidOf(3, c)),
    officers: Array.from({ length: COMMUNES }, (_, c) => ({ receiver: uuidOf(4, c), leader: uuidOf(5, c), sealer: uuidOf(6, c) })),
    provinceSupervisor: uuidOf(7, 0),
    districtSupervisors: Array.from({ length: DISTRICTS }, (_, d) => uuidOf(8, d)),
  };
}

async function fillUnits(db: DataSource, u: ScaleUnits, now: Date): Promise<void> {
  const province = `/${u.provinceId}/`;
  await db.query(`insert into units (id, code, name, level, parent_id, path, created_at) values ($1, 'H35', 'Tỉnh Hà Nam (thử tải)', 'province', null, $2, $3)`, [
    u.provinceId,
    province,
    now,
  ]);
  for (let d = 0; d < DISTRICTS; d++) {
    const district = `${province}${u.districtIds[d]}/`;
    await db.query(`insert into units (id, code, name, level, parent_id, path, created_at) values ($1, $2, $3, 'district', $4, $5, $6)`, [
      u.districtIds[d],
      `000.${d + 10}.00.H35`,
      `Huyện số ${d + 1}`,
      u.provinceId,
      district,
      now,
    ]);
    for (let k = 0; k < COMMUNES_PER_DISTRICT; k++) {
      const c = d * COMMUNES_PER_DISTRICT + k;
      await db.query(`insert into units (id, code, name, level, parent_id, path, created_at) values ($1, $2, $3, 'commune', $4, $5, $6)`, [
        u.communeIds[c],
        communeCode(c),
        `Xã số ${c + 1}`,
        u.districtIds[d],
        `${district}${u.communeIds[c]}/`,
        now,
      ]);
    }
  }
  const officer = async (id: string, username: string, fullName: string, unitId: string, rights: string[]) => {
    await db.query(
      `insert into officers (id, username, full_name, citizen_id, password_hash, password_changed_at, created_at) values ($1, $2, $3, $4, 'bench', $5, $5)`,
      [id, username, fullName, `B${id.slice(-12)}${id.slice(19, 23)}`, now],
    );
    await db.query('insert into officer_units (officer_id, unit_id, assigned_at) values ($1, $2, $3)', [id, unitId, now]);
    for (const r of rights) await db.query('insert into officer_rights (officer_id, right_code, granted_at) values ($1, $2, $3)', [id, r, now]);
  };
  await officer(u.provinceSupervisor, 'giamsat.tinh', 'Giám sát Tỉnh', u.provinceId, ['CASE_SUPERVISE', 'CERT_REPORT']);
  for (let d = 0; d < DISTRICTS; d++) await officer(u.districtSupervisors[d], `giamsat.huyen${d + 1}`, `Giám sát Huyện ${d + 1}`, u.districtIds[d], ['CASE_SUPERVISE', 'CERT_REPORT']);
  for (let c = 0; c < COMMUNES; c++) {
    const o = u.officers[c];
    await officer(o.receiver, `motcua.xa${c + 1}`, `${citizenNameOf(c * 11)} (một cửa xã ${c + 1})`, u.communeIds[c], ['CERT_CREATE']);
    await officer(o.leader, `lanhdao.xa${c + 1}`, `${citizenNameOf(c * 13 + 1)} (lãnh đạo xã ${c + 1})`, u.communeIds[c], ['CERT_SIGN']);
    await officer(o.sealer, `vanthu.xa${c + 1}`, `${citizenNameOf(c * 17 + 2)} (văn thư xã ${c + 1})`, u.communeIds[c], ['CERT_SEAL']);
  }
}

/**
 * The i-th case (0 ≤ i < N) in SQL: its commune, instant of reception, status and outcome. Closed
 * cases: 88% completed (95% of them on time), 6% refused, 6% withdrawn; open ones spread over the
 * four steps.
 */
function caseSeries(n: number, now: Date): string {
  const spanMs = SPAN_DAYS * 86_400_000;
  const open = Math.floor(n * (1 - OPEN_SHARE));
  // Outcomes vary with the case's rank k in its commune as well as with i, so every commune gets
  // every outcome (i alone would tie them to the commune, i % 100).
  // A completed case's certification number: its rank among the commune's completed cases of the
  // year (Hà Nội), the order in which the fill numbers them in the book too.
  return `
    select *, extract(year from (received_at at time zone 'UTC') + interval '7 hours')::int as year,
           row_number() over (partition by c, extract(year from (received_at at time zone 'UTC') + interval '7 hours'), status = 'completed' order by i) as book_seq
    from (
      select i, i % ${COMMUNES} as c, i / ${COMMUNES} as k,
             to_timestamp(${(now.getTime() - spanMs) / 1000} + (i + 0.5) * ${spanMs / 1000 / n}) as received_at,
             case when i >= ${open} then (array['receiving','signing','sealing','delivering'])[(i / ${COMMUNES}) % 4 + 1]
                  when (i / ${COMMUNES} * 37 + i) % 100 < 88 then 'completed' when (i / ${COMMUNES} * 37 + i) % 100 < 94 then 'refused' else 'withdrawn' end as status,
             (i / ${COMMUNES} * 13 + i) % 20 <> 0 as on_time
      from generate_series(0, ${n - 1}) as i) g`;
}

export async function fillReadModel(db: DataSource, n: number, now: Date, log: (s: string) => void): Promise<void> {
  const u = scaleUnits();
  await fillUnits(db, u, now);
  const communes = `(select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[]) with ordinality as x(unit_id, receiver, leader, sealer, code, ord))`;
  const unitParams = [u.communeIds, u.officers.map((o) => o.receiver), u.officers.map((o) => o.leader), u.officers.map((o) => o.sealer), u.communeIds.map((_, c) => communeCode(c))];
  let t = Date.now();
  const step = (what: string) => {
    log(`  ${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
  };
  // Figures of a closed case: result one working day after reception when on time, four when late.
  await db.query(
    `insert into certification_cases (case_code, unit_id, status, step, step_right, received_by, received_at, overall_due_at,
       step_started_at, step_warn_at, step_due_at, citizen_name, citizen_id, complex, fee_vnd, certification_number, breaches,
       closed_at, view, updated_at, version, copies, refusal_ground, extension_count, extension_days, warnings, result_at, on_time)
     select s.code || '-' || to_char((g.received_at at time zone 'UTC') + interval '7 hours', 'YYMMDD') || '-' || lpad(g.k::text, 4, '0'),
       s.unit_id, g.status,
       case g.status when 'receiving' then 'receive' when 'signing' then 'sign' when 'sealing' then 'seal' when 'delivering' then 'deliver' end,
       case g.status when 'receiving' then 'CERT_CREATE' when 'signing' then 'CERT_SIGN' when 'sealing' then 'CERT_SEAL' end,
       s.receiver, g.received_at, g.received_at + interval '3 days',
       case when g.status in ('receiving','signing','sealing','delivering') then g.received_at + interval '1 hour' end,
       case when g.status in ('receiving','signing','sealing') then g.received_at + interval '2 hours 30 minutes' end,
       case when g.status in ('receiving','signing','sealing') then g.received_at + interval '3 hours' end,
       ${NAME_SQL('g.i')}, ${CITIZEN_ID_SQL('g.i')}, g.k % 10 = 0, 10000 * (1 + g.k % 3),
       case when g.status = 'completed' then g.book_seq || '/' || g.year || '/SCTĐT/BS' end,
       case when g.status = 'completed' and not g.on_time then 1 else 0 end,
       case when g.status = 'completed' then g.received_at + case when g.on_time then interval '1 day' else interval '4 days' end
            when g.status in ('refused','withdrawn') then g.received_at + interval '2 hours' end,
       jsonb_build_object('overallWarnAt', g.received_at + interval '2 days',
         'documents', jsonb_build_array(jsonb_build_object('title', 'Giấy khai sinh', 'pages', 1 + g.k % 4, 'copies', 1 + g.k % 3)),
         'signature', case when g.status = 'completed' then jsonb_build_object('signedBy', jsonb_build_object('officerId', s.leader, 'fullName', 'Lãnh đạo xã ' || s.ord)) end),
       g.received_at, 10, 1 + g.k % 3,
       case when g.status = 'refused' then (array['ALTERED','DAMAGED','SELF_MADE'])[g.k % 3 + 1] end,
       case when g.k % 50 = 0 then 1 else 0 end, case when g.k % 50 = 0 then 2 else 0 end, 0,
       case when g.status = 'completed' then g.received_at + case when g.on_time then interval '1 day' else interval '4 days' end end,
       case when g.status = 'completed' then g.on_time end
     from (${caseSeries(n, now)}) g join ${communes} s on s.ord = g.c + 1`,
    unitParams,
  );
  step(`${n} cases`);
  // Steps a case went through: all four for a completed case, the first for a refused or
  // withdrawn one, those before its current step and the current one (open) for an open case.
  await db.query(
    `insert into case_steps (case_code, idx, unit_id, step, started_at, ended_at, due_at, budget_minutes, working_minutes, officer_id, officer_name, outcome, late)
     select c.case_code, s.idx, c.unit_id, (array['receive','sign','seal','deliver'])[s.idx + 1],
       c.received_at + s.idx * interval '3 hours',
       case when s.idx < n.done then c.received_at + s.idx * interval '3 hours' + interval '45 minutes' end,
       case when s.idx < 3 then c.received_at + s.idx * interval '3 hours' + interval '2 hours' end,
       case s.idx when 0 then case when c.complex then 960 else 240 end when 3 then null else 120 end,
       case when s.idx < n.done and s.idx < 3 then 30 + (hashtext(c.case_code) & 127) end,
       case when s.idx < n.done and s.idx < 3 then (array[x.receiver, x.leader, x.sealer])[s.idx + 1] end,
       case when s.idx < n.done and s.idx < 3 then 'Cán bộ xã ' || x.ord end,
       case when s.idx < n.done then case when c.status in ('refused', 'withdrawn') then c.status
         else (array['submitted','signed','sealed','delivered'])[s.idx + 1] end end,
       case when s.idx < n.done and s.idx < 3 then (hashtext(c.case_code) & 31) = 0 end
     from certification_cases c join ${communes} x on x.unit_id = c.unit_id
     cross join lateral (select case c.status when 'completed' then 4 when 'refused' then 1 when 'withdrawn' then 1
         when 'receiving' then 1 when 'signing' then 2 when 'sealing' then 3 else 4 end as steps,
       case c.status when 'completed' then 4 when 'refused' then 1 when 'withdrawn' then 1
         when 'receiving' then 0 when 'signing' then 1 when 'sealing' then 2 else 3 end as done) n
     cross join lateral generate_series(0, n.steps - 1) as s(idx)`,
    unitParams,
  );
  step('steps');
  await db.query(
    `insert into certification_case_events (case_code, seq, at, kind, actor_id, data)
     select s.case_code, s.idx + 1, coalesce(s.ended_at, s.started_at),
            case when s.outcome is null then 'step.started' else 'step.' || s.outcome end, s.officer_id, '{}'::jsonb
     from case_steps s`,
  );
  step('events');
  // One book per commune and year; numbers in the order the cases came in, as the fill ranked them.
  await db.query(
    `insert into certification_books (unit_id, year, book, template, next_seq)
     select unit_id, split_part(certification_number, '/', 2)::int, $1, '{seq}/{year}/SCTĐT/BS', count(*) + 1
     from certification_cases where status = 'completed' group by 1, 2`,
    [DEFAULT_CERTIFICATION_BOOK],
  );
  await db.query(
    `insert into certification_numbers (unit_id, year, book, seq, number, case_code, sealed_at, assigned_at)
     select unit_id, split_part(certification_number, '/', 2)::int, $1, split_part(certification_number, '/', 1)::int,
            certification_number, case_code, closed_at, closed_at
     from certification_cases where status = 'completed'`,
    [DEFAULT_CERTIFICATION_BOOK],
  );
  step('certification numbers');
  await db.query(
    `insert into fee_receipts (case_code, unit_id, year, seq, receipt_no, amount_vnd, method, payer_name, collected_by, collected_at)
     select case_code, unit_id, year, seq, 'BL-' || year || '-' || seq, fee_vnd, 'cash', citizen_name, received_by, received_at + interval '10 minutes'
     from (select c.*, extract(year from (received_at at time zone 'UTC') + interval '7 hours')::int as year,
                  row_number() over (partition by unit_id, extract(year from (received_at at time zone 'UTC') + interval '7 hours') order by received_at, case_code) as seq
           from certification_cases c where status in ('completed', 'delivering', 'sealing', 'signing')) c`,
  );
  step('fee receipts');
}
