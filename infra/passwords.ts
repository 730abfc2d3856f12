/** Officer passwords: argon2id hashes, and the rule a new password must meet. */
import argon2 from 'argon2';
import { ApiError } from '../api/errors';

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** At least 8 characters with a letter and a digit; refused with the reason otherwise. */
export function checkPasswordRule(password: string): void {
  if (password.length < 8 || !/\p{L}/u.test(password) || !/\d/.test(password)) {
    throw new ApiError(
      400,
      'WEAK_PASSWORD',
      'Mật khẩu phải có ít nhất 8 ký tự, gồm cả chữ và số.',
      'The password needs at least 8 characters, with letters and digits.',
    );
  }
}
