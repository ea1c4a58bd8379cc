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
  /** The card is present but gives no ATR and does not answer (a mute card, PC/SC 0x80100066). */
  'card-unresponsive',
  /** Another program reset the card during the operation (PC/SC 0x80100068), twice in a row. */
  'card-reset',
] as const

/** CM REST client failures (see ../shared/reference/cm-rest-api.md §1.7). */
export const CM_ERROR_CODES = [
  /**
   * CM (IIS) answered 401: the station's Windows sign-in (Negotiate: Kerberos, or NTLM) was not accepted — no
   * ticket for the CM host's SPN, the host missing from the sign-in allow-list, an account CM's site refuses. The
   * station authenticates only with the desk's Windows account, so every 401 is this (cm-rest-api.md §1.5, §1.7).
   */
  'windows-sign-in-failed',
  'forbidden',
  'not-found',
  'server-error',
  'network',
  'timeout',
  'invalid-response',
  'cm-not-configured',
] as const

/** Enrollment workflow failures (issue "Issue a badge, end to end"; cm-rest-api.md §5.3–§5.7). */
export const ENROLLMENT_ERROR_CODES = [
  /** No enrollment (checkpoint) for this request id. */
  'enrollment-not-found',
  /** The intent does not fit the step the enrollment is in (e.g. a PIN before the admin key). */
  'wrong-step',
  /** CM has no Enroll request with this id that the operator can see. */
  'request-not-found',
  /** The request is Denied, Canceled, Completed, Failed or not an Enroll request: it cannot be executed. */
  'request-not-executable',
  /** The request is not a smart-card request, or its template is not one the operator may issue badges on. */
  'template-not-enrollable',
  /** The card is already Active/Assigned in CM (for this or another holder): it is not a new badge. */
  'card-registered-elsewhere',
  /** The reader is excluded by the station's configuration. */
  'reader-excluded',
  /** A GIDS card without a card ID (not initialised). */
  'card-not-initialised',
  /** The PIN breaks the effective PIN rules (template, card type, station minimum), or the card refused it (67 00 / 6A 80). */
  'pin-rule',
  /** The template's PIN rules contradict the card's own limits: no PIN can satisfy both. */
  'pin-rules-conflict',
  /** The card has no room for another key or certificate (6A 84). */
  'card-full',
  /** CM reported an error for a certificate (E10 `Error` non-null, Q9). */
  'certificate-error',
  /** CM answered E10 without a certificate for a key the card generated. */
  'certificate-missing',
  /** An issued certificate does not match any key on the card. */
  'certificate-mismatch',
  /** CM returned a server-generated key (PFX) and this card cannot import keys. */
  'key-import-unsupported',
  /** CM's certificate answer could not be read (not CMS SignedData / PKCS#12 as documented). */
  'certificate-unreadable',
  /** The enrollment is already finished (completed, canceled or abandoned). */
  'enrollment-finished',
  /**
   * Certificates were requested for the new card: it is not abandoned with valid credentials on it; the enrollment
   * is finished (complete), and the badge retired afterwards if it must not be used.
   */
  'certificates-issued',
  /** The card was retired and its template does not allow a retired card to be issued again (E04). */
  'card-not-reusable',
  /** The card is the new badge of an enrollment in progress on this station: finish or cancel that first. */
  'card-in-enrollment',
] as const

/** Directory (LDAP / Active Directory) failures (issue "Find the holder"). */
export const DIRECTORY_ERROR_CODES = [
  /** The directory server cannot be reached (refused, unknown host, connection timeout, closed). */
  'directory-unavailable',
  /** The station's service account was refused by the directory (wrong or missing bind password). */
  'directory-auth-failed',
  /** The directory accepted the connection but did not answer in time. */
  'directory-timeout',
  /** More people match than the station reads for one search: type more of the name. */
  'too-many-results',
  /** The directory's TLS certificate is not trusted (wrong CA, expired, or another host's name). */
  'directory-untrusted-certificate',
  /**
   * The station's directory settings cannot work (CA file unreadable or not PEM, a page size above the server's
   * limit, StartTLS refused by the server, the stored password unreadable): for IT, with the reason in the log.
   */
  'directory-misconfigured',
] as const

/** Station-level failures (issue "The station on a managed Windows desk"). */
export const APP_ERROR_CODES = [
  /** The diagnostics zip could not be written (the folder is not writable, the disk is full). */
  'export-failed',
] as const

export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number]
export type ReaderErrorCode = (typeof READER_ERROR_CODES)[number]
export type CardErrorCode = (typeof CARD_ERROR_CODES)[number]
export type CmErrorCode = (typeof CM_ERROR_CODES)[number]
export type EnrollmentErrorCode = (typeof ENROLLMENT_ERROR_CODES)[number]
export type DirectoryErrorCode = (typeof DIRECTORY_ERROR_CODES)[number]
export type AppErrorCode = (typeof APP_ERROR_CODES)[number]
/** Every code that may appear in a failed Result. */
export type ErrorCode =
  | IpcErrorCode
  | ReaderErrorCode
  | CardErrorCode
  | CmErrorCode
  | EnrollmentErrorCode
  | DirectoryErrorCode
  | AppErrorCode

/** All codes, for exhaustive message tables and for validating what arrives over a bridge. */
export const ALL_ERROR_CODES: readonly ErrorCode[] = [
  ...IPC_ERROR_CODES,
  ...READER_ERROR_CODES,
  ...CARD_ERROR_CODES,
  ...CM_ERROR_CODES,
  ...ENROLLMENT_ERROR_CODES,
  ...DIRECTORY_ERROR_CODES,
  ...APP_ERROR_CODES,
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
