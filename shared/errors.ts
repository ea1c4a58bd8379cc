/** Closed error-code vocabularies, one per domain. Only these codes ever cross IPC (never raw text). */

/** Failures of the IPC spine itself (sender, schema, size, routing) and the catch-all. */
export const IPC_ERROR_CODES = [
  'internal',
  'invalid-request',
  'payload-too-large',
  'unknown-channel',
  'forbidden-sender',
  'disconnected',
] as const

/** Reader service (PC/SC) failures. */
export const READER_ERROR_CODES = [
  'pcsc-unavailable',
  'smartcard-support-unavailable',
  'reader-not-found',
  'not-training-mode',
] as const

/** Card-edge (GIDS over PC/SC) failures. */
export const CARD_ERROR_CODES = [
  'no-card',
  'card-removed',
  'not-gids',
  'auth-failed',
  'pin-blocked',
  'wrong-pin',
  'apdu-failed',
  'reader-unavailable',
  /** The card in the reader is not the one the operation was started for (checked before admin auth). */
  'wrong-card',
] as const

/** CM REST client failures (see ../shared/reference/cm-rest-api.md §1.7). */
export const CM_ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not-found',
  'server-error',
  'network',
  'timeout',
  'invalid-response',
  'cm-not-configured',
] as const

export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number]
export type ReaderErrorCode = (typeof READER_ERROR_CODES)[number]
export type CardErrorCode = (typeof CARD_ERROR_CODES)[number]
export type CmErrorCode = (typeof CM_ERROR_CODES)[number]
/** Every code that may appear in a failed Result. */
export type ErrorCode = IpcErrorCode | ReaderErrorCode | CardErrorCode | CmErrorCode

/** All codes, for exhaustive message tables and for validating what arrives over a bridge. */
export const ALL_ERROR_CODES: readonly ErrorCode[] = [
  ...IPC_ERROR_CODES,
  ...READER_ERROR_CODES,
  ...CARD_ERROR_CODES,
  ...CM_ERROR_CODES,
]

/** The JSON-plain error payload of a failed Result. */
export interface ErrorInfo {
  code: ErrorCode
  /** CM correlation id of a server-side failure, for the operator to quote to the CM admin. */
  correlationId?: string
  /** PIN tries left after a wrong PIN (card domain). */
  triesLeft?: number
}

/** A typed failure thrown inside main-side services; the IPC router turns it into a failed Result. */
export class StationError extends Error {
  override readonly name = 'StationError'
  constructor(
    readonly code: ErrorCode,
    readonly info: Omit<ErrorInfo, 'code'> = {},
    /** Diagnostic text for main-process logs only; never sent over IPC. */
    logDetail?: string,
  ) {
    super(logDetail ? `${code}: ${logDetail}` : code)
  }

  /** The JSON-plain payload that may cross IPC. */
  toInfo(): ErrorInfo {
    return { code: this.code, ...this.info }
  }
}

/** True if `value` is one of the closed codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ALL_ERROR_CODES as readonly string[]).includes(value)
}
