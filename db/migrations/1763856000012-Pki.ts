import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The embedded PKI: every certificate the system can sign with (root CA, leaders' personal
 * certificates, communes' seal certificates; issued here or imported from PKCS#12), its
 * encrypted private key, and its revocation. Partial unique indexes keep one active root and one
 * active certificate per officer and per unit, so two processes issuing at once cannot both win.
 * CRL numbers come from a sequence: increasing, never reused.
 */
export class Pki1763856000012 implements MigrationInterface {
  name = 'Pki1763856000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table pki_certificates (
        serial text primary key check (serial ~ '^[0-9A-F]+$'),
        kind text not null check (kind in ('authority', 'person', 'organisation')),
        subject text not null,
        issuer text not null,
        officer_id uuid references officers (id),
        unit_id uuid references units (id),
        certificate_pem text not null,
        chain_pem text[] not null default '{}',
        private_key_enc bytea not null,
        profile text,
        not_before timestamptz not null,
        not_after timestamptz not null,
        imported boolean not null default false,
        active boolean not null default true,
        revoked_at timestamptz,
        revocation_reason text,
        created_at timestamptz not null,
        check ((kind = 'person') = (officer_id is not null)),
        check ((kind = 'organisation') = (unit_id is not null)),
        check (revoked_at is null or not active),
        check ((revoked_at is null) = (revocation_reason is null))
      );
      create unique index pki_one_active_authority on pki_certificates (kind) where kind = 'authority' and active;
      create unique index pki_one_active_person on pki_certificates (officer_id) where kind = 'person' and active;
      create unique index pki_one_active_organisation on pki_certificates (unit_id) where kind = 'organisation' and active;
      create index pki_certificates_revoked on pki_certificates (revoked_at) where revoked_at is not null;

      create sequence pki_crl_number;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop sequence pki_crl_number;
      drop table pki_certificates;
    `);
  }
}
