/**
 * Whether the dev inboxes are open (DEV_INBOXES). They show every SMS code and e-mail to anyone
 * who can reach the API, so they are only on by default where nothing leaves the machine anyway:
 * the local SMS provider and the embedded SMTP server, where the outbox and the mailbox stand in
 * for the citizen's phone and mailbox. With a real gateway or mail server they stay off unless
 * asked for.
 */
export function devInboxesFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const explicit = env.DEV_INBOXES?.trim();
  if (explicit === 'true') return true;
  if (explicit === 'false') return false;
  if (explicit) throw new Error(`DEV_INBOXES must be true or false, got '${explicit}'`);
  const localSms = (env.SMS_PROVIDER || 'local') === 'local';
  const localMail = !env.SMTP_URL?.trim() && !env.SMTP_HOST?.trim();
  return localSms && localMail;
}
