/**
 * MIM CM REST enumerations as data (cm-rest-api.md §4). The docs never publish numeric values, so each
 * entry carries the confidence level of §4; unknown numbers stay raw (§4.9). Pure: no Node, no DOM.
 */

/** How sure we are of a number ↔ name pair (cm-rest-api.md §4 intro). */
export type EnumConfidence = 'observed' | 'documented' | 'inferred' | 'weak' | 'unknown' | 'placeholder'

/** One row of an enum table. */
export interface EnumEntry {
  readonly value: number
  readonly name: string
  readonly confidence: EnumConfidence
}

/** A numeric enum table. */
export type EnumTable = readonly EnumEntry[]

/** Result of decoding a raw number: the name only when the table knows it (§4.9 "keep raw"). */
export interface DescribedEnum {
  raw: number
  name: string | undefined
  confidence: EnumConfidence | undefined
}

/** Decode a raw enum number at the edge; unknown numbers keep `name: undefined` (e.g. `{ raw: 7 }`). */
export function describeEnum(table: EnumTable, n: number): DescribedEnum {
  const hit = table.find((e) => e.value === n)
  return { raw: n, name: hit?.name, confidence: hit?.confidence }
}

/** Look a number up by (case-insensitive) name; undefined when the table has no such name. */
export function enumValueOf(table: EnumTable, name: string): number | undefined {
  const lower = name.trim().toLowerCase()
  return table.find((e) => e.name.toLowerCase() === lower)?.value
}

/** `Smartcard.Status` (§4.1). 4/5 order unconfirmed. */
// ASSUMPTION OQ-09: Disabled 4, Suspended 5 (SQL codes + 1).
export const SMARTCARD_STATUS: EnumTable = [
  { value: 0, name: 'None', confidence: 'inferred' },
  { value: 1, name: 'New', confidence: 'inferred' },
  { value: 2, name: 'Assigned', confidence: 'observed' },
  { value: 3, name: 'Active', confidence: 'observed' },
  { value: 4, name: 'Disabled', confidence: 'inferred' },
  { value: 5, name: 'Suspended', confidence: 'inferred' },
  { value: 6, name: 'Retired', confidence: 'observed' },
]

/** `Profile.Status` (§4.1b): only Active = 2 has (weak) evidence. */
// ASSUMPTION OQ-11: other ProfileStatus numbers are unknown; keep them raw.
export const PROFILE_STATUS: EnumTable = [{ value: 2, name: 'Active', confidence: 'weak' }]

/** `Request.Status` (§4.2), numbers from the FIM CM SQL API; 3 and 8 observed. */
export const REQUEST_STATUS: EnumTable = [
  { value: 0, name: 'None', confidence: 'documented' },
  { value: 3, name: 'Approved', confidence: 'observed' },
  { value: 4, name: 'Denied', confidence: 'documented' },
  { value: 8, name: 'Completed', confidence: 'observed' },
  { value: 9, name: 'Failed', confidence: 'documented' },
  { value: 16, name: 'Pending', confidence: 'documented' },
  { value: 17, name: 'Canceled', confidence: 'documented' },
  { value: 18, name: 'Executing', confidence: 'documented' },
]

/** `Request.RequestType` values with real evidence (§4.3): safe to show against a real server. */
export const REQUEST_TYPE: EnumTable = [
  { value: 0, name: 'None', confidence: 'inferred' },
  { value: 1, name: 'Enroll', confidence: 'observed' },
  { value: 5, name: 'Unblock', confidence: 'observed' },
]

/**
 * PLACEHOLDER request-type numbers the simulator emits for types whose real numbers are unknown (§4.3).
 * The client may merge these into its name map ONLY when `serverProfile === 'simulator'`.
 */
// ASSUMPTION OQ-08: reserved range 101–110 cannot collide with real values.
export const REQUEST_TYPE_PLACEHOLDER: EnumTable = [
  { value: 101, name: 'Duplicate', confidence: 'placeholder' },
  { value: 102, name: 'OfflineUnblock', confidence: 'placeholder' },
  { value: 103, name: 'OnlineUpdate', confidence: 'placeholder' },
  { value: 104, name: 'Renew', confidence: 'placeholder' },
  { value: 105, name: 'Recover', confidence: 'placeholder' },
  { value: 106, name: 'RecoverOnBehalf', confidence: 'placeholder' },
  { value: 107, name: 'Reinstate', confidence: 'placeholder' },
  { value: 108, name: 'Retire', confidence: 'placeholder' },
  { value: 109, name: 'Revoke', confidence: 'placeholder' },
  { value: 110, name: 'TemporaryCards', confidence: 'placeholder' },
]

/** Real + placeholder request types: the simulator's (and training mode's) full table. */
export const REQUEST_TYPE_SIMULATOR: EnumTable = [...REQUEST_TYPE, ...REQUEST_TYPE_PLACEHOLDER]

/**
 * PLACEHOLDER `SmartcardConfig.UserPinOption` numbers (§4.6); only 3 (UserProvided) has a weak hint.
 * Clients must probe E16 instead of trusting these (§5.4).
 */
// ASSUMPTION OQ-07: None 0, ServerDistributed 1, Randomized 2, UserProvided 3, CustomServerDistributed 4.
export const USER_PIN_OPTION: EnumTable = [
  { value: 0, name: 'None', confidence: 'placeholder' },
  { value: 1, name: 'ServerDistributed', confidence: 'placeholder' },
  { value: 2, name: 'Randomized', confidence: 'placeholder' },
  { value: 3, name: 'UserProvided', confidence: 'weak' },
  { value: 4, name: 'CustomServerDistributed', confidence: 'placeholder' },
]

/** `Request.Flags` bits (§4.4). */
export const REQUEST_FLAGS: EnumTable = [
  { value: 1, name: 'EnrollmentAgent', confidence: 'inferred' },
  { value: 2, name: 'Smartcard', confidence: 'inferred' },
]

/** `Smartcard.Flags` bits (§4.5); only Primary has evidence. */
export const SMARTCARD_FLAGS: EnumTable = [{ value: 1, name: 'Primary', confidence: 'inferred' }]

/** Decoded bitmask: known bit names plus leftover unknown bits (shown as hex, §4.9). */
export interface DescribedFlags {
  raw: number
  names: string[]
  unknownBits: number
}

/** Split a flags number into known bit names and leftover bits. */
export function describeFlags(table: EnumTable, n: number): DescribedFlags {
  const names: string[] = []
  let rest = n
  for (const e of table) {
    if (e.value !== 0 && (n & e.value) === e.value) {
      names.push(e.name)
      rest &= ~e.value
    }
  }
  return { raw: n, names, unknownBits: rest }
}

/** `type` values of `POST /requests` (§4.3, [D]); send capitalized, compare case-insensitively. */
export const CREATE_REQUEST_TYPES = [
  'Enroll',
  'Duplicate',
  'OfflineUnblock',
  'OnlineUpdate',
  'Renew',
  'Recover',
  'RecoverOnBehalf',
  'Reinstate',
  'Retire',
  'Revoke',
  'TemporaryCards',
  'Unblock',
] as const

/** `{type}` values of the workflow-policy route E03: TemporaryEnroll instead of TemporaryCards (§4.3). */
export const POLICY_TYPES = [
  'Enroll',
  'Duplicate',
  'OfflineUnblock',
  'OnlineUpdate',
  'Renew',
  'Recover',
  'RecoverOnBehalf',
  'Reinstate',
  'Retire',
  'Revoke',
  'TemporaryEnroll',
  'Unblock',
] as const

/** `status` values of `PUT /requests/{rid}` (E08). */
export const REQUEST_PUT_STATUSES = ['Completed', 'Canceled', 'Abandoned'] as const

/** `status` values of `PUT /requests/{rid}/smartcards/{scid}` (E17): Retired documented, others inferred. */
// ASSUMPTION OQ-03: Disabled and Suspended are placeholders beyond the documented Retired.
export const SMARTCARD_PUT_STATUSES = ['Retired', 'Disabled', 'Suspended'] as const

/** `status` query of `GET /requests` (E06). */
export const REQUEST_QUERY_STATUSES = [
  'Approved',
  'Canceled',
  'Completed',
  'Denied',
  'Executing',
  'Failed',
  'None',
  'Pending',
] as const

/** `status` query of `GET /profiles` (E23): the request list plus Active, as documented. */
export const PROFILE_QUERY_STATUSES = ['Active', ...REQUEST_QUERY_STATUSES] as const

/** Operation names of E18/E19 and `ProfileOperations`, lower case as on the wire (§4.3). */
export const OPERATION_NAMES = [
  'onlineupdate',
  'renew',
  'recover',
  'recoveronbehalf',
  'retire',
  'revoke',
  'unblock',
  'disable',
] as const

/** Operation → create `type` (§4.3); `disable` has none (OQ-23), so it is shown but never offered. */
// ASSUMPTION OQ-23: 'disable' maps to no create type.
export const OPERATION_TO_REQUEST_TYPE: Readonly<Record<string, CreateRequestType | undefined>> = {
  renew: 'Renew',
  unblock: 'Unblock',
  retire: 'Retire',
  recover: 'Recover',
  recoveronbehalf: 'RecoverOnBehalf',
  revoke: 'Revoke',
  onlineupdate: 'OnlineUpdate',
  disable: undefined,
}

/** A `POST /requests` type string. */
export type CreateRequestType = (typeof CREATE_REQUEST_TYPES)[number]
/** A workflow-policy `{type}` string. */
export type PolicyType = (typeof POLICY_TYPES)[number]
/** An E08 status string. */
export type RequestPutStatus = (typeof REQUEST_PUT_STATUSES)[number]
/** An E17 status string. */
export type SmartcardPutStatus = (typeof SMARTCARD_PUT_STATUSES)[number]
/** An E06 status query string. */
export type RequestQueryStatus = (typeof REQUEST_QUERY_STATUSES)[number]

/** Find the canonical spelling of a vocabulary word, case-insensitively (§1.2); undefined when absent. */
export function matchVocabulary<T extends string>(vocab: readonly T[], input: string): T | undefined {
  const lower = input.trim().toLowerCase()
  return vocab.find((v) => v.toLowerCase() === lower)
}

/** The empty GUID that means "none" on the wire (§1.3). */
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000'

/** .NET `DateTime.MinValue` as the server writes it for "not set" (Q19). */
export const UNSET_DATE = '0001-01-01T00:00:00'
