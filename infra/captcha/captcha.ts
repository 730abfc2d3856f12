/**
 * Captchas for the citizen portal's public forms. The picture is drawn here (captchaImage.ts);
 * the database keeps only a hash of the answer salted with the captcha's id, and a captcha is
 * good for one check: the first check consumes it whether the answer was right or not, so a
 * picture cannot be tried again and again.
 */
import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { captchaDataUrl } from './captchaImage';

export interface CaptchaChallenge {
  captchaId: string;
  /** 'data:image/png;base64,…' */
  image: string;
  expiresAt: Date;
}

export interface CaptchaOptions {
  /** Default 5 minutes. */
  ttlMs?: number;
  /** The answer generator; by default 6 random characters from CAPTCHA_ALPHABET. */
  text?: () => string;
}

/**
 * Capitals and digits that stay apart when bent and turned: nothing from the groups people mix up
 * (0/O/D/Q, 1/I/L/7/J/T… kept T, 2/Z, 5/S, 6/G/b, 8/B/3… kept 3, 9/q/g/a, 4/A, U/V, P/R, E/F), so
 * each group keeps at most one member. Answers are compared without case: "k" is "K".
 */
export const CAPTCHA_ALPHABET = 'CDEHKMNRTUWXY23456';
export const CAPTCHA_LENGTH = 6;
export const DEFAULT_CAPTCHA_TTL_MS = 5 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer than any answer: a check with more is wrong without hashing it. */
const MAX_ANSWER_LENGTH = 64;

export function randomCaptchaText(): string {
  return Array.from({ length: CAPTCHA_LENGTH }, () => CAPTCHA_ALPHABET[randomInt(0, CAPTCHA_ALPHABET.length)]).join('');
}

/** What a citizen typed, as compared: case and spaces do not count. */
export function normaliseCaptchaAnswer(answer: string): string {
  return answer.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function answerHash(captchaId: string, answer: string): Buffer {
  return createHash('sha256').update(captchaId.toLowerCase()).update('\n').update(normaliseCaptchaAnswer(answer)).digest();
}

export class CaptchaService {
  private readonly ttlMs: number;
  private readonly text: () => string;

  constructor(
    private readonly db: DataSource,
    private readonly clock: { now(): Date },
    options: CaptchaOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CAPTCHA_TTL_MS;
    if (!(this.ttlMs > 0)) throw new RangeError(`captcha ttlMs must be positive, got ${this.ttlMs}`);
    this.text = options.text ?? randomCaptchaText;
  }

  async issue(): Promise<CaptchaChallenge> {
    const answer = this.text();
    if (normaliseCaptchaAnswer(answer) === '') throw new Error('captcha text generator produced an empty answer');
    const captchaId = randomUUID();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    // Expired captchas can only answer false, which a missing row does as well.
    await this.db.query(`delete from captchas where expires_at < $1`, [now]);
    await this.db.query(`insert into captchas (id, answer_hash, created_at, expires_at) values ($1, $2, $3, $4)`, [
      captchaId,
      answerHash(captchaId, answer).toString('hex'),
      now,
      expiresAt,
    ]);
    return { captchaId, image: captchaDataUrl(answer), expiresAt };
  }

  /** Single use: consumes the captcha whatever the answer; true only when not expired, not used before, and the answer matches (case-insensitive, spaces ignored). */
  async check(captchaId: string, answer: string): Promise<boolean> {
    if (typeof captchaId !== 'string' || !UUID.test(captchaId)) return false;
    const now = this.clock.now();
    // One statement marks it used and reads it, so two checks at once cannot both pass.
    const rows: Array<{ answer_hash: string; expires_at: Date }> = await this.db.query(
      `with used as (update captchas set used_at = $2 where id = $1 and used_at is null returning answer_hash, expires_at) select * from used`,
      [captchaId, now],
    );
    const row = rows[0];
    if (row === undefined || row.expires_at.getTime() <= now.getTime()) return false;
    if (typeof answer !== 'string' || answer.length > MAX_ANSWER_LENGTH) return false;
    return timingSafeEqual(Buffer.from(row.answer_hash, 'hex'), answerHash(captchaId, answer));
  }
}
