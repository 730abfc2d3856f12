/**
 * SOCIAL_INSURANCE_URL (with SOCIAL_INSURANCE_TOKEN) points at the registry's HTTP service; unset,
 * the local table is the registry. A malformed address stops the server at start-up.
 */
import type { DataSource } from 'typeorm';
import { HttpSocialInsuranceRegistry } from './httpSocialInsuranceRegistry';
import { LocalSocialInsuranceRegistry, type SocialInsuranceRegistry } from './socialInsuranceRegistry';

export function socialInsuranceFromEnv(db: DataSource, env: NodeJS.ProcessEnv = process.env): SocialInsuranceRegistry {
  const url = env.SOCIAL_INSURANCE_URL?.trim();
  if (!url) return new LocalSocialInsuranceRegistry(db);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`SOCIAL_INSURANCE_URL must be an http(s) address, got '${url}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`SOCIAL_INSURANCE_URL must be an http(s) address, got '${url}'`);
  return new HttpSocialInsuranceRegistry({ url, token: env.SOCIAL_INSURANCE_TOKEN?.trim() || undefined });
}
