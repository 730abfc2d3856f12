/**
 * The escalation ladder of a unit: who is told, how, and when, as a case's deadlines come near and
 * pass. A rung fires at a working instant of the unit's calendar — a share of a deadline's budget
 * ("75% of step 2's four working hours") or some working time after the deadline ("one working
 * hour after the breach") — for the open step's deadline or the overall one.
 *
 * Pure and JSON-only: the API stores a ladder, the certification workflow receives it in its input
 * and computes the instants here, and the web app validates the editor's form with the same rules.
 */
import { addWorkingMs, MS_PER_MINUTE, workingMsBetween, type WorkingCalendar } from '../calendar';

export type RungTrigger =
  /** When `percent`% of the working time from the deadline's start to the deadline is used. */
  | { kind: 'budgetShare'; percent: number }
  /** `workingMinutes` of working time after the deadline (0 = at the deadline itself). */
  | { kind: 'afterDue'; workingMinutes: number };

/** Which deadline a rung watches: the open step's, or the case's overall one. */
export type RungScope = 'step' | 'overall';

/**
 * Who is told:
 * - stepOfficers: active officers holding the open step's right (CERT_CREATE, CERT_SIGN,
 *   CERT_SEAL) whose scope covers the case's unit, and those of its one-stop desks;
 * - supervisors: active CASE_SUPERVISE holders in the case's unit or above it;
 * - unitHead: the head named in the unit's ladder, else the officers assigned to the case's unit
 *   itself who hold CERT_SIGN (its leaders).
 */
export type RungAudience = 'stepOfficers' | 'supervisors' | 'unitHead';
export type RungChannel = 'inApp' | 'email' | 'sms';

export interface EscalationRung {
  /** Unique within the ladder; names the rung in case events and notification keys. */
  id: string;
  trigger: RungTrigger;
  scope: RungScope;
  notify: RungAudience;
  channels: RungChannel[];
}

export const RUNG_AUDIENCES: readonly RungAudience[] = ['stepOfficers', 'supervisors', 'unitHead'];
export const RUNG_CHANNELS: readonly RungChannel[] = ['inApp', 'email', 'sms'];
export const RUNG_SCOPES: readonly RungScope[] = ['step', 'overall'];

export const MAX_RUNGS = 10;
/** Ten working days of eight hours. */
export const MAX_AFTER_DUE_MINUTES = 10 * 8 * 60;
export const RUNG_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * The ladder of a unit that configured none: the officers who must act are warned at 75% of the
 * step's budget (as the deadline warnings always were), supervisors hear of every breach, and the
 * unit's head one working hour after a breach that is still open.
 */
export const DEFAULT_LADDER: readonly EscalationRung[] = Object.freeze([
  { id: 'canh-bao-75', trigger: { kind: 'budgetShare', percent: 75 }, scope: 'step', notify: 'stepOfficers', channels: ['inApp', 'email'] },
  { id: 'qua-han-buoc', trigger: { kind: 'afterDue', workingMinutes: 0 }, scope: 'step', notify: 'supervisors', channels: ['inApp', 'email', 'sms'] },
  { id: 'qua-han-chung', trigger: { kind: 'afterDue', workingMinutes: 0 }, scope: 'overall', notify: 'supervisors', channels: ['inApp', 'email', 'sms'] },
  { id: 'truong-don-vi-buoc', trigger: { kind: 'afterDue', workingMinutes: 60 }, scope: 'step', notify: 'unitHead', channels: ['inApp', 'email'] },
  { id: 'truong-don-vi-chung', trigger: { kind: 'afterDue', workingMinutes: 60 }, scope: 'overall', notify: 'unitHead', channels: ['inApp', 'email'] },
] satisfies EscalationRung[]);

/** A deadline as a rung sees it: when its budget started counting and when it is due. */
export interface DeadlineWindow {
  startAt: number;
  dueAt: number;
}

/**
 * The working instant a rung fires at for a deadline, in the unit's calendar. A share counts the
 * working time between the window's start and the deadline (so a step started after closing time
 * counts from the next opening); time after the deadline counts from the deadline itself, and 0
 * minutes is the deadline exactly, even when it falls on a closing time.
 */
export function rungInstant(cal: WorkingCalendar, trigger: RungTrigger, window: DeadlineWindow): number {
  if (trigger.kind === 'budgetShare') {
    const budget = Math.max(0, workingMsBetween(cal, window.startAt, window.dueAt));
    return addWorkingMs(cal, window.startAt, Math.round((budget * trigger.percent) / 100));
  }
  if (trigger.workingMinutes === 0) return window.dueAt;
  return addWorkingMs(cal, window.dueAt, trigger.workingMinutes * MS_PER_MINUTE);
}

/** Rungs before the deadline sort before those at or after it: the order they normally fire in. */
export function rungRank(trigger: RungTrigger): 0 | 2 {
  return trigger.kind === 'budgetShare' ? 0 : 2;
}

export interface LadderIssue {
  /** Where, e.g. 'rungs.2.trigger.percent'. */
  path: string;
  vi: string;
  en: string;
}

export type LadderCheck = { ok: true; rungs: EscalationRung[] } | { ok: false; issues: LadderIssue[] };

const AUDIENCE_VI: Readonly<Record<RungAudience, string>> = { stepOfficers: 'cán bộ xử lý bước', supervisors: 'người giám sát', unitHead: 'thủ trưởng đơn vị' };

export function audienceLabel(a: RungAudience): { vi: string; en: string } {
  return { vi: AUDIENCE_VI[a], en: { stepOfficers: "the step's officers", supervisors: 'supervisors', unitHead: 'the head of the unit' }[a] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Checks a ladder as sent by an editor; the answer is a clean copy (unknown keys dropped). */
export function validateLadder(value: unknown): LadderCheck {
  const issues: LadderIssue[] = [];
  const issue = (path: string, vi: string, en: string) => void issues.push({ path, vi, en });
  if (!Array.isArray(value)) {
    issue('rungs', 'Danh sách bậc cảnh báo phải là một mảng', 'The rungs must be an array');
    return { ok: false, issues };
  }
  if (value.length > MAX_RUNGS) issue('rungs', `Tối đa ${MAX_RUNGS} bậc cảnh báo (đang có ${value.length})`, `At most ${MAX_RUNGS} rungs (got ${value.length})`);
  const rungs: EscalationRung[] = [];
  const seen = new Set<string>();
  value.forEach((raw, i) => {
    const at = `rungs.${i}`;
    if (!isRecord(raw)) {
      issue(at, 'Mỗi bậc phải là một đối tượng', 'Each rung must be an object');
      return;
    }
    const before = issues.length;
    const id = raw['id'];
    if (typeof id !== 'string' || !RUNG_ID_PATTERN.test(id)) {
      issue(`${at}.id`, 'Mã bậc gồm 1–40 ký tự a-z, 0-9 hoặc dấu gạch ngang, bắt đầu bằng chữ hoặc số', 'The rung id is 1–40 characters a-z, 0-9 or hyphens, starting with a letter or digit');
    } else if (seen.has(id)) {
      issue(`${at}.id`, `Mã bậc "${id}" bị trùng`, `Rung id "${id}" is used twice`);
    } else seen.add(id);

    const t = raw['trigger'];
    let trigger: RungTrigger | undefined;
    if (!isRecord(t) || (t['kind'] !== 'budgetShare' && t['kind'] !== 'afterDue')) {
      issue(`${at}.trigger.kind`, 'Thời điểm cảnh báo phải là "budgetShare" (phần trăm thời hạn) hoặc "afterDue" (sau khi quá hạn)', 'The trigger must be "budgetShare" or "afterDue"');
    } else if (t['kind'] === 'budgetShare') {
      const percent = t['percent'];
      if (!isWhole(percent) || percent < 1 || percent > 99) {
        issue(`${at}.trigger.percent`, 'Phần trăm thời hạn phải là số nguyên từ 1 đến 99', 'The share must be a whole percent from 1 to 99');
      } else trigger = { kind: 'budgetShare', percent };
    } else {
      const minutes = t['workingMinutes'];
      if (!isWhole(minutes) || minutes < 0 || minutes > MAX_AFTER_DUE_MINUTES) {
        issue(
          `${at}.trigger.workingMinutes`,
          `Số phút làm việc sau hạn phải là số nguyên từ 0 đến ${MAX_AFTER_DUE_MINUTES} (10 ngày làm việc)`,
          `Working minutes after the deadline must be a whole number from 0 to ${MAX_AFTER_DUE_MINUTES} (10 working days)`,
        );
      } else trigger = { kind: 'afterDue', workingMinutes: minutes };
    }

    const scope = raw['scope'];
    if (scope !== 'step' && scope !== 'overall') issue(`${at}.scope`, 'Phạm vi phải là "step" (hạn của bước) hoặc "overall" (hạn trả kết quả)', 'The scope must be "step" or "overall"');
    const notify = raw['notify'];
    if (!RUNG_AUDIENCES.includes(notify as RungAudience)) {
      issue(`${at}.notify`, 'Người nhận phải là "stepOfficers", "supervisors" hoặc "unitHead"', 'The audience must be "stepOfficers", "supervisors" or "unitHead"');
    }
    const channels = raw['channels'];
    if (!Array.isArray(channels) || channels.length === 0 || channels.some((c) => !RUNG_CHANNELS.includes(c as RungChannel))) {
      issue(`${at}.channels`, 'Chọn ít nhất một kênh: "inApp" (thông báo trong phần mềm), "email" hoặc "sms"', 'Choose at least one channel: "inApp", "email" or "sms"');
    } else if (new Set(channels).size !== channels.length) {
      issue(`${at}.channels`, 'Một kênh được chọn hai lần', 'A channel is listed twice');
    }
    if (issues.length === before && trigger) {
      rungs.push({ id: id as string, trigger, scope: scope as RungScope, notify: notify as RungAudience, channels: [...(channels as RungChannel[])] });
    }
  });
  return issues.length === 0 ? { ok: true, rungs } : { ok: false, issues };
}

/** "75% thời hạn của bước" / "1 giờ làm việc sau khi quá hạn trả kết quả", for messages and screens. */
export function describeRung(r: EscalationRung): { vi: string; en: string } {
  const whatVi = r.scope === 'step' ? 'thời hạn của bước' : 'thời hạn trả kết quả';
  const whatEn = r.scope === 'step' ? "the step's deadline" : 'the overall deadline';
  const who = audienceLabel(r.notify);
  if (r.trigger.kind === 'budgetShare') {
    return { vi: `${r.trigger.percent}% ${whatVi} — báo ${who.vi}`, en: `${r.trigger.percent}% of ${whatEn} — tell ${who.en}` };
  }
  const m = r.trigger.workingMinutes;
  if (m === 0) return { vi: `Khi quá ${whatVi} — báo ${who.vi}`, en: `At ${whatEn} — tell ${who.en}` };
  const h = Math.floor(m / 60);
  const rest = m % 60;
  const spanVi = `${h ? `${h} giờ` : ''}${h && rest ? ' ' : ''}${rest ? `${rest} phút` : ''}`;
  const spanEn = `${h ? `${h} h` : ''}${h && rest ? ' ' : ''}${rest ? `${rest} min` : ''}`;
  return { vi: `${spanVi} làm việc sau khi quá ${whatVi} — báo ${who.vi}`, en: `${spanEn} of working time after ${whatEn} — tell ${who.en}` };
}
