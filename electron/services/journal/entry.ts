import { z } from 'zod'
import type {
  CmWriteError,
  CmWriteKind,
  CmWriteState,
  CmWriteView,
  RequestId,
  SmartcardUuid,
} from '../../../shared/domain/cm'
import { isErrorCode } from '../../../shared/errors'

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

/** Every journal entry kind (a union: 'bind' and 'complete' will join 'retire'). */
export type JournalEntry = RetireJournalEntry

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
    input: z.object({ smartcardUuid: guid, comment: z.string().max(1000) }).strict(),
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

/** Schema of the journal file; anything else (older/newer/torn/edited) is quarantined, not half-read. */
export const journalFileSchema = z
  .object({
    version: z.literal(JOURNAL_VERSION),
    entries: z.array(z.discriminatedUnion('kind', [retireEntrySchema])).max(10_000),
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
  return {
    id: entry.id,
    kind: entry.kind,
    state: entry.state,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    attempts: entry.attempts,
    smartcardUuid: entry.input.smartcardUuid,
    requestId: entry.progress.requestId,
    lastError: entry.lastError ? { ...entry.lastError } : null,
    nextRetryAt: entry.nextRetryAt,
  }
}
