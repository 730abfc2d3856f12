import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Captchas of the citizen portal's public forms (registration, login, password reset). Only a
 * salted hash of the answer is kept: whoever reads the table cannot solve the pictures. A captcha
 * serves one check whatever its outcome (used_at), and rows past their expiry are purged as new
 * ones are issued.
 *
 * Also: the embedded authority may issue a signing certificate to a citizen (for demonstrations
 * and tests of signature login; in production citizens bring certificates from public CAs). Such a
 * certificate is recorded so that it can be revoked and appear on the CRL, but its private key
 * leaves with the citizen: kind 'citizen', and no key stored for it (and only for it).
 */
export class Captchas1763856000016 implements MigrationInterface {
  name = 'Captchas1763856000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table captchas (
        id uuid primary key,
        answer_hash text not null check (answer_hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz,
        check (expires_at > created_at)
      );
      create index captchas_expiry on captchas (expires_at);

      alter table pki_certificates drop constraint pki_certificates_kind_check;
      alter table pki_certificates add constraint pki_certificates_kind_check check (kind in ('authority', 'person', 'organisation', 'citizen'));
      alter table pki_certificates alter column private_key_enc drop not null;
      alter table pki_certificates add constraint pki_certificates_key_held check ((private_key_enc is null) = (kind = 'citizen'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      delete from pki_certificates where kind = 'citizen';
      alter table pki_certificates drop constraint pki_certificates_key_held;
      alter table pki_certificates alter column private_key_enc set not null;
      alter table pki_certificates drop constraint pki_certificates_kind_check;
      alter table pki_certificates add constraint pki_certificates_kind_check check (kind in ('authority', 'person', 'organisation'));
      drop table captchas;
    `);
  }
}
