/** What the dev inboxes accept, with the problems explained in Vietnamese. */
import { z } from 'zod';
import { mobileField, optionalQuery, pageField, pageSizeField } from '../admin/inputs';
import { MailboxQuery } from '../mail/inputs';

export const DevSmsQuery = z.object({
  /** Any way of writing the number ("+84 912 000 501", "0912000501"): the outbox holds it normalised. */
  phone: optionalQuery(mobileField),
  page: pageField,
  pageSize: pageSizeField(100, 50),
});

export const DevMailQuery = MailboxQuery;

export const DevMailParams = z.object({ id: z.uuid({ error: 'mã thư không hợp lệ (phải là mã UUID)' }) });
