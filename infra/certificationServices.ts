/**
 * What the certification activities need from the outside world besides the database: the
 * certificate authority (PKI_MASTER_KEY), the links printed on papers (PUBLIC_BASE_URL,
 * VERIFY_LINK_SECRET) and outgoing e-mail (SMTP_* / LOCAL_SMTP_PORT) — built from the environment
 * for the worker, so a missing or malformed setting stops it at start-up, not at the first case.
 */
import type { DataSource } from 'typeorm';
import { MailOutbox } from './mail/mailOutbox';
import { createMailTransport, mailSettingsFromEnv } from './mail/mailTransport';
import { masterKeyFromEnv } from './pki/keyVault';
import { Pki } from './pki/pki';
import { publicLinksFromEnv, type PublicLinks } from './publicLinks';

export interface CertificationServices {
  pki: Pki;
  links: PublicLinks;
  mail: MailOutbox;
}

export const DEFAULT_API_PORT = 3000;

export function pkiFromEnv(db: DataSource, env: NodeJS.ProcessEnv = process.env): { pki: Pki; links: PublicLinks } {
  const masterKey = masterKeyFromEnv(env);
  const links = publicLinksFromEnv(env, { port: Number(env.PORT || DEFAULT_API_PORT), masterKey });
  // Certificates name the CRL where outside verifiers will look for it.
  return { pki: new Pki(db, { masterKey, crlUrl: `${links.baseUrl}/api/pki/crl` }), links };
}

export function certificationServicesFromEnv(db: DataSource, env: NodeJS.ProcessEnv = process.env): CertificationServices {
  const settings = mailSettingsFromEnv(env);
  return { ...pkiFromEnv(db, env), mail: new MailOutbox(db, createMailTransport(settings), { from: settings.from }) };
}
