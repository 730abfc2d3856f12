/**
 * Where outgoing e-mail goes. SMTP_URL (smtp:// or smtps://, credentials in the URL) or
 * SMTP_HOST with SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD name a real server; with
 * neither, mail goes to the embedded server on 127.0.0.1:LOCAL_SMTP_PORT (default 2525), which
 * keeps every message in the database for the API to show (infra/mail/localSmtpServer.ts).
 * A wrong setting stops the process at startup rather than at the first e-mail.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { z } from 'zod';

export const DEFAULT_MAIL_FROM = 'Một cửa điện tử <no-reply@chungthuc.local>';
export const DEFAULT_LOCAL_SMTP_PORT = 2525;

export interface MailSettings {
  /** 'local' = the embedded server, which needs no credentials and offers no TLS. */
  kind: 'local' | 'smtp';
  host: string;
  port: number;
  /** TLS from the first byte (smtps, usually port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  from: string;
  tlsRejectUnauthorized: boolean;
}

export type MailTransport = Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

const boolText = (name: string) =>
  z
    .enum(['true', 'false'], { error: `${name} phải là true hoặc false / ${name} must be true or false` })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'));

const portText = (name: string) =>
  z
    .string()
    .regex(/^\d{1,5}$/, { error: `${name} phải là số cổng 1–65535 / ${name} must be a port number 1–65535` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65_535, { error: `${name} phải là số cổng 1–65535 / ${name} must be a port number 1–65535` })
    .optional();

/** "Tên <địa.chỉ@miền>" or a bare address: what the From header will say. */
const fromText = z
  .string()
  .refine((v) => /^\s*(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+)\s*$/.test(v), {
    error: 'SMTP_FROM phải là "Tên <địa.chỉ@miền>" hoặc một địa chỉ thư / SMTP_FROM must be "Name <address@domain>" or an address',
  })
  .optional();

const EnvSchema = z.object({
  SMTP_URL: z.string().optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: portText('SMTP_PORT'),
  SMTP_SECURE: boolText('SMTP_SECURE'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: fromText,
  SMTP_TLS_REJECT_UNAUTHORIZED: boolText('SMTP_TLS_REJECT_UNAUTHORIZED'),
  LOCAL_SMTP_PORT: portText('LOCAL_SMTP_PORT'),
});

function invalid(problems: string[]): Error {
  return new Error(`Cấu hình thư điện tử không hợp lệ / Invalid mail settings: ${problems.join('; ')}`);
}

/** Empty variables count as unset, as a shell `FOO=` usually means. */
function present(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(EnvSchema.shape)) {
    const v = env[name]?.trim();
    if (v) out[name] = v;
  }
  return out;
}

function fromUrl(text: string): Pick<MailSettings, 'host' | 'port' | 'secure' | 'auth'> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid([`SMTP_URL phải có dạng smtp://người-dùng:mật-khẩu@máy-chủ:cổng hoặc smtps://… / SMTP_URL must look like smtp://user:password@host:port or smtps://…`]);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw invalid([`SMTP_URL phải bắt đầu bằng smtp:// hoặc smtps://, không phải ${url.protocol}// / SMTP_URL must start with smtp:// or smtps://`]);
  }
  if (!url.hostname) throw invalid(['SMTP_URL thiếu tên máy chủ / SMTP_URL has no host']);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  if (Boolean(user) !== Boolean(pass)) throw invalid(['SMTP_URL phải có cả tên đăng nhập và mật khẩu, hoặc không có cả hai / SMTP_URL needs both user and password, or neither']);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user ? { auth: { user, pass } } : {}),
  };
}

export function mailSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MailSettings {
  const parsed = EnvSchema.safeParse(present(env));
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => i.message));
  const e = parsed.data;
  const from = e.SMTP_FROM ?? DEFAULT_MAIL_FROM;
  const tlsRejectUnauthorized = e.SMTP_TLS_REJECT_UNAUTHORIZED ?? true;

  if (e.SMTP_URL) {
    const alongside = (['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD'] as const).filter((n) => e[n] !== undefined);
    if (alongside.length > 0) {
      throw invalid([`SMTP_URL đã gồm máy chủ, cổng và tài khoản; bỏ ${alongside.join(', ')} / SMTP_URL already names host, port and account; unset ${alongside.join(', ')}`]);
    }
    return { kind: 'smtp', ...fromUrl(e.SMTP_URL), from, tlsRejectUnauthorized };
  }

  if (e.SMTP_HOST) {
    if (Boolean(e.SMTP_USER) !== Boolean(e.SMTP_PASSWORD)) {
      throw invalid(['SMTP_USER và SMTP_PASSWORD phải đặt cùng nhau / SMTP_USER and SMTP_PASSWORD go together']);
    }
    const secure = e.SMTP_SECURE ?? e.SMTP_PORT === 465;
    return {
      kind: 'smtp',
      host: e.SMTP_HOST,
      port: e.SMTP_PORT ?? (secure ? 465 : 587),
      secure,
      ...(e.SMTP_USER && e.SMTP_PASSWORD ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } } : {}),
      from,
      tlsRejectUnauthorized,
    };
  }

  const stray = (['SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD'] as const).filter((n) => e[n] !== undefined);
  if (stray.length > 0) {
    throw invalid([`${stray.join(', ')} cần SMTP_HOST (hoặc dùng SMTP_URL) / ${stray.join(', ')} need SMTP_HOST (or use SMTP_URL)`]);
  }
  return { ...localMailSettings(e.LOCAL_SMTP_PORT ?? DEFAULT_LOCAL_SMTP_PORT, from), tlsRejectUnauthorized };
}

/** The embedded server on this machine at `port` (tests start it on a free port). */
export function localMailSettings(port: number, from: string = DEFAULT_MAIL_FROM): MailSettings {
  return { kind: 'local', host: '127.0.0.1', port, secure: false, from, tlsRejectUnauthorized: true };
}

/** For start-up logs: where mail goes, without the password. */
export function describeMailSettings(s: MailSettings): string {
  const where = `${s.secure ? 'smtps' : 'smtp'}://${s.auth ? `${s.auth.user}:***@` : ''}${s.host}:${s.port}`;
  return s.kind === 'local' ? `embedded SMTP server ${where}` : where;
}

export function createMailTransport(settings: MailSettings): MailTransport {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.auth ? { auth: settings.auth } : {}),
    // The embedded server offers no TLS; a real one must not see the password in clear text.
    ignoreTLS: settings.kind === 'local',
    requireTLS: settings.kind === 'smtp' && !settings.secure && settings.auth !== undefined,
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized },
    // nodemailer waits up to 10 minutes on a silent socket by default; a retry with backoff
    // (the caller's) recovers sooner than a hung attempt.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
}
