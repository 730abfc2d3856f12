/** The land-obligation integration of the API: the tax authority and the payment gateway of the context. */
import { ApiError } from '../errors';
import type { AppContext } from '../context';
import type { LandServices } from '../../infra/landTax/landServicesFromEnv';

export function landOf(ctx: AppContext): LandServices {
  if (!ctx.land) {
    throw new ApiError(503, 'LAND_SERVICE_NOT_CONFIGURED', 'Dịch vụ thanh toán nghĩa vụ tài chính về đất đai chưa được cấu hình.', 'The land-obligation payment service is not configured.');
  }
  return ctx.land;
}

export const taxAuthorityDown = () =>
  new ApiError(
    503,
    'TAX_AUTHORITY_UNAVAILABLE',
    'Hệ thống của cơ quan thuế tạm thời không trả lời, chưa tra cứu được nghĩa vụ tài chính. Vui lòng thử lại sau ít phút.',
    'The tax authority does not answer at the moment; try again in a few minutes.',
  );

export const dossierNotFound = (dossierCode: string) =>
  new ApiError(
    404,
    'LAND_DOSSIER_NOT_FOUND',
    `Không tìm thấy hồ sơ ${dossierCode} với số CCCD/CMND đã nhập. Vui lòng kiểm tra lại Mã hồ sơ và số CCCD/CMND (liên hệ Bộ phận một cửa hoặc Chi cục Thuế nơi nộp hồ sơ nếu chưa có).`,
    `No dossier ${dossierCode} for that ID number.`,
  );
