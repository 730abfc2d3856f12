/** The citizen portal's collaborators of a running API: the context's, else defaults over the database. */
import { CaptchaService } from '../../infra/captcha/captcha';
import { LocalSocialInsuranceRegistry, type SocialInsuranceRegistry } from '../../infra/socialInsurance/socialInsuranceRegistry';
import { DEFAULT_CITIZEN_CONFIG, type AppContext, type CitizenConfig } from '../context';
import { ApiError } from '../errors';

export function citizenConfigOf(ctx: AppContext): CitizenConfig {
  return ctx.citizen ?? DEFAULT_CITIZEN_CONFIG;
}

export function captchaOf(ctx: AppContext): CaptchaService {
  ctx.captcha ??= new CaptchaService(ctx.db, ctx.clock);
  return ctx.captcha;
}

export function socialInsuranceOf(ctx: AppContext): SocialInsuranceRegistry {
  ctx.socialInsurance ??= new LocalSocialInsuranceRegistry(ctx.db);
  return ctx.socialInsurance;
}

/** Roots a citizen's certificate may chain to: our authority's (and imported ones'), and the public CAs configured. */
export async function citizenTrust(ctx: AppContext): Promise<{ roots: string[]; revokedSerials: Map<string, string>; at: Date }> {
  const extra = citizenConfigOf(ctx).extraTrustedRoots;
  if (!ctx.pki && extra.length === 0) {
    throw new ApiError(
      503,
      'CERTIFICATE_LOGIN_UNAVAILABLE',
      'Hệ thống chưa được cấu hình để xác thực chữ ký số; vui lòng dùng cách đăng ký/đăng nhập khác.',
      'Certificate sign-in is not configured on this server.',
    );
  }
  const own = ctx.pki ? await ctx.pki.trust() : { roots: [], revokedSerials: new Map<string, string>() };
  return { roots: [...own.roots, ...extra], revokedSerials: own.revokedSerials, at: ctx.clock.now() };
}
