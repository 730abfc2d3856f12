/** Who may read cases: every right that works on them or watches them. */
export const READERS = { anyOf: ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'CASE_SUPERVISE', 'CERT_REPORT', 'AUDIT'] } as const;
