/**
 * The citizen's portal account at reception (SPEC A step 2: "or the citizen's portal account fills
 * it"): the officer types the ID number, the form is filled from the account, and the case knows
 * where to deliver the copy.
 *
 * Reception from a portal account is legitimate at any desk, so any officer holding CERT_CREATE
 * may look a number up; the answer is therefore only what the form needs — the name and the date
 * of birth — and whether the account has a phone and an e-mail on file, masked so the officer
 * can check them with the citizen without learning them. The copy is delivered to the account
 * (and its e-mail, when the citizen gives none at the desk) whatever the form says. Every lookup
 * is audited with who asked and the number asked for, masked.
 */
import { z } from 'zod';
import { validateCitizenId } from '../../domain/citizenId';
import type { AppContext } from '../context';
import { phoneHint } from '../auth/sessions';
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

/** "012090001234" → "0120******34": enough for an auditor to match a lookup with a case, not to read the number. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 6) return '*'.repeat(idNumber.length);
  return idNumber.slice(0, 4) + '*'.repeat(idNumber.length - 6) + idNumber.slice(-2);
}

/** "pao.giang@example.vn" → "p*******@example.vn". */
export function emailHint(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(email.length);
  return email[0] + '*'.repeat(Math.max(3, at - 1)) + email.slice(at);
}

export async function citizenFromPortal(call: Call): Promise<Reply> {
  const { idNumber } = parseInput(PortalQuery, call.req.query);
  const account = await portalAccountOf(call.ctx, idNumber);
  call.audit.details = { idNumber: maskIdNumber(idNumber), found: Boolean(account) };
  if (!account) throw notFound(`tài khoản cổng dịch vụ công của số CCCD ${idNumber} (nhập thông tin công dân bằng tay)`, 'Portal account');
  call.audit.target = `citizen-account:${account.accountId}`;
  return {
    body: {
      citizen: { fullName: account.fullName, citizenId: idNumber, birthDate: account.birthDate },
      portalAccount: { phoneHint: account.phone ? phoneHint(account.phone) : null, emailHint: account.email ? emailHint(account.email) : null },
    },
  };
}
