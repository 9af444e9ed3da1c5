// Errors from talking to a phone, typed so the UI can react, worded so a technician can act.
// Messages never contain passwords.

export type PhoneErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'auth-failed'
  /** The phone kept answering "Session Expired" instead of the page (phone-facts §11). */
  | 'session-expired'
  | 'not-a-phone'
  | 'protocol'
  | 'too-large'
  | 'closed-without-answer'
  | 'refused-by-post-list'
  | 'bad-input'
  | 'cancelled';

export class PhoneError extends Error {
  override readonly name = 'PhoneError';
  constructor(
    readonly code: PhoneErrorCode,
    readonly host: string,
    message: string,
  ) {
    super(message);
  }
}

export function isPhoneError(error: unknown, code?: PhoneErrorCode): error is PhoneError {
  return error instanceof PhoneError && (code === undefined || error.code === code);
}
