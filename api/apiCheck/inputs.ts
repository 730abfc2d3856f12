/** Inputs of the API check console and of the configured-API list. */
import { z } from 'zod';
import { API_CHECK_TYPES } from '../../domain/apiCheck';
import { required, uuidOf } from '../admin/inputs';

/** Bodies are JSON documents an officer types; 100 KB is far above any template. */
const BODY_MAX = 100_000;

const apiType = z.enum(API_CHECK_TYPES, { error: required('thiếu loại API', `loại API không tồn tại; chọn một trong: ${API_CHECK_TYPES.join(', ')}`) });
const method = z.enum(['GET', 'POST'], { error: 'chỉ kiểm tra bằng phương thức GET hoặc POST' });
const url = (label: string) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi`) })
    .trim()
    .min(1, { error: `thiếu ${label}` })
    .max(2000, { error: `${label} tối đa 2000 ký tự` });
const body = z.string({ error: 'nội dung body phải là chuỗi' }).max(BODY_MAX, { error: 'body tối đa 100 000 ký tự' });

/**
 * One object for both cases of the seed's form (the OpenAPI document describes one body); the
 * fields each case needs are checked by the handler: "API mới" url, dstCode, apiType;
 * "API đã cấu hình" endpointId.
 */
export const SendBody = z.object({
  mode: z.enum(['new', 'configured'], { error: 'chọn "API mới" hoặc "API đã cấu hình"' }),
  url: url('URL API địa phương').optional(),
  dstCode: z.string({ error: 'mã DST phải là chuỗi' }).trim().max(60, { error: 'mã DST tối đa 60 ký tự' }).optional(),
  apiType: apiType.optional(),
  httpMethod: method.optional(),
  endpointId: uuidOf('API đã cấu hình').optional(),
  body: body.optional(),
});
export type SendBody = z.infer<typeof SendBody>;

export const EndpointBody = z.object({
  unitId: uuidOf('đơn vị'),
  apiType,
  name: z.string({ error: required('thiếu tên API', 'tên API phải là chuỗi') }).trim().min(1, { error: 'thiếu tên API' }).max(200, { error: 'tên API tối đa 200 ký tự' }),
  sessionUrl: url('URL API lấy session').optional().or(z.literal('')),
  dataUrl: url('URL API lấy dữ liệu'),
  httpMethod: method.default('POST'),
  bodyTemplate: body.optional(),
  sessionUsername: z.string({ error: 'tên đăng nhập phải là chuỗi' }).trim().max(200).optional(),
  /** Write-only: absent or empty keeps the stored one. */
  sessionPassword: z.string({ error: 'mật khẩu phải là chuỗi' }).max(500).optional(),
  clearSessionPassword: z.boolean({ error: 'xóa mật khẩu: đúng hoặc sai' }).optional(),
});
export type EndpointBody = z.infer<typeof EndpointBody>;

export const EndpointParams = z.object({ id: uuidOf('API đã cấu hình') });
export const NoBody = z.object({});
