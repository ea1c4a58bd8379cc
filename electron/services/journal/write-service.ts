import { randomUUID } from 'node:crypto'
import type {
  CardId,
  CmBindOutcome,
  CmEnrollOutcome,
  CmRequestStatusOutcome,
  CmRetireOutcome,
  CmRetireResult,
  CmWriteError,
  CmWriteResult,
  CmWriteView,
  ProfileTemplateId,
  RequestId,
  SmartcardUuid,
  UserUuid,
} from '../../../shared/domain/cm'
import { StationError, type ErrorCode } from '../../../shared/errors'
import { assertNever } from '../../../shared/result'
import type { RetireClient, RetireInput } from '../cm/retire'
import type { Logger } from '../log'
import { runBindWrite, type BindClient } from './bind-write'
import { runEnrollWrite, type EnrollClient, type EnrollHandover } from './enroll-write'
import { isFinished, toView, type JournalEntry } from './entry'
import type { WriteJournal } from './journal'
import { runRetireWrite } from './retire-write'
import { runRequestStatusWrite, type RequestStatusClient } from './status-write'

/** Automatic retry policy of journaled writes (transient failures only). */
export interface WriteRetryPolicy {
  /** Delay before the first automatic retry; doubles per retry. */
  baseDelayMs: number
  /** Upper bound of one delay. */
  maxDelayMs: number
  /** Automatic retries after an operator action; then the entry waits for the operator. */
  maxAutoRetries: number
}

/** 1 s doubling to 5 min, 12 retries (~24 min in all), then the operator decides. */
export const DEFAULT_WRITE_RETRY: WriteRetryPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 300_000,
  maxAutoRetries: 12,
}

/** Timer functions (injectable: tests drive retries without sleeping). */
export interface WriteTimers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

const realTimers: WriteTimers = {
  set: (run, ms) => {
    const t = setTimeout(run, ms)
    t.unref?.()
    return t
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/** The CM client slice every journaled write kind needs together. */
export type WriteClient = RetireClient & BindClient & RequestStatusClient & EnrollClient

/** What a run of one entry produced (by kind). */
type RunOutcome = CmWriteResult['result']

/** A journaled write that ended (done, failed, awaiting approval) or was scheduled again, for listeners. */
export interface WriteSettled {
  entry: JournalEntry
  /** The outcome when the run succeeded (the entry is done or awaiting approval). */
  outcome: RunOutcome | null
}

/** Options of a CmWriteService. */
export interface CmWriteServiceOptions {
  journal: WriteJournal
  cm: WriteClient
  log: Logger
  retry?: WriteRetryPolicy
  timers?: WriteTimers
  now?: () => number
}

// ASSUMPTION (http.ts): the transport's "retryable" mark is private; by code, network, timeout and
// server-error are the transient ones. A 4xx business refusal is also `server-error` — retrying it is
// harmless (resumes are idempotent; POSTs look first) and the retries are bounded.
const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['network', 'timeout', 'server-error'])

/** True for failures worth retrying automatically (network, timeout, server error). */
export function isTransient(code: ErrorCode): boolean {
  return TRANSIENT.has(code)
}

function toWriteError(error: unknown): CmWriteError {
  if (!(error instanceof StationError)) return { code: 'internal' }
  const info = error.toInfo()
  return info.correlationId === undefined
    ? { code: info.code }
    : { code: info.code, correlationId: info.correlationId }
}

/** Delay before automatic retry number `n` (1-based). */
export function retryDelay(policy: WriteRetryPolicy, n: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1))
}

type RunReason = 'operator' | 'auto' | 'startup'

/**
 * Operator-requested CM writes through the durable journal ("nothing lost"): each write is recorded before
 * its first server write, its progress as it happens, and it ends done, or failed with its code and CM
 * correlation id, or scheduled for an automatic retry (transient failures, bounded backoff, and once at
 * start-up). One run per entry at a time.
 */
export class CmWriteService {
  private readonly journal: WriteJournal
  private readonly cm: WriteClient
  private readonly log: Logger
  private readonly policy: WriteRetryPolicy
  private readonly timers: WriteTimers
  private readonly now: () => number
  private readonly running = new Map<string, Promise<RunOutcome>>()
  private readonly settledListeners = new Set<(s: WriteSettled) => void>()
  private readonly scheduled = new Map<string, unknown>()
  private handover: EnrollHandover | null = null
  private closed = false

  constructor(opts: CmWriteServiceOptions) {
    this.journal = opts.journal
    this.cm = opts.cm
    this.log = opts.log
    this.policy = opts.retry ?? DEFAULT_WRITE_RETRY
    this.timers = opts.timers ?? realTimers
    this.now = opts.now ?? Date.now
  }

  /** Start-up pass: run once every unfinished entry that may proceed without the operator. */
  start(): void {
    for (const e of this.journal.list()) {
      const transientFailure = e.state === 'failed' && e.lastError !== null && isTransient(e.lastError.code)
      // awaiting-approval is re-checked too: it only reads until an approver has acted.
      if (e.state === 'pending' || e.state === 'awaiting-approval' || transientFailure) {
        this.schedule(e.id, 0, 'startup')
      }
    }
  }

  /**
   * Who takes a created Enroll request over (the enrollment service: its checkpoint) before its entry is done. Set it
   * before `start()`: an entry resumed at start-up hands its request over too.
   */
  takeEnrollRequests(handover: EnrollHandover): void {
    this.handover = handover
  }

  /**
   * Create an on-behalf Enroll request through the journal (E05; a lost answer is adopted through E06, never
   * re-posted), handed over (see takeEnrollRequests) before the call returns. Reuses the unfinished entry of the same
   * holder and template (a second Start after a crash creates no second request). Throws the write's error (the entry
   * stays, with its automatic retry scheduled when the failure is transient).
   */
  async createEnroll(input: {
    holderUuid: UserUuid
    templateId: ProfileTemplateId
    comment: string
    dataCollection: ReadonlyArray<{ name: string; value: string }>
    fromSmartcardUuid: SmartcardUuid | null
  }): Promise<CmEnrollOutcome & { writeId: string }> {
    const open = this.journal
      .list()
      .find(
        (e) =>
          e.kind === 'enroll' &&
          !isFinished(e) &&
          e.input.holderUuid === input.holderUuid &&
          e.input.templateId === input.templateId,
      )
    const id =
      open?.id ??
      this.addEntry({
        kind: 'enroll',
        input: {
          holderUuid: input.holderUuid,
          templateId: input.templateId,
          comment: input.comment,
          dataCollection: input.dataCollection.map((d) => ({ name: d.name, value: d.value })),
          fromSmartcardUuid: input.fromSmartcardUuid,
        },
        progress: { createSent: false, priorOpenRequestIds: [], requestId: null, adopted: false },
      })
    const result = (await this.run(id, 'operator')) as CmEnrollOutcome
    return { ...result, writeId: id }
  }

  /** Retire a card through the journal. Reuses the card's unfinished entry (no second Retire request). */
  async retire(input: RetireInput): Promise<CmRetireResult> {
    const scid = input.smartcardUuid
    const open = this.journal
      .list()
      .find(
        (e) =>
          e.kind === 'retire' &&
          !isFinished(e) &&
          e.input.smartcardUuid === scid &&
          (input.requestId === undefined || e.progress.requestId === input.requestId),
      )
    const id = open?.id ?? this.add(input)
    const result = (await this.run(id, 'operator')) as CmRetireOutcome
    return { ...result, writeId: id }
  }

  /**
   * Bind a card to an Enroll request through the journal (E11; a lost answer is adopted through E07, never
   * re-posted). Reuses the request's unfinished bind entry. Throws the write's error (the entry stays, with its
   * automatic retry scheduled when the failure is transient).
   */
  async bind(input: {
    requestId: RequestId
    cardId: CardId
    atr: string | null
  }): Promise<CmBindOutcome & { writeId: string }> {
    const open = this.openEntry('bind', input.requestId)
    if (open && open.kind === 'bind' && open.input.cardId !== input.cardId) {
      throw new StationError(
        'wrong-card',
        {},
        'bind: an unfinished bind of another card exists for this request',
      )
    }
    const id =
      open?.id ??
      this.addEntry({
        kind: 'bind',
        input: { requestId: input.requestId, cardId: input.cardId, atr: input.atr },
        progress: { sent: false, smartcardUuid: null, adopted: false },
      })
    const result = (await this.run(id, 'operator')) as CmBindOutcome
    return { ...result, writeId: id }
  }

  /** Complete an Enroll request through the journal (E08 `Completed`; a lost answer is adopted through E07). */
  async complete(requestId: RequestId): Promise<CmRequestStatusOutcome & { writeId: string }> {
    return this.requestStatus('complete', requestId, 'Completed')
  }

  /** Cancel (`Canceled`, before a card is bound) or abandon (`Abandoned`, after) a request through the journal. */
  async cancel(
    requestId: RequestId,
    status: 'Canceled' | 'Abandoned',
  ): Promise<CmRequestStatusOutcome & { writeId: string }> {
    return this.requestStatus('cancel', requestId, status)
  }

  /**
   * Close the unfinished entries of `kind` for `requestId` that are not running (their automatic retries stop):
   * the enrollment they served was canceled, so there is nothing left for them to do. They stay in the history.
   */
  closeFor(kind: JournalEntry['kind'], requestId: RequestId): void {
    for (const e of this.journal.list()) {
      if (e.kind !== kind || isFinished(e) || keyRequestOf(e) !== requestId || this.running.has(e.id))
        continue
      const handle = this.scheduled.get(e.id)
      if (handle !== undefined) this.timers.clear(handle)
      this.scheduled.delete(e.id)
      this.settle(e.id, (d) => {
        d.state = 'dismissed'
        d.nextRetryAt = null
      })
      this.log.info('journal: write closed (its enrollment was canceled)', { writeId: e.id, kind, requestId })
    }
  }

  /** The newest entry of `kind` about request `requestId` (the Enroll request; for retire the Retire request). */
  find(kind: JournalEntry['kind'], requestId: RequestId): JournalEntry | undefined {
    return this.journal
      .list()
      .filter((e) => e.kind === kind && keyRequestOf(e) === requestId)
      .pop()
  }

  /** Called whenever a run of any entry ends (success, failure, or rescheduling). Returns the unsubscribe. */
  onSettled(listener: (s: WriteSettled) => void): () => void {
    this.settledListeners.add(listener)
    return () => this.settledListeners.delete(listener)
  }

  /** The operator's retry of one entry (any state); throws the write's error if it fails again. */
  async retry(id: string): Promise<CmWriteResult> {
    const entry = this.journal.get(id)
    if (!entry) throw new StationError('invalid-request', {}, 'retry: no such journal entry')
    const result = await this.run(id, 'operator')
    return { kind: entry.kind, writeId: id, result } as CmWriteResult
  }

  private async requestStatus(
    kind: 'complete' | 'cancel',
    requestId: RequestId,
    status: 'Completed' | 'Canceled' | 'Abandoned',
  ): Promise<CmRequestStatusOutcome & { writeId: string }> {
    const open = this.openEntry(kind, requestId)
    const id =
      open?.id ??
      this.addEntry({
        kind,
        input: { requestId, status },
        progress: { sent: false, resultStatus: null, adopted: false },
      })
    const result = (await this.run(id, 'operator')) as CmRequestStatusOutcome
    return { ...result, writeId: id }
  }

  private openEntry(kind: JournalEntry['kind'], requestId: RequestId): JournalEntry | undefined {
    return this.journal.list().find((e) => e.kind === kind && !isFinished(e) && keyRequestOf(e) === requestId)
  }

  private addEntry(part: DistributiveNew): string {
    return this.journal.add({
      id: randomUUID(),
      state: 'pending',
      attempts: 0,
      autoRetries: 0,
      nextRetryAt: null,
      lastError: null,
      ...part,
    } as Parameters<WriteJournal['add']>[0]).id
  }

  /**
   * The operator closes a write that cannot finish (e.g. its Retire request was denied or canceled in CM):
   * it leaves the pending list and stays in the bounded history as `dismissed`; a new retire of the same card
   * then starts a new Retire request. Only failed or awaiting-approval entries, never one that is running.
   */
  dismiss(id: string): CmWriteView[] {
    const entry = this.journal.get(id)
    if (!entry || isFinished(entry))
      throw new StationError('invalid-request', {}, 'dismiss: no such open entry')
    if (this.running.has(id) || (entry.state !== 'failed' && entry.state !== 'awaiting-approval')) {
      throw new StationError('invalid-request', {}, `dismiss: entry is ${entry.state}`)
    }
    const handle = this.scheduled.get(id)
    if (handle !== undefined) this.timers.clear(handle)
    this.scheduled.delete(id)
    this.journal.update(id, (e) => {
      e.state = 'dismissed'
      e.nextRetryAt = null
    })
    this.log.info('journal: write dismissed by the operator', {
      writeId: id,
      kind: entry.kind,
      requestId: keyRequestOf(entry),
      lastCode: entry.lastError?.code ?? null,
    })
    return this.list()
  }

  /** Unfinished entries (pending, awaiting approval, failed), oldest first: ids and codes only. */
  list(): CmWriteView[] {
    return viewsOf(this.journal.list())
  }

  /** Follow `list()` after every journal change. */
  onChange(listener: (views: CmWriteView[]) => void): () => void {
    return this.journal.onChange((entries) => listener(viewsOf(entries)))
  }

  /** Resolves when no run is in flight (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()])
  }

  /** Stop scheduling (timers cleared). Runs in flight finish on their own; the journal stays consistent. */
  close(): void {
    this.closed = true
    for (const handle of this.scheduled.values()) this.timers.clear(handle)
    this.scheduled.clear()
  }

  private add(input: RetireInput): string {
    return this.addEntry({
      kind: 'retire',
      input: {
        smartcardUuid: input.smartcardUuid,
        comment: input.comment ?? '',
        dataCollection: (input.dataCollection ?? []).map((d) => ({ name: d.name, value: d.value })),
      },
      progress: {
        requestId: input.requestId ?? null,
        createSent: false,
        priorOpenRequestIds: [],
        adopted: false,
      },
    })
  }

  private schedule(id: string, ms: number, reason: RunReason): void {
    if (this.closed) return
    const old = this.scheduled.get(id)
    if (old !== undefined) this.timers.clear(old)
    const handle = this.timers.set(() => {
      this.scheduled.delete(id)
      if (this.closed) return
      // The outcome is already in the journal (and the event); nobody awaits a background run.
      this.run(id, reason).catch(() => {})
    }, ms)
    this.scheduled.set(id, handle)
  }

  private run(id: string, reason: RunReason): Promise<RunOutcome> {
    const inflight = this.running.get(id)
    if (inflight) return inflight
    const handle = this.scheduled.get(id)
    if (handle !== undefined) {
      this.timers.clear(handle)
      this.scheduled.delete(id)
    }
    const run = this.execute(id, reason).finally(() => this.running.delete(id))
    this.running.set(id, run)
    return run
  }

  private async execute(id: string, reason: RunReason): Promise<RunOutcome> {
    // Saved before any server call; if it cannot be saved, nothing is sent.
    const entry = this.journal.update(id, (e) => {
      e.attempts += 1
      e.state = 'pending'
      e.nextRetryAt = null
      if (reason === 'operator') e.autoRetries = 0
    })
    this.log.info('journal: running write', {
      writeId: id,
      kind: entry.kind,
      reason,
      attempt: entry.attempts,
    })
    try {
      const outcome = await this.runKind(entry)
      this.settle(id, (e) => {
        e.lastError = null
        if (e.kind === 'retire' && 'outcome' in outcome) {
          e.state = outcome.outcome === 'retired' ? 'done' : 'awaiting-approval'
          e.progress.requestId = outcome.requestId
        } else if (e.kind === 'enroll' && 'requestId' in outcome) {
          e.state = 'done'
          e.progress.requestId = outcome.requestId
        } else {
          e.state = 'done'
        }
      })
      this.announce(id, outcome)
      return outcome
    } catch (error) {
      this.recordFailure(id, toWriteError(error))
      this.announce(id, null)
      throw error
    }
  }

  private runKind(entry: JournalEntry): Promise<RunOutcome> {
    switch (entry.kind) {
      case 'enroll':
        return runEnrollWrite(this.cm, this.journal, entry, this.log, this.handover)
      case 'retire':
        return runRetireWrite(this.cm, this.journal, entry, this.log)
      case 'bind':
        return runBindWrite(this.cm, this.journal, entry, this.log)
      case 'complete':
      case 'cancel':
        return runRequestStatusWrite(this.cm, this.journal, entry, this.log)
      default:
        return assertNever(entry)
    }
  }

  private announce(id: string, outcome: RunOutcome | null): void {
    const entry = this.journal.get(id)
    if (!entry) return
    for (const listener of [...this.settledListeners]) {
      try {
        listener({ entry, outcome })
      } catch (error) {
        this.log.error('journal: settled listener failed', { error })
      }
    }
  }

  private recordFailure(id: string, failure: CmWriteError): void {
    const entry = this.journal.get(id)
    if (!entry) return
    const touchedServer = touched(entry)
    if (!touchedServer && !isTransient(failure.code)) {
      // Refused before any server write (e.g. E18 does not offer "retire"): nothing exists on the server
      // to lose; the operator sees the error now. Keeping it would only clutter the pending list.
      this.settle(id, null)
      this.log.info('journal: write refused before any server write', { writeId: id, code: failure.code })
      return
    }
    const auto = isTransient(failure.code) && !this.closed && entry.autoRetries < this.policy.maxAutoRetries
    const delay = auto ? retryDelay(this.policy, entry.autoRetries + 1) : 0
    this.settle(id, (e) => {
      e.lastError = failure
      e.state = auto ? 'pending' : 'failed'
      if (auto) e.autoRetries += 1
      e.nextRetryAt = auto ? new Date(this.now() + delay).toISOString() : null
    })
    this.log.warn('journal: write failed', {
      writeId: id,
      code: failure.code,
      correlationId: failure.correlationId,
      retryInMs: auto ? delay : null,
    })
    if (auto) this.schedule(id, delay, 'auto')
  }

  /** Journal changes after the server was called: a save failure is logged (by the journal), never thrown. */
  private settle(id: string, change: ((e: JournalEntry) => void) | null): void {
    try {
      if (change) this.journal.update(id, change)
      else this.journal.remove(id)
    } catch {
      // The journal logged it; the state stays in memory and is saved with the next change.
    }
  }
}

/** An entry that may have changed something on the server (so it must be kept, even after a hard refusal). */
function touched(entry: JournalEntry): boolean {
  switch (entry.kind) {
    case 'enroll':
    case 'retire':
      return entry.progress.createSent || entry.progress.requestId !== null
    case 'bind':
    case 'complete':
    case 'cancel':
      return entry.progress.sent
    default:
      return assertNever(entry)
  }
}

/**
 * The request an entry is keyed by: the Enroll request for bind/complete/cancel (and for enroll, once created), the
 * Retire request for retire.
 */
function keyRequestOf(entry: JournalEntry): RequestId | null {
  return entry.kind === 'retire' || entry.kind === 'enroll' ? entry.progress.requestId : entry.input.requestId
}

type NewEntry<E> = E extends JournalEntry ? Pick<E, 'kind' | 'input' | 'progress'> : never
type DistributiveNew = NewEntry<JournalEntry>

function viewsOf(entries: JournalEntry[]): CmWriteView[] {
  return entries.filter((e) => !isFinished(e)).map(toView)
}
