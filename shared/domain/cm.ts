import { EMPTY_GUID, type DescribedEnum, type DescribedFlags } from '../cm/enums'
import type { ErrorCode } from '../errors'

/**
 * CM (MIM 2016 Certificate Management) domain model: camelCase, JSON-plain, as the station uses it.
 * Built from the wire shapes of cm-rest-api.md §3 by electron/services/cm (never the raw wire JSON).
 * Empty GUIDs and unset dates are `null`; enum numbers stay raw next to their decoded name (§4.9).
 */

/** A CM GUID of a given kind; the brand keeps ids of different objects apart at compile time only. */
export type CmId<K extends string> = string & { readonly __cmId: K }

/** The card's own CardID (GUID text, lower case, no braces). Stable across re-issues (cm-rest-api.md Q6). */
export type CardId = CmId<'card-id'>
/** CM smart-card (profile) Uuid: new for each assignment of a card to a user (Q6). Never a CardId. */
export type SmartcardUuid = CmId<'smartcard'>
/** CM request Uuid. */
export type RequestId = CmId<'request'>
/** CM profile template Uuid. */
export type ProfileTemplateId = CmId<'profile-template'>
/** CM profile Uuid. */
export type ProfileId = CmId<'profile'>
/** CM user Uuid (owner, originator, target). */
export type UserUuid = CmId<'user'>

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Normalise GUID text: trim, strip one pair of braces, lower case (§1.2: send lower case, compare
 * case-insensitively). Returns null if it is not a GUID.
 */
export function normalizeGuid(text: string): string | null {
  const t = text
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .toLowerCase()
  return GUID.test(t) ? t : null
}

/** True if `text` is GUID text (any case, optional braces). */
export function isGuid(text: string): boolean {
  return normalizeGuid(text) !== null
}

/** A CardId from GUID text (e.g. the card's CardID file or `SerialNumber` `{…}`), or null. */
export function toCardId(text: string): CardId | null {
  return normalizeGuid(text) as CardId | null
}

/** A raw CM enum number with its decoded name (undefined when unknown) and confidence (§4.9). */
export type CmEnumValue = DescribedEnum

/** A raw CM flags number with the names of its known bits and the leftover unknown bits (§4.9 Flags). */
export type CmFlagsValue = DescribedFlags

/** True if `guid` is the empty GUID that means "none" (§1.3). */
export function isEmptyGuid(guid: string): boolean {
  return guid.trim().replace(/^\{(.*)\}$/, '$1') === EMPTY_GUID
}

/** `ProfileTemplateLimitedView` (§3.3), E01/E02. */
export interface CmProfileTemplate {
  uuid: ProfileTemplateId
  name: string
  description: string
  isSmartcard: boolean
  /** The template needs a (TPM) virtual smart card. */
  isVirtualSmartcard: boolean
}

/** `PinPolicy` (§3.4). */
export interface CmPinPolicy {
  minLength: number
  maxLength: number
  /** Raw; meaning unknown (OQ-11). */
  characterSet: number
  rollover: boolean
  defaultValue: string
}

/** `SmartcardConfig` (§3.4), E04. Main-process only: it carries the initial admin key. */
export interface CmSmartcardConfig {
  userPinOption: CmEnumValue
  userPinPolicy: CmPinPolicy
  adminPinPolicy: CmPinPolicy
  /** Initial admin key K0 as hex; "" means 24 zero bytes (§5.2). Secret: never log it or send it over IPC. */
  defaultAdminKeyHex: string
  providerName: string
  providerId: string
  providerType: number
  diversifyAdminKey: boolean
  cardInitializationType: string
  cardInitializationData: string
  initializeNewSmartcard: boolean
  useSecureKeyInjection: boolean
  doNotInstallCaCertificates: boolean
  certificateLabel: string
  maxNumberOfCertificates: number
  allowSmartcardReuse: boolean
  eraseOnOverflow: boolean
  /** Absent from the documented property table (OQ-06): null when the server omits it. */
  useVirtualSmartcards: boolean | null
  printPolicy: { fieldMapping: string; projectName: string; cardName: string; print: boolean }
}

/** One item the client must collect for a workflow (§3.5). */
export interface CmPolicyDataItem {
  name: string
  required: boolean | null
}

/** Workflow `Policy` (§3.5), E03. ASSUMPTION OQ-05: no example exists, so every field may be null. */
export interface CmWorkflowPolicy {
  enabled: boolean | null
  selfServiceEnabled: boolean | null
  approvalsNeeded: number | null
  enrollAgentRequired: boolean | null
  collectComments: boolean | null
  collectRequestPriority: boolean | null
  defaultRequestPriority: number | null
  dataCollection: CmPolicyDataItem[]
}

/** One collected data item of a request, as the server reports it (§3.2). */
export interface CmDataItem {
  name: string
  value: string | null
}

/** `Request` (§3.2), E06/E07/E08. */
export interface CmRequest {
  uuid: RequestId
  requestType: CmEnumValue
  status: CmEnumValue
  flags: CmFlagsValue
  dataCollection: CmDataItem[]
  dataCollectionFlags: number
  originatorUserUuid: UserUuid | null
  targetUserUuid: UserUuid | null
  /** Wire date text (UTC, "…Z"); null for .NET MinValue (Q19). */
  submitted: string | null
  completed: string | null
  newProfileUuid: ProfileId | null
  oldProfileUuid: ProfileId | null
  /** null: no card bound to the request yet (§5.3 step 4). */
  newSmartcardUuid: SmartcardUuid | null
  oldSmartcardUuid: SmartcardUuid | null
  priority: number
  comment: string
  profileTemplateUuid: ProfileTemplateId | null
  /** SDDL with the trailing NULs stripped (§1.3). */
  securityDescriptor: string
  isSmartcard: boolean
  isEnrollmentAgent: boolean
  /** Semantics unknown (OQ-27); kept, never branched on. */
  isDataCollectionComplete: boolean
}

/** `Smartcard` (§3.1), E12/E13/E17. */
export interface CmSmartcard {
  uuid: SmartcardUuid
  /** From `SerialNumber` without braces; null when it is no GUID (PKCS#11 serial numbers, §3.1). */
  cardId: CardId | null
  serialNumber: string
  status: CmEnumValue
  flags: CmFlagsValue
  parentSmartcardUuid: SmartcardUuid | null
  primarySmartcardUuid: SmartcardUuid | null
  permanentSmartcardUuid: SmartcardUuid | null
  /** The owner; still set after retirement (FX-E17-1). */
  assignedUserUuid: UserUuid | null
  profileTemplateUuid: ProfileTemplateId | null
  profileTemplateVersion: number
  comment: string
  middleware: string
  /** Lower-case hex; null when the server has none (Q10). */
  atr: string | null
}

/** `CertificateRequestGenerationOptions` (§3.6), E09: one per CSR to generate. */
export interface CmCsrOptions {
  subject: string
  keyAlgorithmName: string
  keySize: number
  friendlyName: string
  hashAlgorithmName: string
  /** Try them in order. */
  keyStorageProviderNames: string[]
  exportable: number
  keyProtectionLevel: number
  keyUsages: number
}

/** `Certificate` (§3.7), E10: one issued item (possibly more than the CSRs sent, Q9). */
export interface CmIssuedCertificate {
  templateCommonName: string
  certificateId: number
  flags: number
  useLocalMachineStore: boolean
  /** Non-null: the server reports an error for this item; surface it. */
  error: string | null
  /** Base64 CMS SignedData, whitespace removed; install when `isPkcs7`. */
  pkcs7: string | null
  /** Base64 PKCS#12 protected with the `pfxpassword` sent; import when `isPfx`. */
  pfx: string | null
  isExternal: boolean
  isServerGenerated: boolean
  isPfx: boolean
  isPkcs7: boolean
  isKeyHistory: boolean
}

/** `X509ClmCertificate` (§3.8), E20/E21 (base form) and E22 (extended form: the nullable fields set). */
export interface CmCertificateInfo {
  isKeyHistory: boolean
  archivedOnCa: boolean
  certificateType: number
  templateCommonName: string
  /** Upper-case hex. */
  serialNumber: string
  /** Upper-case hex SHA-1. */
  thumbprint: string
  /** ASSUMPTION OQ-18: no-zone wire text kept raw. */
  notAfter: string | null
  notBefore: string | null
  issuer: string | null
  requesterName: string | null
  status: number | null
}

/** `Profile` (§3.9), E23/E24/E25. */
export interface CmProfile {
  uuid: ProfileId
  status: CmEnumValue
  flags: number
  parentProfileUuid: ProfileId | null
  primaryProfileUuid: ProfileId | null
  assignedUserUuid: UserUuid | null
  profileTemplateUuid: ProfileTemplateId | null
  profileTemplateVersion: number
  comment: string
  /** Lower case, verbatim from the server. */
  operations: string[]
}

/** Outcome of the server-proposed PIN call (§5.4): 204 means the holder chooses the PIN (OQ-04). */
export type CmProposedPin = { kind: 'holder-chooses' } | { kind: 'server'; pin: string }

/** A card as the station shows it after identification: the CM record plus what the caller may do now. */
export interface CmCardSummary {
  card: CmSmartcard
  /** From E18, lower case; offer only known operations as actions (§4.9 Strings). */
  operations: string[]
}

/** Outcome of a retire (§5.6): done, or stopped because the Retire request waits for approval. */
export type CmRetireOutcome =
  | { outcome: 'retired'; requestId: RequestId; card: CmSmartcard }
  | { outcome: 'pending-approval'; requestId: RequestId }

/**
 * Kinds of operator-requested CM writes the station journals: `enroll` (E05 of an on-behalf Enroll request, §5.3
 * step 5), `retire` (§5.6), `bind` (E11, §5.3 step 7), `complete` (E08 Completed), `cancel` (E08 Canceled / Abandoned,
 * §5.7).
 */
export type CmWriteKind = 'enroll' | 'retire' | 'bind' | 'complete' | 'cancel'

/**
 * Where a journaled write stands: `pending` (running, or waiting for its automatic retry), `awaiting-approval`
 * (the CM request waits for an approver; re-checked at start-up or on retry), `failed` (waits for the
 * operator), `done`, `dismissed` (closed by the operator without finishing, e.g. the request was denied).
 */
export type CmWriteState = 'pending' | 'awaiting-approval' | 'failed' | 'done' | 'dismissed'

/** The last failure of a journaled write: a closed code and the CM correlation id, never raw text. */
export interface CmWriteError {
  code: ErrorCode
  correlationId?: string
}

/** A journaled write as the renderer sees it (`cm:list-pending-writes`, `cm:writes-changed`): ids and codes only. */
export interface CmWriteView {
  /** Journal entry id (a random UUID; not a CM id). */
  id: string
  kind: CmWriteKind
  state: CmWriteState
  /** ISO instants (station clock). */
  createdAt: string
  updatedAt: string
  /** Runs so far (the operator's first one included). */
  attempts: number
  /** CM's Uuid of the card the write is about (a bind learns it when it succeeds; null for request writes). */
  smartcardUuid: SmartcardUuid | null
  /** The card's own CardID (bind only). */
  cardId: CardId | null
  /** The CM request carrying the write (retire: once it exists; bind/complete/cancel: the Enroll request). */
  requestId: RequestId | null
  lastError: CmWriteError | null
  /** When the next automatic retry runs (ISO), or null when none is scheduled. */
  nextRetryAt: string | null
}

/** `cm:retire-card` result: the retire outcome plus the journal entry that carries it. */
export type CmRetireResult = CmRetireOutcome & { writeId: string }

/** What a Retire request must carry for a card's template (E03 `retire`, §3.5): comment prompt, data items. */
export interface CmRetirePolicyView {
  templateId: ProfileTemplateId
  /** E03 `Enabled` (null when the server does not say). */
  enabled: boolean | null
  collectComments: boolean
  needsApproval: boolean
  dataCollection: Array<{ name: string; required: boolean }>
}

/** Outcome of a journaled bind: CM's Uuid of the bound card. */
export interface CmBindOutcome {
  smartcardUuid: SmartcardUuid
  /** The bind was found on the server after an unanswered POST (not returned by it). */
  adopted: boolean
}

/** Outcome of a journaled request-status write: the request after it. */
export interface CmRequestStatusOutcome {
  requestId: RequestId
  status: CmEnumValue
}

/** Outcome of a journaled Enroll request creation: the request (the enrollment of it exists from then on). */
export interface CmEnrollOutcome {
  requestId: RequestId
  /** The request was found on the server (E06) after an unanswered POST, not returned by it. */
  adopted: boolean
}

/** `cm:retry-write` result: the outcome of the write that was run again. */
export type CmWriteResult =
  | { kind: 'enroll'; writeId: string; result: CmEnrollOutcome }
  | { kind: 'retire'; writeId: string; result: CmRetireOutcome }
  | { kind: 'bind'; writeId: string; result: CmBindOutcome }
  | { kind: 'complete' | 'cancel'; writeId: string; result: CmRequestStatusOutcome }
