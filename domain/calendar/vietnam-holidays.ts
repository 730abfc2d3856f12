/**
 * Seed data: public holidays, compensatory/swapped days off and swapped working Saturdays for
 * civil servants and public employees (cán bộ, công chức, viên chức) — the schedule a commune
 * office follows. Admins can edit the stored copy; this file only seeds it.
 *
 * The law (Bộ luật Lao động 2019):
 * - art. 112(1): Tết Dương lịch 1/1; Tết Âm lịch 5 days; Giỗ Tổ Hùng Vương 10/3 lunar; 30/4; 1/5;
 *   Quốc khánh 2/9 plus one adjacent day (1/9 or 3/9) — 11 days a year.
 * - art. 112(3): each year the Prime Minister fixes the concrete Tết days and the adjacent
 *   National Day; the ministry in charge of labour (Bộ LĐTBXH until 02/2025, then Bộ Nội vụ)
 *   announces them, together with any swap of working days.
 * - art. 111(3): a holiday falling on the weekly rest day is compensated on the next working day.
 *
 * Lunar dates were checked with Hồ Ngọc Đức's astronomical algorithm for UTC+7: mùng 1 Tết is
 * 29/01/2025, 17/02/2026, 06/02/2027; 10/3 lunar is 07/04/2025, 26/04/2026, 16/04/2027; the last
 * month of Giáp Thìn, Ất Tỵ and Bính Ngọ each has 29 days.
 *
 * New holiday under way (not in the default data): Ngày Văn hóa Việt Nam 24/11. The Politburo's
 * Resolution 80-NQ/TW (01/2026) chose 24/11 as a paid day off, and the Government's Resolution
 * 30/NQ-CP (02/2026) asks for art. 112(1) to be amended accordingly. As of the latest sources found
 * (02–03/2026) the Labour Code had not been amended yet, so it is listed separately in
 * VIETNAM_PENDING_HOLIDAYS for an admin to switch on once the law is passed.
 */
import { Holiday, SwappedWorkingDay, WorkingCalendar, createWorkingCalendar, defaultOfficeHours, OfficeHours } from './model';

export type ScheduleStatus = 'official' | 'provisional';

export interface HolidayYearSource {
  year: number;
  status: ScheduleStatus;
  /** The documents the dates come from, or how they were derived. */
  sources: string[];
}

export const VIETNAM_HOLIDAY_SOURCES: readonly HolidayYearSource[] = [
  {
    year: 2025,
    status: 'official',
    sources: [
      'Văn bản 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ (Thủ tướng đồng ý lịch nghỉ Tết Âm lịch, 30/4–1/5 và Quốc khánh 2025, do Bộ LĐTBXH đề xuất)',
      'Thông báo của Bộ Nội vụ (08/2025) về nghỉ Quốc khánh 30/8–2/9/2025',
    ],
  },
  {
    year: 2026,
    status: 'official',
    sources: [
      'Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ (Tết Âm lịch và Quốc khánh 2026)',
      'Văn bản 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ (Tết Dương lịch 2026 nghỉ 4 ngày)',
      'Giỗ Tổ Hùng Vương trùng Chủ nhật: nghỉ bù theo Điều 111 khoản 3 Bộ luật Lao động 2019',
    ],
  },
  {
    year: 2027,
    status: 'provisional',
    sources: [
      'Chưa có thông báo chính thức; suy ra từ Điều 111, 112 Bộ luật Lao động 2019 và các năm có cùng thứ (Tết 2020, Quốc khánh 2021)',
    ],
  },
];

// 2025 — official. Tết Ất Tỵ: 5 days Mon 27/01–Fri 31/01 (28 Chạp–mùng 3), 9 days off with the
// weekends 25/01–02/02. 30/4–1/5: Friday 02/05 swapped with Saturday 26/04 (5 days 30/4–4/5).
// Quốc khánh: Mon 01/09 + Tue 02/09 (4 days 30/8–2/9). Source: 8726/VPCP-KGVX, 26/11/2024.
const Y2025: Holiday[] = [
  { date: '2025-01-01', name: 'Tết Dương lịch', kind: 'holiday' },
  { date: '2025-01-27', name: 'Tết Nguyên đán (28 tháng Chạp Giáp Thìn)', kind: 'holiday' },
  { date: '2025-01-28', name: 'Tết Nguyên đán (29 tháng Chạp Giáp Thìn)', kind: 'holiday' },
  { date: '2025-01-29', name: 'Tết Nguyên đán (mùng 1 tháng Giêng Ất Tỵ)', kind: 'holiday' },
  { date: '2025-01-30', name: 'Tết Nguyên đán (mùng 2 tháng Giêng Ất Tỵ)', kind: 'holiday' },
  { date: '2025-01-31', name: 'Tết Nguyên đán (mùng 3 tháng Giêng Ất Tỵ)', kind: 'holiday' },
  { date: '2025-04-07', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', kind: 'holiday' },
  { date: '2025-04-30', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước', kind: 'holiday' },
  { date: '2025-05-01', name: 'Ngày Quốc tế Lao động', kind: 'holiday' },
  { date: '2025-05-02', name: 'Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 26/04/2025)', kind: 'compensatory' },
  { date: '2025-09-01', name: 'Quốc khánh (ngày liền kề)', kind: 'holiday' },
  { date: '2025-09-02', name: 'Quốc khánh', kind: 'holiday' },
];
const W2025: SwappedWorkingDay[] = [
  { date: '2025-04-26', name: 'Làm bù cho ngày nghỉ hoán đổi thứ Sáu 02/05/2025' },
];

// 2026 — official. Tết Dương lịch: Friday 02/01 swapped with Saturday 10/01 (4 days 1–4/1;
// 12729/VPCP-KGVX, 25/12/2025). Tết Bính Ngọ: Mon 16/02–Fri 20/02 (29 Chạp–mùng 4), 9 days with
// the weekends 14–22/02. Quốc khánh: Tue 01/09 + Wed 02/09, Monday 31/08 swapped with Saturday
// 22/08 (5 days 29/8–2/9). Both from Thông báo 9441/TB-BNV, 16/10/2025. Giỗ Tổ falls on Sunday
// 26/04, so Monday 27/04 is the compensatory day; 30/4–1/5 are Thursday–Friday, no swap.
const Y2026: Holiday[] = [
  { date: '2026-01-01', name: 'Tết Dương lịch', kind: 'holiday' },
  { date: '2026-01-02', name: 'Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)', kind: 'compensatory' },
  { date: '2026-02-16', name: 'Tết Nguyên đán (29 tháng Chạp Ất Tỵ)', kind: 'holiday' },
  { date: '2026-02-17', name: 'Tết Nguyên đán (mùng 1 tháng Giêng Bính Ngọ)', kind: 'holiday' },
  { date: '2026-02-18', name: 'Tết Nguyên đán (mùng 2 tháng Giêng Bính Ngọ)', kind: 'holiday' },
  { date: '2026-02-19', name: 'Tết Nguyên đán (mùng 3 tháng Giêng Bính Ngọ)', kind: 'holiday' },
  { date: '2026-02-20', name: 'Tết Nguyên đán (mùng 4 tháng Giêng Bính Ngọ)', kind: 'holiday' },
  { date: '2026-04-26', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', kind: 'holiday' },
  { date: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/04)', kind: 'compensatory' },
  { date: '2026-04-30', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước', kind: 'holiday' },
  { date: '2026-05-01', name: 'Ngày Quốc tế Lao động', kind: 'holiday' },
  { date: '2026-08-31', name: 'Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/08/2026)', kind: 'compensatory' },
  { date: '2026-09-01', name: 'Quốc khánh (ngày liền kề)', kind: 'holiday' },
  { date: '2026-09-02', name: 'Quốc khánh', kind: 'holiday' },
];
const W2026: SwappedWorkingDay[] = [
  { date: '2026-01-10', name: 'Làm bù cho ngày nghỉ hoán đổi thứ Sáu 02/01/2026' },
  { date: '2026-08-22', name: 'Làm bù cho ngày nghỉ hoán đổi thứ Hai 31/08/2026' },
];

// 2027 — PROVISIONAL: no official schedule had been published. Derived from the law only, no swaps:
// - 1/1 is a Friday.
// - Tết Đinh Mùi: mùng 1 is Saturday 06/02. As in 2020 (mùng 1 also a Saturday): the two days
//   before Tết (28 and 29 Chạp, Thu–Fri 04–05/02) and mùng 1–3 (Sat 06/02–Mon 08/02); mùng 1–2
//   fall on the weekend and are compensated on Tue 09/02 and Wed 10/02 (art. 111(3)).
// - Giỗ Tổ: Friday 16/04. 30/4 Friday; 1/5 Saturday → compensatory Monday 03/05.
// - Quốc khánh: 2/9 Thursday; the adjacent day taken as Friday 3/9, as in 2021 (same weekdays).
// Every 2027 entry is flagged provisional; "— dự kiến" in a name marks a day the Government
// chooses (rather than one fixed by the law). Replace with the Prime Minister's decision when it
// is announced (usually in Q4 of 2026).
const P = true;
const Y2027: Holiday[] = [
  { date: '2027-01-01', name: 'Tết Dương lịch', kind: 'holiday', provisional: P },
  { date: '2027-02-04', name: 'Tết Nguyên đán (28 tháng Chạp Bính Ngọ) — dự kiến', kind: 'holiday', provisional: P },
  { date: '2027-02-05', name: 'Tết Nguyên đán (29 tháng Chạp Bính Ngọ) — dự kiến', kind: 'holiday', provisional: P },
  { date: '2027-02-06', name: 'Tết Nguyên đán (mùng 1 tháng Giêng Đinh Mùi)', kind: 'holiday', provisional: P },
  { date: '2027-02-07', name: 'Tết Nguyên đán (mùng 2 tháng Giêng Đinh Mùi)', kind: 'holiday', provisional: P },
  { date: '2027-02-08', name: 'Tết Nguyên đán (mùng 3 tháng Giêng Đinh Mùi) — dự kiến', kind: 'holiday', provisional: P },
  { date: '2027-02-09', name: 'Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy) — dự kiến', kind: 'compensatory', provisional: P },
  { date: '2027-02-10', name: 'Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật) — dự kiến', kind: 'compensatory', provisional: P },
  { date: '2027-04-16', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', kind: 'holiday', provisional: P },
  { date: '2027-04-30', name: 'Ngày Giải phóng miền Nam, thống nhất đất nước', kind: 'holiday', provisional: P },
  { date: '2027-05-01', name: 'Ngày Quốc tế Lao động', kind: 'holiday', provisional: P },
  { date: '2027-05-03', name: 'Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy 01/05)', kind: 'compensatory', provisional: P },
  { date: '2027-09-02', name: 'Quốc khánh', kind: 'holiday', provisional: P },
  { date: '2027-09-03', name: 'Quốc khánh (ngày liền kề) — dự kiến', kind: 'holiday', provisional: P },
];
const W2027: SwappedWorkingDay[] = [];

const BY_YEAR: Readonly<Record<number, { holidays: Holiday[]; workingDays: SwappedWorkingDay[] }>> = {
  2025: { holidays: Y2025, workingDays: W2025 },
  2026: { holidays: Y2026, workingDays: W2026 },
  2027: { holidays: Y2027, workingDays: W2027 },
};

export const VIETNAM_HOLIDAY_YEARS: readonly number[] = [2025, 2026, 2027];

export const VIETNAM_HOLIDAYS: readonly Holiday[] = [...Y2025, ...Y2026, ...Y2027];
export const VIETNAM_SWAPPED_WORKING_DAYS: readonly SwappedWorkingDay[] = [...W2025, ...W2026, ...W2027];

/** Announced as a policy but not yet law (see the header); opt in with `includePending`. */
export const VIETNAM_PENDING_HOLIDAYS: readonly Holiday[] = [
  { date: '2026-11-24', name: 'Ngày Văn hóa Việt Nam (chờ sửa Bộ luật Lao động)', kind: 'holiday', provisional: true },
  { date: '2027-11-24', name: 'Ngày Văn hóa Việt Nam (chờ sửa Bộ luật Lao động)', kind: 'holiday', provisional: true },
];

export interface VietnamCalendarOptions {
  /** Default: every seeded year. */
  years?: readonly number[];
  /** Also add VIETNAM_PENDING_HOLIDAYS of the chosen years. Default false. */
  includePending?: boolean;
  officeHours?: OfficeHours;
}

/**
 * A fresh, independent calendar for a commune office (default hours Mon–Fri 08–12, 13–17) with the
 * national schedule for the chosen years; callers may mutate the result freely.
 */
export function vietnamCivilServiceCalendar(options: VietnamCalendarOptions = {}): WorkingCalendar {
  const years = options.years ?? VIETNAM_HOLIDAY_YEARS;
  const holidays: Holiday[] = [];
  const workingDays: SwappedWorkingDay[] = [];
  for (const year of years) {
    const data = BY_YEAR[year];
    if (!data) continue;
    holidays.push(...data.holidays.map((h) => ({ ...h })));
    workingDays.push(...data.workingDays.map((w) => ({ ...w })));
    if (options.includePending) {
      holidays.push(...VIETNAM_PENDING_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`)).map((h) => ({ ...h })));
    }
  }
  return createWorkingCalendar({
    officeHours: options.officeHours ?? defaultOfficeHours(),
    holidays,
    workingDays,
  });
}
