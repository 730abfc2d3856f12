/**
 * GET /api/reports/certification: the certification report of a unit of the caller's scope over
 * whole Hà Nội days [from, to), as JSON for the screen or as a CSV, Excel or PDF download. Every
 * call is audited, since the figures leave the system with it.
 */
import { z } from 'zod';
import { formatViDate, isValidLocalDate } from '../../domain/calendar';
import { renderCertificationReport } from '../../infra/pdf/certificationReport';
import { optionalQuery, required, uuidOf } from '../admin/inputs';
import { parseInput } from '../errors';
import type { Reply, RouteSpec } from '../route';
import { certificationReport, type CertificationReport } from './certificationReport';
import { reportCsv } from './reportCsv';
import { latestEndOf, lastDayOf } from './reportPeriod';
import { reportScopeOf } from './reportUnit';
import { reportXlsx } from './reportXlsx';

const localDate = (label: string) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là một ngày dạng YYYY-MM-DD`) })
    .refine(isValidLocalDate, { error: `${label} không phải một ngày hợp lệ dạng YYYY-MM-DD (ví dụ 2026-11-01)` });

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;

export const CertificationReportQuery = z
  .object({
    unitId: uuidOf('đơn vị'),
    from: localDate('ngày bắt đầu'),
    to: localDate('ngày kết thúc'),
    format: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(REPORT_FORMATS, { error: 'định dạng phải là json, csv, xlsx hoặc pdf' }).default('json'),
    ),
    groupBy: optionalQuery(z.enum(['none', 'month'], { error: 'cách nhóm phải là none (cả kỳ) hoặc month (theo tháng)' })),
  })
  .superRefine((q, ctx) => {
    if (!isValidLocalDate(q.from) || !isValidLocalDate(q.to)) return;
    if (q.to <= q.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `ngày kết thúc phải sau ngày bắt đầu: kỳ báo cáo tính từ ngày ${formatViDate(q.from)} đến trước ngày ${formatViDate(q.to)}, không còn ngày nào`,
        params: { en: 'must be after the start: the period would hold no day' },
      });
    } else if (q.to > latestEndOf(q.from)) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `kỳ báo cáo dài tối đa 3 năm: bắt đầu từ ngày ${formatViDate(q.from)} thì ngày kết thúc muộn nhất là ${formatViDate(latestEndOf(q.from))}`,
        params: { en: `a report covers at most 3 years: from ${q.from} the end is ${latestEndOf(q.from)} at the latest` },
      });
    }
  });

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** bao-cao-chung-thuc_000.15.43.H35_2026-11-01_2026-11-30.xlsx: the unit and the days, both ends included. */
export function reportFileName(report: CertificationReport, format: keyof typeof CONTENT_TYPES): string {
  return `bao-cao-chung-thuc_${report.unit.code}_${report.period.from}_${lastDayOf(report.period)}.${format}`;
}

async function download(report: CertificationReport, format: keyof typeof CONTENT_TYPES): Promise<Reply> {
  const data = format === 'csv' ? reportCsv(report) : format === 'xlsx' ? await reportXlsx(report) : await renderCertificationReport(report);
  // The PDF opens in the browser to be printed; the spreadsheets are saved.
  return { file: { contentType: CONTENT_TYPES[format], filename: reportFileName(report, format), data, inline: format === 'pdf' } };
}

export const reportRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/reports/certification',
    access: { right: 'CERT_REPORT' },
    action: 'report.certification',
    summary:
      'The certification report of a unit of the caller’s scope (a commune, or every commune below a district or province; a one-stop desk stands for its commune) over the Hà Nội days [from, to) (at most 3 years): per commune (and per month with groupBy=month) and in total — received, completed on time / late, refused, withdrawn, still open at the end, copies issued, fee receipts and fees collected (VND). ?format=json (default), csv (UTF-8 with BOM, ";"), xlsx or pdf (A4 landscape, to print and sign)',
    output:
      '{unit {id, code, name, level}, parent, period {from, to, lastDay}, groupBy, communes [{id, code, name}], rows [{month, unit, figures {received, completed, completedOnTime, completedLate, onTimeRate, refused, withdrawn, openAtEnd, copiesIssued, feeReceipts, feesCollectedVnd}}], total {…}, generatedAt, generatedBy {id, fullName}}; or the file',
    input: { query: CertificationReportQuery },
    handler: async (call) => {
      const { req, ctx } = call;
      const p = call.principal!;
      const q = parseInput(CertificationReportQuery, req.query);
      call.audit.target = `unit:${q.unitId}`;
      call.audit.unitId = q.unitId;
      call.audit.details = { format: q.format, from: q.from, to: q.to, groupBy: q.groupBy ?? 'none' };
      const scope = await reportScopeOf(ctx.db, p, q.unitId);
      call.audit.target = `unit:${scope.unit.code}`;
      const report = await certificationReport(ctx.db, {
        scope,
        period: { from: q.from, to: q.to },
        groupBy: q.groupBy ?? 'none',
        now: ctx.clock.now(),
        by: { id: p.officerId, fullName: p.fullName },
      });
      if (q.format === 'json') return { body: report };
      return download(report, q.format);
    },
  },
];
