/**
 * The morning digest of cases at risk for a supervisor: which local day a scheduled run is for,
 * and the e-mail that lists the cases most urgent first.
 */
export interface DigestCase {
  caseCode: string;
  unitName: string;
  citizenName: string;
  step: string | null;
  /** ISO instant: the earlier of the open step's and the overall deadline. */
  dueAt: string;
  remainingWorkingMinutes: number;
  state: 'atRisk' | 'overdue';
}

/** Viet Nam keeps UTC+7 all year, so the local day is a fixed shift of the instant. */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** The date in Viet Nam (YYYY-MM-DD) of an instant. */
export function vietnamDay(instantMs: number): string {
  return new Date(instantMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

function vietnamTime(iso: string): string {
  const d = new Date(Date.parse(iso) + VIETNAM_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} ${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const STEP_VI: Record<string, string> = { receive: 'tiếp nhận', sign: 'ký', seal: 'đóng dấu', deliver: 'trả kết quả' };

function remaining(minutes: number): string {
  if (minutes <= 0) return 'đã quá hạn';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `còn ${h > 0 ? `${h} giờ ` : ''}${m} phút làm việc`;
}

export function digestMail(day: string, supervisorName: string, cases: DigestCase[], dashboardUrl: string): { subject: string; text: string } {
  const [y, mo, d] = day.split('-');
  const overdue = cases.filter((c) => c.state === 'overdue').length;
  const subject = `[Chứng thực] ${cases.length} hồ sơ cần chú ý ngày ${d}/${mo}/${y} (${overdue} quá hạn)`;
  const lines = cases.map(
    (c, i) =>
      `${i + 1}. ${c.caseCode} — ${c.unitName} — ${c.citizenName}${c.step ? ` — bước ${STEP_VI[c.step] ?? c.step}` : ''} — hạn ${vietnamTime(c.dueAt)} (${c.state === 'overdue' ? 'QUÁ HẠN' : remaining(c.remainingWorkingMinutes)})`,
  );
  const text = [
    `Kính gửi ${supervisorName},`,
    '',
    `Các hồ sơ chứng thực đang mở sắp quá hạn hoặc đã quá hạn trong các đơn vị ông/bà giám sát, tính đến sáng ngày ${d}/${mo}/${y}, hạn gần nhất trước:`,
    '',
    ...lines,
    '',
    `Xem bảng theo dõi: ${dashboardUrl}`,
  ].join('\n');
  return { subject, text };
}
