/**
 * Bilingual messages shared by the pure domain rules. The UI is Vietnamese first; English is kept
 * beside it for logs, auditors and foreign-language support staff.
 */
export interface BilingualMessage {
  readonly vi: string;
  readonly en: string;
}

export function bilingual(vi: string, en: string): BilingualMessage {
  return { vi, en };
}

/** One line, Vietnamese first: "Tiếng Việt / English". */
export function formatBilingual(message: BilingualMessage): string {
  return `${message.vi} / ${message.en}`;
}

/**
 * A rule violated by the caller's input. `code` is stable for programs; `message` (inherited from
 * Error) is the bilingual line so that an unhandled throw still reads well in logs.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly messages: BilingualMessage;

  constructor(code: string, messages: BilingualMessage) {
    super(formatBilingual(messages));
    this.name = 'DomainError';
    this.code = code;
    this.messages = messages;
  }
}

/** The failing half of the discriminated results returned by validators. */
export interface RuleFailure {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
  readonly messages: BilingualMessage;
}

export function failure(code: string, messages: BilingualMessage): RuleFailure {
  return { ok: false, code, message: formatBilingual(messages), messages };
}
