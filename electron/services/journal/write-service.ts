import { randomUUID } from 'node:crypto'
import type {
  CmRetireOutcome,
  CmRetireResult,
  CmWriteError,
  CmWriteResult,
  CmWriteView,
} from '../../../shared/domain/cm'
import { StationError, type ErrorCode } from '../../../shared/errors'
import type { RetireClient, RetireInput } from '../cm/retire'
import type { Logger } from '../log'
import { isFinished, toView, type JournalEntry } from './entry'
import type { WriteJournal } from './journal'
import { runRetireWrite } from './retire-write'

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

/** Options of a CmWriteService. */
export interface CmWriteServiceOptions {
  journal: WriteJournal
  cm: RetireClient
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
  private readonly cm: RetireClient
  private readonly log: Logger
  private readonly policy: WriteRetryPolicy
  private readonly timers: WriteTimers
  private readonly now: () => number
  private readonly running = new Map<string, Promise<CmRetireOutcome>>()
  private readonly scheduled = new Map<string, unknown>()
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
    const result = await this.run(id, 'operator')
    return { ...result, writeId: id }
  }

  /** The operator's retry of one entry (any state); throws the write's error if it fails again. */
  async retry(id: string): Promise<CmWriteResult> {
    const entry = this.journal.get(id)
    if (!entry) throw new StationError('invalid-request', {}, 'retry: no such journal entry')
    const result = await this.run(id, 'operator')
    return { kind: entry.kind, writeId: id, result }
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
      requestId: entry.progress.requestId,
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
    return this.journal.add({
      id: randomUUID(),
      kind: 'retire',
      state: 'pending',
      attempts: 0,
      autoRetries: 0,
      nextRetryAt: null,
      input: { smartcardUuid: input.smartcardUuid, comment: input.comment ?? '' },
      progress: {
        requestId: input.requestId ?? null,
        createSent: false,
        priorOpenRequestIds: [],
        adopted: false,
      },
      lastError: null,
    }).id
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

  private run(id: string, reason: RunReason): Promise<CmRetireOutcome> {
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

  private async execute(id: string, reason: RunReason): Promise<CmRetireOutcome> {
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
      const outcome = await runRetireWrite(this.cm, this.journal, entry, this.log)
      this.settle(id, (e) => {
        e.state = outcome.outcome === 'retired' ? 'done' : 'awaiting-approval'
        e.progress.requestId = outcome.requestId
        e.lastError = null
      })
      return outcome
    } catch (error) {
      this.recordFailure(id, toWriteError(error))
      throw error
    }
  }

  private recordFailure(id: string, failure: CmWriteError): void {
    const entry = this.journal.get(id)
    if (!entry) return
    const touchedServer = entry.progress.createSent || entry.progress.requestId !== null
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

function viewsOf(entries: JournalEntry[]): CmWriteView[] {
  return entries.filter((e) => !isFinished(e)).map(toView)
}
