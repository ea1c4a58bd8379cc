import { z } from 'zod'
import type {
  CardId,
  CmWriteError,
  CmWriteKind,
  CmWriteState,
  CmWriteView,
  ProfileTemplateId,
  RequestId,
  SmartcardUuid,
  UserUuid,
} from '../../../shared/domain/cm'
import { isErrorCode } from '../../../shared/errors'
import { assertNever } from '../../../shared/result'

/**
 * One journaled, operator-requested CM write. Ids, codes and the operator's comment only — never a PIN,
 * key, challenge, token or header (conventions §10): the schema below is strict, so nothing else can be
 * stored or loaded.
 */
export interface RetireJournalEntry {
  id: string
  kind: Extract<CmWriteKind, 'retire'>
  state: CmWriteState
  createdAt: string
  updatedAt: string
  /** Runs so far. */
  attempts: number
  /** Automatic retries since the operator last acted (bounded by the retry policy). */
  autoRetries: number
  nextRetryAt: string | null
  input: {
    smartcardUuid: SmartcardUuid
    /** The operator's comment, sent again if the Retire request must be created again (CM shows it anyway). */
    comment: string
    /** The Retire policy's data items, sent with the Retire request. */
    dataCollection: Array<{ name: string; value: string }>
  }
  progress: {
    /** The Retire request, persisted the moment E05 returns (or when adopted). */
    requestId: RequestId | null
    /** A POST /requests was sent: its outcome may be unknown, so look before posting again. */
    createSent: boolean
    /** Open requests bound to the card just before that POST (to recognise ours by elimination). */
    priorOpenRequestIds: RequestId[]
    /** The request was found on the server after an unknown POST outcome, not returned by the POST. */
    adopted: boolean
  }
  lastError: CmWriteError | null
}

/** Bookkeeping every entry kind shares. */
interface EntryBase {
  id: string
  state: CmWriteState
  createdAt: string
  updatedAt: string
  attempts: number
  autoRetries: number
  nextRetryAt: string | null
  lastError: CmWriteError | null
}

/**
 * E11 `POST /smartcards`: bind the new badge to an Enroll request (cm-rest-api.md §5.3 step 7). Not idempotent: a
 * POST whose answer was lost is checked with E07 `NewSmartcardUuid` (and E13 for the card's CardID) before any
 * second POST.
 */
export interface BindJournalEntry extends EntryBase {
  kind: Extract<CmWriteKind, 'bind'>
  input: { requestId: RequestId; cardId: CardId; atr: string | null }
  progress: {
    /** A POST was sent: its outcome may be unknown, so look (E07) before posting again. */
    sent: boolean
    /** CM's Uuid for the bound card, once known (returned or adopted). */
    smartcardUuid: SmartcardUuid | null
    /** Found on the server after an unknown POST outcome, not returned by the POST. */
    adopted: boolean
  }
}

/**
 * E08 `PUT /requests/{rid}` with `Completed` (kind `complete`) or `Canceled` / `Abandoned` (kind `cancel`), §5.7.
 * Before sending again after an unknown outcome, E07 tells whether the request already has the status (adopted).
 */
export interface RequestStatusJournalEntry extends EntryBase {
  kind: Extract<CmWriteKind, 'complete' | 'cancel'>
  input: { requestId: RequestId; status: 'Completed' | 'Canceled' | 'Abandoned' }
  progress: {
    sent: boolean
    /** The request's raw status after the write (8 Completed, 17 Canceled), once known. */
    resultStatus: number | null
    adopted: boolean
  }
}

/**
 * E05 `POST /requests` of an on-behalf Enroll request for a holder on a template (cm-rest-api.md §5.3 step 5). Not
 * idempotent: a POST whose answer was lost is looked for with E06 before any second POST. The entry is done only once
 * the enrollment service has taken the request over (its checkpoint exists), so a crash between the POST and that
 * checkpoint leaves the entry open — never an Enroll request the station forgot.
 */
export interface EnrollJournalEntry extends EntryBase {
  kind: Extract<CmWriteKind, 'enroll'>
  input: {
    holderUuid: UserUuid
    templateId: ProfileTemplateId
    /** The operator's comment and the Enroll policy's data items, sent with E05 (CM shows them anyway). */
    comment: string
    dataCollection: Array<{ name: string; value: string }>
    /** The holder's badge the operator started from (the enrollment's retire step offers it). */
    fromSmartcardUuid: SmartcardUuid | null
  }
  progress: {
    /** A POST /requests was sent: its outcome may be unknown, so look (E06) before posting again. */
    createSent: boolean
    /** The caller's open Enroll requests for this holder and template just before that POST (ours is not one). */
    priorOpenRequestIds: RequestId[]
    /** The Enroll request, persisted the moment E05 returns (or when adopted). */
    requestId: RequestId | null
    /** Found on the server after an unknown POST outcome, not returned by the POST. */
    adopted: boolean
  }
}

/** Every journal entry kind. */
export type JournalEntry =
  EnrollJournalEntry | RetireJournalEntry | BindJournalEntry | RequestStatusJournalEntry

/** Done or dismissed: kept only in the bounded history, never run or listed again. */
export function isFinished(entry: Pick<JournalEntry, 'state'>): boolean {
  return entry.state === 'done' || entry.state === 'dismissed'
}

/** Current file format version. */
export const JOURNAL_VERSION = 1

/** The journal file: `{ version, entries }`. */
export interface JournalFile {
  version: typeof JOURNAL_VERSION
  entries: JournalEntry[]
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const guid = z.string().regex(GUID)
const instant = z.string().max(40)

const errorSchema = z
  .object({
    code: z.string().refine(isErrorCode, 'unknown error code'),
    correlationId: z.string().max(128).optional(),
  })
  .strict()

const base = {
  id: guid,
  state: z.enum(['pending', 'awaiting-approval', 'failed', 'done', 'dismissed']),
  createdAt: instant,
  updatedAt: instant,
  attempts: z.number().int().min(0),
  autoRetries: z.number().int().min(0),
  nextRetryAt: instant.nullable(),
  lastError: null as unknown as z.ZodNullable<typeof errorSchema>,
}
base.lastError = errorSchema.nullable()

const bindEntrySchema = z
  .object({
    ...base,
    kind: z.literal('bind'),
    input: z
      .object({
        requestId: guid,
        cardId: guid,
        atr: z
          .string()
          .regex(/^[0-9a-f]{0,128}$/)
          .nullable(),
      })
      .strict(),
    progress: z.object({ sent: z.boolean(), smartcardUuid: guid.nullable(), adopted: z.boolean() }).strict(),
  })
  .strict()

const requestStatusEntrySchema = z
  .object({
    ...base,
    kind: z.enum(['complete', 'cancel']),
    input: z.object({ requestId: guid, status: z.enum(['Completed', 'Canceled', 'Abandoned']) }).strict(),
    progress: z
      .object({ sent: z.boolean(), resultStatus: z.number().int().nullable(), adopted: z.boolean() })
      .strict(),
  })
  .strict()

const retireEntrySchema = z
  .object({
    id: guid,
    kind: z.literal('retire'),
    state: z.enum(['pending', 'awaiting-approval', 'failed', 'done', 'dismissed']),
    createdAt: instant,
    updatedAt: instant,
    attempts: z.number().int().min(0),
    autoRetries: z.number().int().min(0),
    nextRetryAt: instant.nullable(),
    input: z
      .object({
        smartcardUuid: guid,
        comment: z.string().max(1000),
        // Journals written before data items were journaled have none (a default, not a quarantine).
        dataCollection: z
          .array(z.object({ name: z.string().max(200), value: z.string().max(1000) }).strict())
          .max(50)
          .default([]),
      })
      .strict(),
    progress: z
      .object({
        requestId: guid.nullable(),
        createSent: z.boolean(),
        priorOpenRequestIds: z.array(guid).max(1000),
        adopted: z.boolean(),
      })
      .strict(),
    lastError: errorSchema.nullable(),
  })
  .strict()

const dataCollectionSchema = z
  .array(z.object({ name: z.string().max(200), value: z.string().max(1000) }).strict())
  .max(50)

const enrollEntrySchema = z
  .object({
    ...base,
    kind: z.literal('enroll'),
    input: z
      .object({
        holderUuid: guid,
        templateId: guid,
        comment: z.string().max(1000),
        dataCollection: dataCollectionSchema,
        fromSmartcardUuid: guid.nullable(),
      })
      .strict(),
    progress: z
      .object({
        createSent: z.boolean(),
        priorOpenRequestIds: z.array(guid).max(1000),
        requestId: guid.nullable(),
        adopted: z.boolean(),
      })
      .strict(),
  })
  .strict()

/** Schema of the journal file; anything else (older/newer/torn/edited) is quarantined, not half-read. */
export const journalFileSchema = z
  .object({
    version: z.literal(JOURNAL_VERSION),
    entries: z
      .array(z.union([enrollEntrySchema, retireEntrySchema, bindEntrySchema, requestStatusEntrySchema]))
      .max(10_000),
  })
  .strict()

/** Parse journal text; null when it is not a valid journal. */
export function parseJournal(text: string): JournalFile | null {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = journalFileSchema.safeParse(raw)
  // The schema checks every field; the cast only restores the branded id types and exact optionals.
  return parsed.success ? (parsed.data as JournalFile) : null
}

/** The renderer's view of an entry: ids and codes only (no comment). */
export function toView(entry: JournalEntry): CmWriteView {
  const ids = idsOf(entry)
  return {
    id: entry.id,
    kind: entry.kind,
    state: entry.state,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    attempts: entry.attempts,
    smartcardUuid: ids.smartcardUuid,
    cardId: ids.cardId,
    requestId: ids.requestId,
    lastError: entry.lastError ? { ...entry.lastError } : null,
    nextRetryAt: entry.nextRetryAt,
  }
}

/** The CM ids an entry is about, whatever its kind. */
function idsOf(entry: JournalEntry): {
  smartcardUuid: SmartcardUuid | null
  cardId: CardId | null
  requestId: RequestId | null
} {
  switch (entry.kind) {
    case 'enroll':
      return { smartcardUuid: null, cardId: null, requestId: entry.progress.requestId }
    case 'retire':
      return { smartcardUuid: entry.input.smartcardUuid, cardId: null, requestId: entry.progress.requestId }
    case 'bind':
      return {
        smartcardUuid: entry.progress.smartcardUuid,
        cardId: entry.input.cardId,
        requestId: entry.input.requestId,
      }
    case 'complete':
    case 'cancel':
      return { smartcardUuid: null, cardId: null, requestId: entry.input.requestId }
    default:
      return assertNever(entry)
  }
}
