import type { RequestId } from '../../../shared/domain/cm'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { StationError, type ErrorInfo } from '../../../shared/errors'
import type { ChannelName } from '../../../shared/ipc/contract'
import type { CallContext, Handlers } from '../ipc/router'
import type { JournalEntry } from '../journal/entry'
import type { WriteSettled } from '../journal/write-service'
import type { Logger } from '../log'
import type { AuditLog } from './audit-log'
import {
  AuditRecordError,
  type AuditOperatorAction,
  type AuditOutcome,
  type AuditRecordInput,
} from './record'

/**
 * Who records what (one record per event, never two layers for the same event):
 * - the IPC layer (`withOperatorAudit`) records each OPERATOR ACTION once, after the handler ran: the action, its
 *   outcome (succeeded / failed with code and correlation id / canceled) and the ids it was about;
 * - the write journal (`followWrites`) records each run of a CM WRITE when it settles (succeeded, awaiting approval,
 *   retry scheduled, failed) — the operator's first run, the journal's automatic retries and the start-up pass alike;
 * - the enrollment (`followEnrollment`) records each STEP that finished (the checkpoint's last finished step moved),
 *   that failed or refused a card (a new error), and an enrollment canceled or abandoned. A write waiting for the
 *   journal's retry is the journal's record, not the step's.
 * Nothing here reads a request's PIN or a response's server PIN: only ids, steps and codes reach `record`.
 */

/** The enrollment facts the records need (EnrollmentService implements it). */
export interface EnrollmentFacts {
  get(requestId: RequestId): EnrollmentView
  list(): EnrollmentView[]
}

/** Record without ever throwing into the caller: a refused or unwritable record is told to the diagnostic log. */
export function safeRecorder(audit: AuditLog, log: Logger): (input: AuditRecordInput) => void {
  return (input) => {
    try {
      audit.record(input)
    } catch (error) {
      if (error instanceof AuditRecordError) {
        log.error('audit: record refused (fields outside the allow-list)', {
          action: input.action,
          paths: error.paths,
        })
      } else {
        log.error('audit: record not written', { action: input.action, error })
      }
    }
  }
}

/** The channels that are operator actions, and the action each one records. */
export const OPERATOR_ACTION_CHANNELS = {
  'enrollment:start': 'start-enrollment',
  'enrollment:use-card': 'use-card',
  'enrollment:set-pin': 'set-pin',
  'enrollment:acknowledge-pin': 'acknowledge-pin',
  'enrollment:provide-pin': 'provide-pin',
  'enrollment:retire-old-cards': 'confirm-retire',
  'enrollment:retry': 'retry',
  'enrollment:cancel': 'cancel',
  'enrollment:dismiss': 'next-holder',
  'cm:retire-card': 'retire-card',
  'cm:retry-write': 'retry-write',
  'cm:dismiss-write': 'dismiss-write',
  'app:export-diagnostics': 'export-diagnostics',
} as const satisfies Partial<Record<ChannelName, AuditOperatorAction>>

/** The ids of an enrollment view, as record fields. */
function enrollmentIds(view: EnrollmentView | null): Partial<AuditRecordInput> {
  if (!view) return {}
  return {
    requestId: view.requestId,
    holder: view.holderUuid,
    cardId: view.card?.cardId ?? null,
    smartcardUuid: view.card?.smartcardUuid ?? null,
    step: view.step,
  }
}

function errorInfo(error: unknown): ErrorInfo {
  return error instanceof StationError ? error.toInfo() : { code: 'internal' }
}

type Loose = Record<string, unknown>

/** The view inside an enrollment handler's result (a view, or `enrollment:set-pin`'s `{ kind, view, … }`). */
function viewOf(result: unknown): EnrollmentView | null {
  if (!result || typeof result !== 'object') return null
  const r = result as Loose
  if (typeof r.requestId === 'string' && typeof r.step === 'string') return result as EnrollmentView
  return r.view && typeof r.view === 'object' ? (r.view as EnrollmentView) : null
}

/**
 * The record fields of one operator action: ids from the request and the result (never anything else from them —
 * `enrollment:set-pin` carries PINs both ways).
 */
function actionFields(
  channel: keyof typeof OPERATOR_ACTION_CHANNELS,
  request: Loose,
  result: unknown,
  facts: EnrollmentFacts,
  before: EnrollmentView | null,
): Partial<AuditRecordInput> {
  if (channel.startsWith('enrollment:')) {
    const requestId = typeof request.requestId === 'string' ? (request.requestId as RequestId) : null
    // The view the handler answered, else the enrollment now, else as it was before the call ("Next holder").
    const view = viewOf(result) ?? (requestId ? enrollmentNow(facts, requestId) : null) ?? before
    const ids = enrollmentIds(view)
    if (!view && requestId) ids.requestId = requestId
    if (channel === 'enrollment:start' && request.kind === 'holder' && typeof request.holderUuid === 'string')
      ids.holder = request.holderUuid
    return ids
  }
  const r = (result && typeof result === 'object' ? result : {}) as Loose
  switch (channel) {
    case 'cm:retire-card':
      return {
        smartcardUuid: request.smartcardUuid as string,
        requestId: (r.requestId as string | undefined) ?? (request.requestId as string | undefined) ?? null,
        writeId: (r.writeId as string | undefined) ?? null,
        step: null,
      }
    case 'cm:retry-write':
    case 'cm:dismiss-write':
      return { writeId: request.id as string }
    default:
      return {}
  }
}

function enrollmentNow(facts: EnrollmentFacts, requestId: RequestId): EnrollmentView | null {
  try {
    return facts.get(requestId)
  } catch {
    return null
  }
}

/** The outcome of an action that returned: the export's save dialog may have been closed. */
function returnedOutcome(result: unknown): AuditOutcome {
  const status = result && typeof result === 'object' ? (result as Loose).status : undefined
  return status === 'canceled' ? 'canceled' : 'succeeded'
}

/**
 * Wrap the operator-action handlers so each call is recorded once, after it ran (IPC layer). The request is parsed
 * already (the router checks the contract first); a call refused by the contract never reaches a handler and is not
 * an action that happened.
 */
export function withOperatorAudit(
  handlers: Handlers,
  deps: { record: (input: AuditRecordInput) => void; enrollment: EnrollmentFacts },
): Handlers {
  const out: Record<string, unknown> = { ...handlers }
  for (const [channel, action] of Object.entries(OPERATOR_ACTION_CHANNELS) as Array<
    [keyof typeof OPERATOR_ACTION_CHANNELS, AuditOperatorAction]
  >) {
    const inner = handlers[channel] as (request: unknown, ctx: CallContext) => unknown
    out[channel] = async (request: unknown, ctx: CallContext) => {
      const req = (request ?? {}) as Loose
      const before =
        channel.startsWith('enrollment:') && typeof req.requestId === 'string'
          ? enrollmentNow(deps.enrollment, req.requestId as RequestId)
          : null
      try {
        const result = await inner(request, ctx)
        deps.record({
          action,
          outcome: returnedOutcome(result),
          ...actionFields(channel, req, result, deps.enrollment, before),
        })
        return result
      } catch (error) {
        const info = errorInfo(error)
        deps.record({
          action,
          outcome: 'failed',
          ...actionFields(channel, req, null, deps.enrollment, before),
          error: info.code,
          correlationId: info.correlationId ?? null,
        })
        throw error
      }
    }
  }
  return out as Handlers
}

const WRITE_ACTION = {
  enroll: 'cm-enroll',
  bind: 'cm-bind',
  retire: 'cm-retire',
  complete: 'cm-complete',
  cancel: 'cm-cancel',
} as const satisfies Record<JournalEntry['kind'], AuditRecordInput['action']>

function writeOutcome(entry: JournalEntry): AuditOutcome {
  switch (entry.state) {
    case 'done':
      return 'succeeded'
    case 'dismissed':
      // Closed without running (its enrollment was canceled): not announced today, named for completeness.
      return 'canceled'
    case 'awaiting-approval':
      return 'awaiting-approval'
    case 'pending':
      return 'retry-scheduled'
    case 'failed':
      return 'failed'
  }
}

/** The enrollment a write serves: the Enroll request's (bind, complete, cancel) or the one retiring that card. */
function enrollmentOfWrite(entry: JournalEntry, facts: EnrollmentFacts): EnrollmentView | null {
  if (entry.kind === 'enroll') {
    return entry.progress.requestId ? enrollmentNow(facts, entry.progress.requestId) : null
  }
  if (entry.kind === 'retire') {
    const retiring = facts
      .list()
      .filter((v) => v.retire.some((r) => r.smartcardUuid === entry.input.smartcardUuid))
    return retiring.find((v) => v.status !== 'done') ?? retiring[0] ?? null
  }
  return enrollmentNow(facts, entry.input.requestId)
}

/** The record of one settled run of a journaled CM write. */
export function writeRecord(settled: WriteSettled, facts: EnrollmentFacts): AuditRecordInput {
  const { entry } = settled
  const outcome = writeOutcome(entry)
  const enrollment = enrollmentOfWrite(entry, facts)
  const failure = outcome === 'failed' || outcome === 'retry-scheduled' ? entry.lastError : null
  const base: AuditRecordInput = {
    action: WRITE_ACTION[entry.kind],
    outcome,
    writeId: entry.id,
    holder: enrollment?.holderUuid ?? null,
    error: failure?.code ?? null,
    correlationId: failure?.correlationId ?? null,
  }
  switch (entry.kind) {
    case 'enroll':
      // The Enroll request created on the holder's behalf (E05): the holder is the entry's own.
      return {
        ...base,
        holder: entry.input.holderUuid,
        requestId: entry.progress.requestId,
        step: enrollment ? enrollment.step : null,
      }
    case 'bind':
      return {
        ...base,
        requestId: entry.input.requestId,
        cardId: entry.input.cardId,
        smartcardUuid: entry.progress.smartcardUuid,
        step: 'bind',
      }
    case 'retire':
      return {
        ...base,
        requestId: entry.progress.requestId,
        smartcardUuid: entry.input.smartcardUuid,
        step: enrollment ? 'retire' : null,
      }
    case 'complete':
    case 'cancel':
      return {
        ...base,
        requestId: entry.input.requestId,
        cardId: enrollment?.card?.cardId ?? null,
        smartcardUuid: enrollment?.card?.smartcardUuid ?? null,
        step: entry.kind === 'complete' ? 'complete' : (enrollment?.step ?? null),
      }
  }
}

/** Record every settled run of the write journal (CM write layer). Returns the unsubscribe. */
export function followWrites(
  writes: { onSettled(listener: (s: WriteSettled) => void): () => void },
  deps: { record: (input: AuditRecordInput) => void; enrollment: EnrollmentFacts },
): () => void {
  return writes.onSettled((settled) => deps.record(writeRecord(settled, deps.enrollment)))
}

/** What the step layer remembers of an enrollment between two changes. */
interface StepMemo {
  lastFinishedStep: EnrollmentView['lastFinishedStep']
  failure: string | null
  ended: boolean
}

/** A failure the step layer records: the step stopped (failed) or a prompt carries a notice (a card refused). */
function failureKey(view: EnrollmentView): string | null {
  if (!view.error || view.status === 'waiting-retry' || view.status === 'working' || view.status === 'done')
    return null
  return `${view.step}|${view.status}|${view.error.code}|${view.error.correlationId ?? ''}`
}

function memoOf(view: EnrollmentView): StepMemo {
  return { lastFinishedStep: view.lastFinishedStep, failure: failureKey(view), ended: view.status === 'done' }
}

/**
 * Record the enrollment's steps (step layer): a step finished, a step failed, the enrollment canceled or abandoned.
 * `writeOf` names the journal entry a bind / complete step ran through. Returns the unsubscribe.
 */
export function followEnrollment(
  enrollment: EnrollmentFacts & {
    onChange(listener: (view: EnrollmentView) => void): () => void
    onRemoved(listener: (requestId: RequestId) => void): () => void
  },
  deps: {
    record: (input: AuditRecordInput) => void
    writeOf: (kind: 'bind' | 'complete', requestId: RequestId) => string | null
  },
): () => void {
  // Enrollments loaded from their checkpoints are where they were: only what changes from now on is recorded.
  const memo = new Map<string, StepMemo>(enrollment.list().map((v) => [v.requestId, memoOf(v)]))
  const offChange = enrollment.onChange((view) => {
    const before = memo.get(view.requestId)
    const now = memoOf(view)
    memo.set(view.requestId, now)
    const ids = enrollmentIds(view)
    const finished = view.lastFinishedStep
    if (finished !== null && finished !== before?.lastFinishedStep) {
      const writeId =
        finished === 'bind' || finished === 'complete' ? deps.writeOf(finished, view.requestId) : null
      deps.record({ action: 'step', outcome: 'finished', ...ids, step: finished, writeId })
    }
    if (now.failure !== null && now.failure !== before?.failure && view.error) {
      deps.record({
        action: 'step',
        outcome: 'failed',
        ...ids,
        error: view.error.code,
        correlationId: view.error.correlationId ?? null,
      })
    }
    if (now.ended && !before?.ended && (view.outcome === 'canceled' || view.outcome === 'abandoned')) {
      deps.record({ action: 'step', outcome: view.outcome, ...ids })
    }
  })
  const offRemoved = enrollment.onRemoved((requestId) => memo.delete(requestId))
  return () => {
    offChange()
    offRemoved()
  }
}
