/**
 * The citizen's portal account at reception (SPEC A step 2: "or the citizen's portal account fills
 * it"): the officer types the ID number, the form is filled from the account, and the case knows
 * where to deliver the copy.
 */
import { z } from 'zod';
import { validateCitizenId } from '../../domain/citizenId';
import type { AppContext } from '../context';
import { notFound, parseInput } from '../errors';
import type { Call, Reply } from '../route';

export interface PortalAccount {
  accountId: string;
  fullName: string;
  birthDate: string | null;
  phone: string;
  email: string | null;
  assuranceLevel: string;
}

export async function portalAccountOf(ctx: AppContext, idNumber: string): Promise<PortalAccount | undefined> {
  const rows: PortalAccount[] = await ctx.db.query(
    `select id as "accountId", full_name as "fullName", birth_date::text as "birthDate", phone, email, assurance_level as "assuranceLevel"
     from citizen_accounts where kind = 'citizen' and id_number = $1 and status = 'active'`,
    [idNumber],
  );
  return rows[0];
}

export const PortalQuery = z.object({
  idNumber: z.string({ error: 'thiếu số CCCD' }).transform((value, ctx) => {
    const r = validateCitizenId(value);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.messages.vi, params: { en: r.messages.en } });
      return z.NEVER;
    }
    return r.number;
  }),
});

export async function citizenFromPortal(call: Call): Promise<Reply> {
  const { idNumber } = parseInput(PortalQuery, call.req.query);
  const account = await portalAccountOf(call.ctx, idNumber);
  if (!account) throw notFound(`tài khoản cổng dịch vụ công của số CCCD ${idNumber} (nhập thông tin công dân bằng tay)`, 'Portal account');
  call.audit.target = `citizen-account:${account.accountId}`;
  return { body: { citizen: { fullName: account.fullName, citizenId: idNumber, birthDate: account.birthDate, phone: account.phone, email: account.email }, accountId: account.accountId, assuranceLevel: account.assuranceLevel } };
}
