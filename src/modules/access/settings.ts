/** Sign-in policy. Every value is configurable (see src/config.ts); the defaults follow common guidance. */
export interface AuthSettings {
  /** A session ends this long after sign-in, whatever the activity. */
  sessionTtlMs: number;
  /** A session unused for this long ends. */
  idleTimeoutMs: number;
  /** Failed sign-ins in a row that lock a user. */
  maxFailedLogins: number;
  /** How long a lockout lasts. */
  lockoutMs: number;
  /** How long a password reset link works. */
  resetTtlMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_AUTH_SETTINGS: AuthSettings = Object.freeze({
  sessionTtlMs: 12 * 60 * MINUTE,
  idleTimeoutMs: 60 * MINUTE,
  maxFailedLogins: 5,
  lockoutMs: 15 * MINUTE,
  resetTtlMs: 60 * MINUTE,
});
