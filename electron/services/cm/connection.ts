import type { CmConnectionState, CmConnectionStatus } from '../../../shared/domain/cm-connection'
import { StationError, type ErrorCode } from '../../../shared/errors'
import type { Logger } from '../log'
import type { CmClientBase } from './client-base'

/**
 * The CM connection check (issue "The station on a managed Windows desk"): can this desk reach Certificate Management
 * and sign in to it? One cheap authenticated read (E01, `CmClientBase.probe`) at start, on demand
 * (`cm:check-connection`) and every `cm.connectionCheckSec` seconds after the last check, so a misconfigured desk
 * (no Kerberos ticket, a host missing from the sign-in allow-list, the API disabled, a firewall) is obvious before a
 * holder is waiting. Plain Node: no polling loop — one unref'd timer, re-armed after each check, cleared on close.
 */

/** Timer functions (injectable for tests; defaults: the global ones). */
export interface MonitorTimers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

/** What one finished CM call told about the connection (CmHttp's `onOutcome`). */
export interface CmCallOutcome {
  ok: boolean
  /** The closed code of a failed call. */
  code?: ErrorCode
}

/** Options of {@link CmConnectionMonitor}. */
export interface CmConnectionMonitorOptions {
  /** The read the check makes. */
  cm: Pick<CmClientBase, 'probe'>
  /** `host[:port]` of the CM app root (what the operator is told). */
  host: string
  /** Training mode: the built-in simulator answers. */
  training: boolean
  /** Seconds between idle checks (configuration `cm.connectionCheckSec`; the training default is the same 180). */
  intervalSec: number
  log: Logger
  /** Station clock (default: the system clock). */
  now?: () => Date
  timers?: MonitorTimers
}

const DEFAULT_TIMERS: MonitorTimers = {
  set(fn, ms) {
    const handle = setTimeout(fn, ms)
    // The check must never keep a process alive on its own (preview, tests, a closing app).
    handle.unref?.()
    return handle
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** The state a failed check's closed code means. */
export function stateOfCode(code: ErrorCode): Exclude<CmConnectionState, 'checking' | 'connected'> {
  switch (code) {
    case 'windows-sign-in-failed':
      return 'sign-in-failed'
    case 'network':
    case 'timeout':
      return 'unreachable'
    default:
      return 'server-error'
  }
}

/** The connection check: current status, checks, change listeners. One per station (one CM server). */
export class CmConnectionMonitor {
  private status: CmConnectionStatus
  private running: Promise<CmConnectionStatus> | null = null
  private abort: AbortController | null = null
  private timer: unknown = null
  private lastResult: { state: CmConnectionState; code?: ErrorCode } | null = null
  private closed = false
  private readonly listeners = new Set<(status: CmConnectionStatus) => void>()
  private readonly now: () => Date
  private readonly timers: MonitorTimers

  constructor(private readonly opts: CmConnectionMonitorOptions) {
    this.now = opts.now ?? (() => new Date())
    this.timers = opts.timers ?? DEFAULT_TIMERS
    this.status = { state: 'checking', host: opts.host, training: opts.training, checkedAt: null }
  }

  /** The last status (a copy); `checking` with `checkedAt: null` until the first check finishes. */
  current(): CmConnectionStatus {
    return { ...this.status }
  }

  /** Follow every status change (`checking`, then each result); returns the unsubscribe function. */
  onChange(listener: (status: CmConnectionStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The first check, now; the idle checks follow from it. */
  start(): void {
    void this.check()
  }

  /**
   * Check now and resolve with the result. A check already running is joined, never doubled (the idle timer, the
   * operator's "Check again" and a call outcome may meet). Never rejects; after close() it answers the last status.
   */
  check(): Promise<CmConnectionStatus> {
    if (this.closed) return Promise.resolve(this.current())
    if (this.running) return this.running
    this.disarm()
    this.set({
      state: 'checking',
      host: this.opts.host,
      training: this.opts.training,
      checkedAt: this.status.checkedAt,
    })
    const abort = new AbortController()
    this.abort = abort
    const run = this.probe(abort.signal).then((result) => {
      this.running = null
      this.abort = null
      if (this.closed) return this.current()
      this.set(result)
      this.arm()
      return this.current()
    })
    this.running = run
    return run
  }

  /**
   * What a finished CM call (any, not only the check's) says: a call that contradicts the status — a failure of
   * sign-in or reach while "connected", a success while failed — starts a check at once instead of waiting for the
   * idle timer. Other failures (403, 500 of one request) say nothing about the connection.
   */
  observe(outcome: CmCallOutcome): void {
    if (this.closed || this.running) return
    const state = this.status.state
    if (outcome.ok) {
      if (state !== 'connected') void this.check()
      return
    }
    const code = outcome.code
    if (state === 'connected' && code && stateOfCode(code) !== 'server-error') void this.check()
  }

  /** Stop: clear the timer and abort a running check; no event follows. */
  close(): void {
    this.closed = true
    this.disarm()
    this.abort?.abort(new Error('connection monitor closed'))
    this.listeners.clear()
  }

  private async probe(signal: AbortSignal): Promise<CmConnectionStatus> {
    const base = { host: this.opts.host, training: this.opts.training }
    try {
      const { templates } = await this.opts.cm.probe({ signal })
      this.opts.log.debug('cm: connection check passed', { host: this.opts.host, templates })
      return { ...base, state: 'connected', checkedAt: this.now().toISOString() }
    } catch (error) {
      const info = error instanceof StationError ? error.toInfo() : { code: 'internal' as const }
      return {
        ...base,
        state: stateOfCode(info.code),
        checkedAt: this.now().toISOString(),
        code: info.code,
        ...(info.correlationId ? { correlationId: info.correlationId } : {}),
      }
    }
  }

  private set(next: CmConnectionStatus): void {
    this.status = next
    // Log a change of the result (not the `checking` in between, not an unchanged idle check).
    const before = this.lastResult
    if (next.state !== 'checking' && (next.state !== before?.state || next.code !== before.code)) {
      this.lastResult = { state: next.state, ...(next.code ? { code: next.code } : {}) }
      const fields = {
        host: next.host,
        state: next.state,
        code: next.code,
        correlationId: next.correlationId,
      }
      if (next.state === 'connected') this.opts.log.info('cm: connection', fields)
      else this.opts.log.warn('cm: connection', fields)
    }
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...next })
      } catch {
        // A broken listener must not stop the check or the others.
      }
    }
  }

  private arm(): void {
    this.disarm()
    this.timer = this.timers.set(() => {
      this.timer = null
      void this.check()
    }, this.opts.intervalSec * 1000)
  }

  private disarm(): void {
    if (this.timer !== null) this.timers.clear(this.timer)
    this.timer = null
  }
}
