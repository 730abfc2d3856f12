/**
 * Whom a leader may delegate signing to, by name: the active officers of a unit of his scope and
 * of the units below it (the same rule POST /api/delegations applies), himself excepted, each with
 * his job title and the form a delegation to him would take (KT. for a deputy leader, TUQ. else).
 * A leader holds CERT_SIGN, not USER_ADMIN: this is the list he may read.
 */
import { z } from 'zod';
import { delegatedSignatureOf, type DelegatedSignature } from '../../domain/signatureBlock';
import { foldForSearch } from '../../domain/foldForSearch';
import { parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { unitInScope } from './access';
import { optionalQuery, uuidOf } from './inputs';

const CandidatesQuery = z.object({
  unitId: uuidOf('mã đơn vị'),
  q: optionalQuery(z.string({ error: 'tên cần tìm phải là chuỗi ký tự' }).max(100, { error: 'tên cần tìm dài tối đa 100 ký tự' })),
});

const MAX_CANDIDATES = 200;

interface Candidate {
  id: string;
  username: string;
  fullName: string;
  jobTitle: string | null;
  /** The units of the delegate inside the delegation's unit, by name. */
  units: string[];
  /** What a delegation from the caller to him would record. */
  signature: DelegatedSignature;
}

export const delegationCandidatesRoute: RouteSpec = {
  method: 'get',
  path: '/api/delegations/candidates',
  access: { right: 'CERT_SIGN' },
  summary:
    'The officers the caller may delegate signing to for ?unitId (a unit of his scope): active officers of that unit and the units below it, himself excepted, by name (&q filters it, without diacritics), each with jobTitle and the signature form a delegation would record {form KT|TUQ, headTitle, signerTitle}',
  output: '{unit {id, code, name}, items: [{id, username, fullName, jobTitle, units, signature}]}',
  input: { query: CandidatesQuery },
  handler: async ({ req, ctx, principal }) => {
    const p = principal!;
    const query = parseInput(CandidatesQuery, req.query);
    const unit = await unitInScope(ctx.db, p, query.unitId);
    const rows: Array<{ id: string; username: string; full_name: string; job_title: string | null; units: string[] }> = await ctx.db.query(
      `select o.id, o.username, o.full_name, o.job_title, array_agg(u.name order by u.path) as units
         from officers o
         join officer_units ou on ou.officer_id = o.id
         join units u on u.id = ou.unit_id and u.path like $1 || '%'
        where o.status = 'active' and o.id <> $2
        group by o.id
        order by o.full_name, o.username`,
      [unit.path, p.officerId],
    );
    const me: Array<{ job_title: string | null }> = await ctx.db.query('select job_title from officers where id = $1', [p.officerId]);
    const wanted = query.q ? foldForSearch(query.q) : '';
    const items: Candidate[] = rows
      .filter((r) => wanted === '' || foldForSearch(r.full_name).includes(wanted) || r.username.includes(wanted))
      .slice(0, MAX_CANDIDATES)
      .map((r) => ({ id: r.id, username: r.username, fullName: r.full_name, jobTitle: r.job_title, units: r.units, signature: delegatedSignatureOf(me[0]?.job_title, r.job_title) }));
    return { body: { unit: { id: unit.id, code: unit.code, name: unit.name }, items } };
  },
};
