import type { TFunction } from 'i18next'
import { isErrorCode, type ErrorCode, type ErrorInfo } from '../../shared/errors'

/**
 * The exhaustive `code → message key` table (conventions.md §5: raw text never reaches the UI).
 * `Record<ErrorCode, …>` makes a new code in shared/errors.ts a compile error here until it has a message;
 * the key type makes a missing en.json entry a compile error; the i18n test checks the other locales.
 */
export const ERROR_MESSAGE_KEYS = {
  internal: 'errors.internal',
  'invalid-request': 'errors.invalid-request',
  'payload-too-large': 'errors.payload-too-large',
  'unknown-channel': 'errors.unknown-channel',
  'forbidden-sender': 'errors.forbidden-sender',
  disconnected: 'errors.disconnected',
  'pcsc-unavailable': 'errors.pcsc-unavailable',
  'smartcard-support-unavailable': 'errors.smartcard-support-unavailable',
  'reader-not-found': 'errors.reader-not-found',
  'not-training-mode': 'errors.not-training-mode',
  'no-card': 'errors.no-card',
  'card-removed': 'errors.card-removed',
  'not-gids': 'errors.not-gids',
  'auth-failed': 'errors.auth-failed',
  'pin-blocked': 'errors.pin-blocked',
  'wrong-pin': 'errors.wrong-pin',
  'apdu-failed': 'errors.apdu-failed',
  'reader-unavailable': 'errors.reader-unavailable',
  'wrong-card': 'errors.wrong-card',
  'card-unresponsive': 'errors.card-unresponsive',
  'card-reset': 'errors.card-reset',
  'windows-sign-in-failed': 'errors.windows-sign-in-failed',
  forbidden: 'errors.forbidden',
  'not-found': 'errors.not-found',
  'server-error': 'errors.server-error',
  network: 'errors.network',
  timeout: 'errors.timeout',
  'invalid-response': 'errors.invalid-response',
  'cm-not-configured': 'errors.cm-not-configured',
  'enrollment-not-found': 'errors.enrollment-not-found',
  'wrong-step': 'errors.wrong-step',
  'request-not-found': 'errors.request-not-found',
  'request-not-executable': 'errors.request-not-executable',
  'template-not-enrollable': 'errors.template-not-enrollable',
  'card-registered-elsewhere': 'errors.card-registered-elsewhere',
  'reader-excluded': 'errors.reader-excluded',
  'card-not-initialised': 'errors.card-not-initialised',
  'pin-rule': 'errors.pin-rule',
  'pin-rules-conflict': 'errors.pin-rules-conflict',
  'card-full': 'errors.card-full',
  'certificate-error': 'errors.certificate-error',
  'certificate-missing': 'errors.certificate-missing',
  'certificate-mismatch': 'errors.certificate-mismatch',
  'key-import-unsupported': 'errors.key-import-unsupported',
  'certificate-unreadable': 'errors.certificate-unreadable',
  'enrollment-finished': 'errors.enrollment-finished',
  'certificates-issued': 'errors.certificates-issued',
  'card-not-reusable': 'errors.card-not-reusable',
  'card-in-enrollment': 'errors.card-in-enrollment',
  'directory-unavailable': 'errors.directory-unavailable',
  'directory-auth-failed': 'errors.directory-auth-failed',
  'directory-timeout': 'errors.directory-timeout',
  'too-many-results': 'errors.too-many-results',
  'directory-untrusted-certificate': 'errors.directory-untrusted-certificate',
  'directory-misconfigured': 'errors.directory-misconfigured',
  'export-failed': 'errors.export-failed',
} as const satisfies Record<ErrorCode, `errors.${ErrorCode}`>

/** The code to show: a newer main may send a code this renderer does not know, shown as the catch-all. */
export function knownCode(error: ErrorInfo): ErrorCode {
  return isErrorCode(error.code) ? error.code : 'internal'
}

/** The localized sentence for a failure with tries left, without the correlation id (shown apart, to copy). */
export function errorSentence(t: TFunction, error: ErrorInfo): string {
  const parts = [t(ERROR_MESSAGE_KEYS[knownCode(error)])]
  if (typeof error.triesLeft === 'number') parts.push(t('error.triesLeft', { tries: error.triesLeft }))
  return parts.join(' ')
}

/** The localized message for a failed Result, with tries left and the CM correlation id when present. */
export function errorMessage(t: TFunction, error: ErrorInfo): string {
  const parts = [errorSentence(t, error)]
  if (error.correlationId) parts.push(t('error.reference', { correlationId: error.correlationId }))
  return parts.join(' ')
}
