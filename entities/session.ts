import { EntitySchema } from 'typeorm';

/**
 * A login. Only the SHA-256 of the bearer token is stored. Stage 'otp' waits for the code sent
 * by SMS; only an 'active' session opens the API.
 */
export interface Session {
  id: string;
  tokenHash: string;
  officerId: string;
  stage: 'otp' | 'active';
  otpHash: string | null;
  otpAttempts: number;
  otpExpiresAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  ip: string | null;
}

export const SessionEntity = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    tokenHash: { type: 'text', name: 'token_hash', unique: true },
    officerId: { type: 'uuid', name: 'officer_id' },
    stage: { type: 'text' },
    otpHash: { type: 'text', name: 'otp_hash', nullable: true },
    otpAttempts: { type: 'int', name: 'otp_attempts' },
    otpExpiresAt: { type: 'timestamptz', name: 'otp_expires_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    endedAt: { type: 'timestamptz', name: 'ended_at', nullable: true },
    ip: { type: 'text', nullable: true },
  },
});
