import type { MigrationInterface, QueryRunner } from 'typeorm';
import { delegatedSignatureOf } from '../../domain/signatureBlock';

/**
 * A signing delegation records the legal form of the signatures made under it (Nghị định
 * 30/2020/NĐ-CP): `form` KT (a deputy leader signs in the head's place) or TUQ (another officer
 * by authorisation), `head_title` — the head named after it ("Chủ tịch") — and `delegate_title`,
 * the signer's own position printed under it. They are fixed when the delegation is given, from
 * the two officers' job titles (domain/signatureBlock.ts). Delegations given before are filled in
 * the same way here; a row written without them (older code) is completed the same way when read.
 */
export class DelegationForms1763856000020 implements MigrationInterface {
  name = 'DelegationForms1763856000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table signing_delegations
        add column form text check (form in ('KT', 'TUQ')),
        add column head_title text check (head_title is null or length(head_title) between 1 and 120),
        add column delegate_title text check (delegate_title is null or length(delegate_title) between 1 and 120);
    `);
    const rows: Array<{ id: string; from_title: string | null; to_title: string | null }> = await q.query(
      `select d.id, f.job_title as from_title, t.job_title as to_title
         from signing_delegations d join officers f on f.id = d.from_officer_id join officers t on t.id = d.to_officer_id`,
    );
    for (const r of rows) {
      const s = delegatedSignatureOf(r.from_title, r.to_title);
      await q.query('update signing_delegations set form = $2, head_title = $3, delegate_title = $4 where id = $1', [r.id, s.form, s.headTitle, s.signerTitle]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table signing_delegations drop column form, drop column head_title, drop column delegate_title;');
  }
}
