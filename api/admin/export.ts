/**
 * "XUẤT EXCEL" of the officer search (seed 000 part B step 1): every officer matching the same
 * filters as the list, as CSV or XLSX. Audited, because it takes personal data out of the system.
 */
import { Workbook } from 'exceljs';
import { z } from 'zod';
import { formatLocalDate } from '../../domain/calendar';
import { RIGHTS } from '../../domain/rights';
import { ApiError, parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { toCsv } from './csv';
import type { OfficerView } from './officerView';
import { countOfficers, searchOfficers } from './userSearch';
import { checkFilterScope, UserFilterQuery } from './userFilters';

/** More rows than a spreadsheet for one commune office ever needs; beyond it, narrow the filters. */
export const EXPORT_MAX_ROWS = 10_000;

const ExportQuery = UserFilterQuery.extend({
  format: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['csv', 'xlsx'], { error: 'định dạng phải là csv hoặc xlsx' }).default('xlsx'),
  ),
});

export const EXPORT_HEADER = ['STT', 'Họ và tên', 'Tên đăng nhập', 'Số CMND/CCCD', 'Số điện thoại', 'Email', 'Đơn vị', 'Quyền', 'Trạng thái'] as const;

const STATUS_VI = { active: 'Hoạt động', inactive: 'Ngừng hoạt động' } as const;

function exportRow(o: OfficerView, index: number): Array<string | number> {
  return [
    index + 1,
    o.fullName,
    o.username,
    o.citizenId,
    o.phone ?? '',
    o.email ?? '',
    o.units.map((u) => `${u.name} (${u.code})`).join('; '),
    o.rights.map((r) => RIGHTS[r]).join('; '),
    STATUS_VI[o.status],
  ];
}

async function toXlsx(rows: Array<Array<string | number>>): Promise<Buffer> {
  const wb = new Workbook();
  const sheet = wb.addWorksheet('Người dùng', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_HEADER.map((header, i) => ({ header, width: [6, 28, 20, 16, 14, 28, 40, 50, 16][i] }));
  sheet.getRow(1).font = { bold: true };
  // Phone and ID numbers are written as text cells, so their leading zeros survive.
  for (const row of rows) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_HEADER.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const exportRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/admin/users/export',
    access: { right: 'USER_ADMIN' },
    action: 'admin.users.export',
    summary: `Downloads every officer matching the search filters (no paging, at most ${EXPORT_MAX_ROWS}) as ?format=xlsx (default) or csv (UTF-8 with BOM)`,
    input: { query: ExportQuery },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const q = parseInput(ExportQuery, req.query);
      const { format, ...filters } = q;
      call.audit.details = { format, filters };
      checkFilterScope(principal!, filters);
      call.audit.unitId = filters.unitId ?? null;
      // Counted first so an oversized export is refused before any officer is loaded.
      const total = await countOfficers(ctx.db, principal!, filters, filters.status);
      if (total > EXPORT_MAX_ROWS) {
        throw new ApiError(
          422,
          'EXPORT_TOO_LARGE',
          `Có ${total} người dùng phù hợp, vượt quá ${EXPORT_MAX_ROWS} dòng mỗi lần xuất. Hãy thu hẹp điều kiện tìm kiếm (ví dụ chọn đơn vị).`,
          `${total} officers match, more than the ${EXPORT_MAX_ROWS} rows of one export. Narrow the search (e.g. by unit).`,
          { total, max: EXPORT_MAX_ROWS },
        );
      }
      const all = await searchOfficers(ctx.db, principal!, filters, filters.status, { offset: 0 });
      const rows = all.items.map(exportRow);
      call.audit.details = { format, filters, rows: rows.length };
      const stem = `nguoi-dung-${formatLocalDate(ctx.clock.now().getTime())}`;
      if (format === 'csv') {
        return { file: { contentType: 'text/csv; charset=utf-8', filename: `${stem}.csv`, data: toCsv(EXPORT_HEADER, rows) } };
      }
      return {
        file: {
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          filename: `${stem}.xlsx`,
          data: await toXlsx(rows),
        },
      };
    },
  },
];
