import type { z } from 'zod'
import { CREATE_REQUEST_TYPES, matchVocabulary, type CreateRequestType } from '../../../shared/cm/enums'
import { normalizeGuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import type { Logger } from '../log'

/** Helpers of the CmClient: argument checks, schema parsing with path-only logging, body builders. */

/** A GUID argument in the lower-case form the client sends (§1.2). Bad input is a programming error. */
export function guidArg(value: string, what: string): string {
  const guid = typeof value === 'string' ? normalizeGuid(value) : null
  if (guid === null) throw new RangeError(`${what} must be a GUID`)
  return guid
}

/**
 * Parse a response value with a wire schema. On mismatch the offending field PATHS (never values) go to
 * the log and the caller gets a bare `invalid-response` (cm-rest-api.md §1.7; conventions §5).
 */
export function parseWire<S extends z.ZodType>(
  schema: S,
  value: unknown,
  endpoint: string,
  log: Logger,
): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const paths = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'} (${i.code})`)
  log.warn('cm: response failed schema', { endpoint, paths })
  throw new StationError('invalid-response', {}, `${endpoint}: response failed schema at ${paths.join(', ')}`)
}

/** Q15 / OQ-13: a list endpoint may answer an array, one object, 204 or `null`; always an array here. */
export function asList(value: unknown): unknown[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** Strict base64 → bytes (whitespace removed first, §1.3); null if it is not base64. */
export function decodeBase64(text: string): Buffer | null {
  const t = text.replace(/\s+/g, '')
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return null
  return Buffer.from(t, 'base64')
}

/** Lower-case hex ATR (§1.3), or a RangeError. */
export function atrArg(atr: string): string {
  const hex = atr.replace(/[\s:]/g, '').toLowerCase()
  if (!/^([0-9a-f]{2}){2,33}$/.test(hex)) throw new RangeError('atr must be hex (2–33 bytes)')
  return hex
}

/** Request types that act on a card: they send `smartcard` and no `profiletemplateuuid` (Q7). */
export type CardRequestType = Exclude<CreateRequestType, TemplateRequestType>
/** Request types that start from a profile template. */
export type TemplateRequestType = 'Enroll' | 'TemporaryCards'

/** One data-collection value to send (§3.10 `datacollection`). */
export interface CmDataItemInput {
  name: string
  value: string
}

/** Input of E05 `POST /requests`. */
export type CmCreateRequestInput = {
  dataCollection?: readonly CmDataItemInput[]
  comment?: string
  /** Target user (enrollment agent use); defaults to the caller on the server. */
  target?: string
  /** Sent as a number (Q8). */
  priority?: number
} & (
  | { type: TemplateRequestType; profileTemplateUuid: string }
  | { type: CardRequestType; smartcardUuid: string }
)

/** How `datacollection` is sent (Q4): the string form by default, the array form as a config option. */
export type DataCollectionForm = 'string' | 'array'

/** Build the E05 body with the documented lower-case names (§3.10), in the examples' key order. */
export function createRequestBody(
  input: CmCreateRequestInput,
  form: DataCollectionForm,
): Record<string, unknown> {
  // ASSUMPTION OQ-12: an array of single-key objects; the inner JSON is built with JSON.stringify (Q4).
  const items = (input.dataCollection ?? []).map((i) => ({ [i.name]: i.value }))
  const type = matchVocabulary(CREATE_REQUEST_TYPES, input.type)
  if (type === undefined) throw new RangeError('unknown request type')
  const cardTargeted = type !== 'Enroll' && type !== 'TemporaryCards'
  if (cardTargeted !== 'smartcardUuid' in input)
    throw new RangeError(`${type} needs a ${cardTargeted ? 'smartcard' : 'template'}`)
  const body: Record<string, unknown> = {
    datacollection: form === 'string' ? JSON.stringify(items) : items,
    type,
  }
  if ('smartcardUuid' in input) body.smartcard = guidArg(input.smartcardUuid, 'smartcardUuid')
  else body.profiletemplateuuid = guidArg(input.profileTemplateUuid, 'profileTemplateUuid')
  body.comment = input.comment ?? ''
  if (input.target !== undefined) body.target = guidArg(input.target, 'target')
  if (input.priority !== undefined) {
    if (!Number.isInteger(input.priority)) throw new RangeError('priority must be an integer')
    body.priority = input.priority
  }
  return body
}
