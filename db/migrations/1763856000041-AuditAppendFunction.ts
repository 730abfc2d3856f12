import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit entry appended in one statement: the function takes the append lock, reads the last
 * entry, numbers and hashes the new one and inserts it, where the application did the same in
 * three statements and a transaction of its own (api/audit/auditLog.ts). The caller gives the
 * entry's canonical content around its number (`head`, `tail`): the hash is the same SHA-256 of
 * `prev_hash \n content` that `verifyAuditChain` recomputes in the application.
 */
export class AuditAppendFunction1763856000041 implements MigrationInterface {
  name = 'AuditAppendFunction1763856000041';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create function audit_append(p_at timestamptz, p_actor_id uuid, p_actor_name text, p_unit_id uuid, p_action text, p_target text,
                                   p_outcome text, p_status int, p_details jsonb, p_ip text, p_head text, p_tail text)
        returns table (seq text, hash text) language plpgsql as $$
        declare
          v_last bigint;
          v_prev text;
          v_seq bigint;
          v_hash text;
        begin
          perform pg_advisory_xact_lock(7316002);
          select a.seq, a.hash into v_last, v_prev from audit_log a order by a.seq desc limit 1;
          v_seq := coalesce(v_last, 0) + 1;
          v_prev := coalesce(v_prev, repeat('0', 64));
          v_hash := encode(sha256(convert_to(v_prev || E'\\n' || p_head || '"seq":"' || v_seq::text || '"' || p_tail, 'UTF8')), 'hex');
          insert into audit_log (seq, at, actor_id, actor_name, unit_id, action, target, outcome, status, details, ip, prev_hash, hash)
            values (v_seq, p_at, p_actor_id, p_actor_name, p_unit_id, p_action, p_target, p_outcome, p_status, p_details, p_ip, v_prev, v_hash);
          return query select v_seq::text, v_hash;
        end $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop function audit_append');
  }
}
